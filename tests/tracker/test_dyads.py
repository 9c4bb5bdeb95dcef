import csv
import datetime
import gzip
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from tests import factories
from tracker.dyads import DYAD_YEAR_COLUMNS, dyad_year_rows, write_dyad_year_csv
from tracker.importers.atop import atop_import
from tracker.importers.cow import cow_states_import
from tracker.models import Agreement, AgreementParty, StatusChange

ATOP_V51_DEFENSE = (
    Path(settings.BASE_DIR) / "tests" / "data" / "atop_v5.1_defense" / "atop5_1_defense_dyad_years.csv.gz"
)


def _row(code_a, code_b, year, **counts):
    row = dict.fromkeys(DYAD_YEAR_COLUMNS, 0)
    ccodes = {"BOL": 145, "IRN": 630, "VEN": 101}
    row.update(code_a=code_a, code_b=code_b, ccode_a=ccodes[code_a], ccode_b=ccodes[code_b], year=year, **counts)
    return row


@pytest.fixture
def three_agreements(countries):
    pact = factories.agreement("BOL", "IRN", type="defense", status="in_force", date="2020")
    StatusChange.objects.create(
        agreement=pact, status="terminated", date=datetime.date(2022, 6, 1), date_precision="month"
    )
    factories.agreement("BOL", "IRN", "VEN", type="economic", status="signed", date="2021-03")
    trade = factories.agreement("IRN", "VEN", type="economic", status="in_force", date="2019-05-01")
    AgreementParty.objects.filter(agreement=trade, country__code="VEN").update(left_on=datetime.date(2020, 6, 30))


def test_one_row_per_pair_and_year_with_an_agreement_in_force(three_agreements, django_assert_num_queries):
    with django_assert_num_queries(3):
        rows = list(dyad_year_rows(end_year=2023))

    assert rows == [
        _row("BOL", "IRN", 2020, defense=1, in_force=1),
        _row("BOL", "IRN", 2021, defense=1, in_force=1, signed=1),
        _row("BOL", "IRN", 2022, defense=1, in_force=1, terminated=1),
        _row("IRN", "VEN", 2019, economic=1, in_force=1),
        _row("IRN", "VEN", 2020, economic=1, in_force=1),
    ]


def test_years_and_agreements_can_be_narrowed(three_agreements):
    rows = dyad_year_rows(agreements=Agreement.objects.filter(type="economic"), start_year=2020, end_year=2020)
    assert [(r["code_a"], r["code_b"], r["year"]) for r in rows] == [("IRN", "VEN", 2020)]


def test_the_csv_has_the_dyad_year_header_and_the_command_writes_it(three_agreements, tmp_path):
    stream = io.StringIO()
    write_dyad_year_csv(dyad_year_rows(end_year=2023), stream)
    lines = stream.getvalue().splitlines()
    assert lines[0].split(",")[:5] == ["code_a", "code_b", "ccode_a", "ccode_b", "year"]
    assert lines[1] == "BOL,IRN,145,630,2020,1,0,0,0,0,0,0,0,0,1,0,0,0,0,0,0"

    output = tmp_path / "dyads.csv"
    call_command("export_dyad_years", output=output, start=2021, end=2023, type=["defense"], stderr=io.StringIO())
    assert [line.split(",")[4] for line in output.read_text().splitlines()[1:]] == ["2021", "2022"]


@pytest.fixture(scope="module")
def atop_imported(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_countries", verbosity=0)
        cow_states_import()
        atop_import()
        yield
        factories.remove_everything()


@pytest.mark.django_db
def test_defence_dyad_years_agree_with_the_atop_v51_dyad_year_file(atop_imported):
    """ATOP v4.01 alliances, imported and turned into dyad-years, against ATOP's own v5.1 dyad-year file, for the
    years both cover. They are different releases (v5 revised and added alliances), so agreement is high, not total:
    the README's "Historical baseline" section explains the differences."""
    ours = set()
    for row in dyad_year_rows(agreements=Agreement.objects.filter(source_dataset="atop-4.01"), end_year=2016):
        if row["atop_defense"] and row["ccode_a"] and row["ccode_b"]:
            a, b = sorted((row["ccode_a"], row["ccode_b"]))
            ours.add((a, b, row["year"]))
    with gzip.open(ATOP_V51_DEFENSE, "rt", encoding="ascii", newline="") as handle:
        theirs = {(int(r["ccode_a"]), int(r["ccode_b"]), int(r["year"])) for r in csv.DictReader(handle)}
    theirs = {key for key in theirs if key[2] <= 2016}

    rate = len(ours & theirs) / len(ours | theirs)

    assert rate > 0.975, f"agreement rate {rate:.4f}"
    assert (2, 20, 1950) in ours & theirs  # NATO: United States – Canada
