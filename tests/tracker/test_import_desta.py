import datetime
from pathlib import Path

import pytest
from django.conf import settings

from tracker.importers.cow import cow_states_import
from tracker.importers.desta import desta_import
from tracker.models import Agreement, AgreementLink, Origin, ReviewState
from tracker.partial_dates import PartialDate

DESTA = Path(settings.BASE_DIR) / "seeds" / "desta_trade_agreements" / "DESTA.csv"
EXCERPT = {"1", "22", "22_1", "375", "375_1", "375_2", "375_3", "375+1", "375+2", "375+3", "224", "225", "225a", "807"}


@pytest.fixture
def desta_excerpt(countries, tmp_path):
    cow_states_import()
    lines = DESTA.read_text(encoding="ascii").splitlines(keepends=True)
    path = tmp_path / "DESTA.csv"
    path.write_text(lines[0] + "".join(line for line in lines[1:] if line.split(";")[0].strip('"') in EXCERPT))
    return path


def _parties(agreement: Agreement) -> dict[str, tuple]:
    return {p.country.code: (p.joined_on, p.left_on) for p in agreement.memberships.select_related("country")}


def test_trade_agreements_are_imported_with_members_years_and_exact_gptad_dates(desta_excerpt):
    report = desta_import(desta_file=desta_excerpt)

    assert (report.created, report.skipped, report.unmapped_count) == (5, 2, 0)  # a consolidated text, a negotiation
    afghanistan_india = Agreement.objects.get(source_dataset="desta", source_id="1")
    assert (afghanistan_india.type, afghanistan_india.origin, afghanistan_india.review_state) == (
        "economic",
        Origin.IMPORTED,
        ReviewState.CONFIRMED,
    )
    assert afghanistan_india.title == "Trade agreement: Afghanistan – India (2003)"
    assert [(c.status, c.partial_date) for c in afghanistan_india.status_changes.all()] == [
        ("signed", PartialDate.parse("2003-03-06")),  # GPTAD's day, DESTA's year
        ("in_force", PartialDate.parse("2003-05-13")),
    ]
    services = Agreement.objects.get(source_id="225")
    assert AgreementLink.objects.filter(source=services, kind="amends", target__source_id="224").exists()


def test_accessions_and_withdrawals_become_membership_dates(desta_excerpt):
    desta_import(desta_file=desta_excerpt)

    efta = Agreement.objects.get(source_id="375")
    assert efta.status_changes.get(status="in_force").partial_date == PartialDate.parse("1960-05-03")  # GPTAD
    assert _parties(efta) == {
        "AUT": (None, datetime.date(1995, 12, 31)),
        "DNK": (None, datetime.date(1973, 12, 31)),
        "GBR": (None, datetime.date(1973, 12, 31)),
        "PRT": (None, datetime.date(1986, 12, 31)),
        "CHE": (None, None),
        "NOR": (None, None),
        "SWE": (None, datetime.date(1995, 12, 31)),
        "ISL": (datetime.date(1970, 1, 1), None),
        "FIN": (datetime.date(1986, 1, 1), datetime.date(1995, 12, 31)),
        "LIE": (datetime.date(1991, 1, 1), None),
    }
    assert efta.attributes["desta"]["withdrawals"][0] == {"id": "375_1", "year": 1973, "members": ["DNK", "GBR"]}
    andean_brazil = Agreement.objects.get(source_id="22")
    assert _parties(andean_brazil)["VEN"] == (None, datetime.date(2006, 12, 31))


def test_reimporting_desta_changes_nothing(desta_excerpt):
    desta_import(desta_file=desta_excerpt)
    history = Agreement.history.count()

    again = desta_import(desta_file=desta_excerpt)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    assert Agreement.history.count() == history
