import csv
import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from tests import factories
from tracker.importers.atop import atop_date, atop_import
from tracker.importers.cow import cow_states_import
from tracker.models import Agreement, AgreementParty, Origin, ReviewState, StatusChange
from tracker.partial_dates import PartialDate

ATOP = Path(settings.BASE_DIR) / "seeds" / "atop_v4.01"
NATO, SOVIET_NORTH_KOREAN, FRANCE_AND_8152, WARSAW_PACT = "3180", "3440", "1320", "3285"


def _excerpt(tmp_path: Path, ids: set[str], edit=None) -> tuple[Path, Path]:
    """The real ATOP rows of a few alliances, optionally edited as a newer release would."""
    paths = []
    for name in ("atop4_01_alliance_level.csv", "atop4_01_member_level.csv"):
        with (ATOP / name).open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            rows = [row for row in reader if row["atopid"] in ids]
            fields = reader.fieldnames
        for row in rows:
            if edit:
                edit(name, row)
        path = tmp_path / name
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=fields)
            writer.writeheader()
            writer.writerows(rows)
        paths.append(path)
    return paths[0], paths[1]


@pytest.fixture
def states(countries):
    cow_states_import()


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (("1949", "4", "4"), "1949-04-04"),
        (("1815", "2", ""), "1815-02"),
        (("1815", "2", "0"), "1815-02"),
        (("1815", "-9", "-9"), "1815"),
        (("0", "0", "0"), None),
        (("", "", ""), None),
        (("-9", "1", "1"), None),
    ],
)
def test_atop_dates_keep_their_precision_and_missing_codes_are_no_date(parts, expected):
    date = atop_date(*parts)
    assert (date.iso() if date else None) == expected


def test_an_alliance_is_imported_with_members_dates_status_and_obligations(states, tmp_path):
    alliances, members = _excerpt(tmp_path, {NATO, SOVIET_NORTH_KOREAN, FRANCE_AND_8152})
    report = atop_import(alliance_file=alliances, member_file=members)

    assert (report.dataset, report.created, report.skipped) == ("atop-4.01", 2, 1)
    nato = Agreement.objects.get(source_dataset="atop-4.01", source_id=NATO)
    assert (nato.origin, nato.review_state, nato.type, nato.status) == (
        Origin.IMPORTED,
        ReviewState.CONFIRMED,
        "defense",
        "in_force",
    )
    assert nato.current_status_date == PartialDate.parse("1949-04-04")
    assert nato.attributes["atop"]["obligations"] == ["defense", "nonagg", "consul"]
    assert nato.title == "Defence pact: Belgium, Canada, Denmark, France and 25 more (1949)"  # founders by name
    founders = AgreementParty.objects.get(agreement=nato, country__code="USA")
    assert (founders.joined_on, founders.left_on) == (None, None)
    germany = AgreementParty.objects.get(agreement=nato, country__code="DEU")
    assert (germany.joined_on, germany.left_on) == (datetime.date(1954, 10, 23), None)  # 260, then 255 from 1990

    treaty = Agreement.objects.get(source_id=SOVIET_NORTH_KOREAN)
    assert treaty.status == "terminated"
    assert list(treaty.status_changes.values_list("status", "date", "date_precision")) == [
        ("signed", datetime.date(1961, 7, 6), "day"),
        ("in_force", datetime.date(1961, 7, 6), "day"),
        ("terminated", datetime.date(1996, 9, 10), "day"),
    ]
    spells = {
        p.country.code: (p.joined_on, p.left_on)
        for p in AgreementParty.objects.filter(agreement=treaty).select_related("country")
    }
    assert spells == {
        "SUN": (None, datetime.date(1991, 12, 25)),
        "RUS": (datetime.date(1991, 12, 26), None),
        "PRK": (None, None),
    }
    # Named as the parties were in 1961: Russia's share of the membership begins thirty years later.
    assert treaty.title.endswith(": North Korea – Soviet Union (1961)")


def test_a_member_that_is_no_state_is_reported_not_dropped_silently(states, tmp_path):
    alliances, members = _excerpt(tmp_path, {FRANCE_AND_8152})
    report = atop_import(alliance_file=alliances, member_file=members)
    assert report.unmapped_members == {"COW 8152": 1}
    assert report.unmapped_count == 1
    assert report.skipped == 1 and report.created == 0  # France alone is no alliance
    assert "COW 8152 ×1" in str(report) and "1320" in str(report)
    assert not Agreement.objects.filter(source_id=FRANCE_AND_8152).exists()


def test_a_newer_release_updates_in_place_with_history_and_keeps_an_analysts_edits(states, tmp_path):
    alliances, members = _excerpt(tmp_path, {NATO, WARSAW_PACT})
    atop_import(alliance_file=alliances, member_file=members)
    nato = Agreement.objects.get(source_id=NATO)
    nato.title, nato.locked_fields = "North Atlantic Treaty", ["title"]
    nato.save()
    history = nato.history.count()

    def newer(name, row):
        row["version"] = "5.1"
        if row["atopid"] == WARSAW_PACT and "endday" in row:
            row["endday"] = "2"  # the release corrects the day the pact ended
        if row["atopid"] == NATO and "nonagg" in row and name.startswith("atop4_01_alliance"):
            row["nonagg"] = "0"

    alliances, members = _excerpt(tmp_path, {NATO, WARSAW_PACT}, newer)
    report = atop_import(alliance_file=alliances, member_file=members)

    assert (report.dataset, report.created, report.updated, report.unchanged) == ("atop-5.1", 0, 2, 0)
    assert report.locked_kept >= 1
    nato.refresh_from_db()
    assert nato.title == "North Atlantic Treaty"  # locked: the import left it alone
    assert nato.source_dataset == "atop-5.1"
    assert nato.attributes["atop"]["obligations"] == ["defense", "consul"]
    assert nato.history.count() == history + 1
    assert nato.history.first().history_change_reason == "import atop-5.1"
    warsaw = Agreement.objects.get(source_id=WARSAW_PACT)
    assert warsaw.current_status_date == PartialDate.parse("1991-07-02")
    assert StatusChange.objects.filter(agreement=warsaw, status="terminated").count() == 1
    assert Agreement.objects.filter(source_id__in=[NATO, WARSAW_PACT]).count() == 2


def test_locked_parties_and_status_are_left_alone(states, tmp_path):
    alliances, members = _excerpt(tmp_path, {WARSAW_PACT})
    atop_import(alliance_file=alliances, member_file=members)
    warsaw = Agreement.objects.get(source_id=WARSAW_PACT)
    warsaw.memberships.filter(country__code="ALB").delete()
    StatusChange.objects.filter(agreement=warsaw, status="terminated").delete()
    warsaw.locked_fields = ["parties", "status"]
    warsaw.save()

    report = atop_import(alliance_file=alliances, member_file=members)

    assert report.created == 0
    assert not warsaw.memberships.filter(country__code="ALB").exists()
    assert not warsaw.status_changes.filter(status="terminated").exists()


@pytest.fixture(scope="module")
def full_import(django_db_setup, django_db_blocker):
    """Every data set imported once for the module, and removed again so other modules see an empty database."""
    with django_db_blocker.unblock():
        call_command("load_countries", verbosity=0)
        cow_states_import()
        first = atop_import()
        yield first
        factories.remove_everything()


@pytest.mark.django_db
def test_the_whole_atop_release_imports_and_a_second_run_changes_nothing(full_import):
    assert (full_import.created, full_import.skipped, full_import.unmapped_count) == (744, 1, 1)
    assert Agreement.objects.filter(source_dataset="atop-4.01").count() == 744
    assert Agreement.objects.filter(source_dataset="atop-4.01", type="defense").count() > 250
    assert Agreement.objects.filter(party_key__contains="COW-PRU").exists()
    assert Agreement.objects.filter(party_key__contains="COW-AUH").exists()
    assert Agreement.objects.filter(party_key__contains="DDR").exists()
    histories = (Agreement.history.count(), AgreementParty.history.count(), StatusChange.history.count())

    again = atop_import()

    assert (again.created, again.updated, again.unchanged) == (0, 0, 744)
    assert (Agreement.history.count(), AgreementParty.history.count(), StatusChange.history.count()) == histories
