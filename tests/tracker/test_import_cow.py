import datetime

import pytest

from tracker.importers.cow import CowMapper, ccode_for, cow_states_import
from tracker.models import Country


@pytest.fixture(scope="module")
def mapper():
    return CowMapper.load()


@pytest.mark.parametrize(
    ("ccode", "day", "code"),
    [
        (365, datetime.date(1900, 1, 1), "RUS"),
        (365, datetime.date(1950, 1, 1), "SUN"),
        (365, datetime.date(1991, 12, 25), "SUN"),
        (365, datetime.date(1991, 12, 26), "RUS"),
        (255, datetime.date(1866, 8, 1), "COW-PRU"),
        (255, datetime.date(1914, 8, 1), "DEU"),
        (260, datetime.date(1960, 1, 1), "DEU"),
        (265, datetime.date(1960, 1, 1), "DDR"),
        (345, datetime.date(1912, 1, 1), "SRB"),
        (345, datetime.date(1960, 1, 1), "YUG"),
        (345, datetime.date(2004, 1, 1), "SCG"),
        (345, datetime.date(2010, 1, 1), "SRB"),
        (315, datetime.date(1960, 1, 1), "CSK"),
        (678, datetime.date(1960, 1, 1), "COW-YAR"),
        (680, datetime.date(1980, 1, 1), "YMD"),
        (245, datetime.date(1850, 1, 1), "COW-BAV"),
        (271, datetime.date(1850, 1, 1), "COW-WRT"),
        (300, datetime.date(1900, 1, 1), "COW-AUH"),
        (2, datetime.date(1900, 1, 1), "USA"),
        (8152, datetime.date(1880, 1, 1), None),
    ],
)
def test_cow_codes_map_to_the_country_of_the_time(mapper, ccode, day, code):
    assert mapper.code(ccode, day) == code


def test_a_membership_across_the_end_of_the_soviet_union_is_split(mapper):
    assert mapper.spans(365, datetime.date(1961, 7, 6), datetime.date(1996, 9, 10)) == [
        ("SUN", datetime.date(1961, 7, 6), datetime.date(1991, 12, 25)),
        ("RUS", datetime.date(1991, 12, 26), datetime.date(1996, 9, 10)),
    ]
    assert mapper.spans(2, datetime.date(1949, 4, 4), None) == [("USA", datetime.date(1949, 4, 4), None)]


def test_iso_numeric_codes_of_successor_states_map_to_the_state_of_the_time(mapper):
    assert mapper.iso_numeric_code("643", datetime.date(1960, 1, 1)) == "SUN"
    assert mapper.iso_numeric_code("643", datetime.date(1994, 1, 1)) == "RUS"
    assert mapper.iso_numeric_code("203", datetime.date(1992, 1, 1)) == "CSK"
    assert mapper.iso_numeric_code("900", datetime.date(2010, 1, 1)) == "XKX"
    assert mapper.iso_numeric_code("729", datetime.date(2010, 1, 1)) == "SDN"
    assert mapper.iso_numeric_code("999", datetime.date(2010, 1, 1)) is None


def test_west_germany_keeps_its_own_cow_code_in_dyad_years():
    assert [ccode_for("DEU", year, 255) for year in (1950, 1955, 1990, 1991)] == [255, 260, 260, 255]


def test_former_states_are_created_once_with_years_and_successors(countries):
    report = cow_states_import()
    assert report.unmapped == ()
    prussia = Country.objects.get(code="COW-PRU")
    assert (prussia.name, prussia.is_former, prussia.cow_code) == ("Prussia", True, 255)
    assert (prussia.valid_from, prussia.valid_to) == (1816, 1871)
    assert list(prussia.successors.values_list("code", flat=True)) == ["DEU"]
    soviet_union = Country.objects.get(code="SUN")  # from country_names.json: reused, not duplicated
    assert (soviet_union.cow_code, soviet_union.valid_from, soviet_union.valid_to) == (365, 1922, 1991)
    assert "RUS" in soviet_union.successors.values_list("code", flat=True)
    assert Country.objects.filter(name="Soviet Union").count() == 1
    assert Country.objects.get(code="YUG").successors.filter(code="SCG").exists()
    assert Country.objects.get(code="SRB").cow_code == 345
    assert Country.objects.get(code="COW-YAR").successors.get().code == "YEM"
    assert set(Country.objects.former().filter(code__startswith="COW-").values_list("code", flat=True)) >= {
        "COW-AUH",
        "COW-BAV",
        "COW-WRT",
        "COW-SAR",
        "COW-KOR",
    }
    kosovo = Country.objects.get(code="XKX")
    assert (kosovo.is_former, kosovo.valid_from, kosovo.valid_to) == (False, 2008, None)


def test_importing_the_states_twice_changes_nothing(countries):
    cow_states_import()
    history = Country.history.count()
    again = cow_states_import()
    assert (again.created, again.updated, again.successor_links) == (0, 0, 0)
    assert Country.history.count() == history
