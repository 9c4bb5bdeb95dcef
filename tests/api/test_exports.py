"""Exports: agreements as CSV and JSON, filtered like the list; dyad-years in the COW/ATOP layout."""

import csv
import datetime
import io
import json

import pytest
from django.core.cache import cache

from tests import factories
from tracker import dyads, services
from tracker.partial_dates import PartialDate

DYADS = "/api/v1/exports/dyad-years.csv"
HEADER = (",".join(dyads.DYAD_YEAR_COLUMNS) + "\n").encode()


def _content(response) -> str:
    return b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()


@pytest.fixture
def agreements(countries):
    factories.agreement("IRN", "BOL", type="defense", date="2023-07", title="Defence MoU")
    factories.agreement("IRN", "BOL", type="economic", date="2007", title="Economic, package")
    factories.agreement("RUS", "CHN", type="energy", date="2014-05-21", title="Gas deal")


def test_agreements_csv_is_filtered_like_the_list(api, agreements):
    response = api.get("/api/v1/exports/agreements.csv", {"party": "IRN"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="agreements.csv"'
    rows = list(csv.DictReader(io.StringIO(_content(response))))
    assert [(r["title"], r["parties"], r["type"], r["status_date"], r["status_date_precision"]) for r in rows] == [
        ("Defence MoU", "BOL IRN", "defense", "2023-07", "month"),
        ("Economic, package", "BOL IRN", "economic", "2007", "year"),
    ]


def test_agreements_json_holds_the_list_records(api, agreements):
    response = api.get("/api/v1/exports/agreements.json", {"type": "energy"})

    assert response.status_code == 200
    records = json.loads(_content(response))
    assert [(r["title"], [p["code"] for p in r["parties"]], r["status_date"]) for r in records] == [
        ("Gas deal", ["CHN", "RUS"], "2014-05-21")
    ]
    assert records[0]["status_history"] == [
        {"status": "signed", "date": "2014-05-21", "date_precision": "day", "note": ""}
    ]


def test_exports_refuse_malformed_filters_in_json(api, agreements):
    response = api.get("/api/v1/exports/agreements.csv", {"type": "alliance"}, HTTP_ACCEPT="text/csv")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_filter"


def test_dyad_years_come_from_the_dyads_module_for_the_filtered_agreements(api, countries):
    dyads = pytest.importorskip("tracker.dyads")
    factories.agreement("IRN", "BOL", type="defense", status="in_force", date="2021")
    factories.agreement("RUS", "CHN", type="energy", status="in_force", date="2020")

    response = api.get("/api/v1/exports/dyad-years.csv", {"party": "IRN", "start_year": 2021, "end_year": 2022})

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="dyad-years.csv"'
    reader = csv.DictReader(io.StringIO(_content(response)))
    assert reader.fieldnames == dyads.DYAD_YEAR_COLUMNS
    rows = list(reader)
    assert {(r["code_a"], r["code_b"]) for r in rows} == {("BOL", "IRN")}
    assert sorted(int(r["year"]) for r in rows) == [2021, 2022]
    assert all(r["defense"] == "1" for r in rows)


@pytest.mark.parametrize("query", [{"start_year": "soon"}, {"start_year": 2020, "end_year": 2010}])
def test_dyad_years_refuse_bad_years(api, countries, query):
    response = api.get("/api/v1/exports/dyad-years.csv", query)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_filter"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"end_year": 2200}, "end_year"),
        ({"end_year": 3834}, "end_year"),
        ({"end_year": datetime.date.today().year + dyads.FUTURE_YEARS + 1}, "end_year"),
        ({"start_year": 2200}, "start_year"),
        ({"start_year": 1814}, "start_year"),
        ({"start_year": 1}, "start_year"),
    ],
)
def test_dyad_years_beyond_the_bounds_are_a_400_at_once(api, countries, query, field, django_assert_max_num_queries):
    factories.agreement("IRN", "BOL", type="defense", status="in_force", date="1990")

    # at once: refused before any agreement or country is read, however many years the range would span
    with django_assert_max_num_queries(1):
        response = api.get(DYADS, query)

    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], list(error["fields"])) == ("invalid_filter", [field])


def test_one_export_spans_at_most_max_years(api, countries, monkeypatch):
    monkeypatch.setattr(dyads, "MAX_YEARS", 50)

    too_long = api.get(DYADS, {"start_year": 1900, "end_year": 1950})
    assert too_long.status_code == 400
    assert too_long.json()["error"]["fields"] == {"end_year": ["At most 50 years in one export."]}
    assert api.get(DYADS, {"start_year": 1901, "end_year": 1950}).status_code == 200


def test_the_default_dyad_years_stream_from_1815_to_this_year(api, countries):
    factories.agreement("GBR", "PRT", type="defense", status="in_force", date="1800")

    response = api.get(DYADS)

    assert response.status_code == 200
    assert response.streaming and not response.has_header("Content-Length")
    years = [int(row["year"]) for row in csv.DictReader(io.StringIO(_content(response)))]
    assert years == list(range(dyads.FIRST_YEAR, datetime.date.today().year + 1))


def test_the_default_file_is_cached_until_the_agreements_change(api, countries, django_assert_num_queries):
    pact = factories.agreement("IRN", "BOL", type="defense", status="in_force", date="2020")
    first = _content(api.get(DYADS))

    # Only the queries that tell whether the data changed (four tables and their histories).
    with django_assert_num_queries(8):
        again = _content(api.get(DYADS, {"columns": "tracker"}))
    assert again == first

    services.agreement_update(agreement=pact, status="terminated", date=PartialDate.parse("2022"), reason="Ended")
    changed = _content(api.get(DYADS))
    assert changed != first
    assert [row["year"] for row in csv.DictReader(io.StringIO(changed))][-1] == "2022"


def test_filtered_or_narrowed_exports_are_not_cached(api, countries):
    factories.agreement("IRN", "BOL", type="defense", status="in_force", date="2020")

    api.get(DYADS, {"type": "defense"}).getvalue()
    api.get(DYADS, {"start_year": 2021}).getvalue()

    assert cache.get("exports:dyad-years:default") is None


def test_an_export_past_its_time_limit_is_cut_off_and_not_cached(api, countries, settings):
    factories.agreement("IRN", "BOL", type="defense", status="in_force", date="2020")
    settings.EXPORT_TIME_LIMIT = 0

    chunks = iter(api.get(DYADS).streaming_content)

    assert next(chunks) == HEADER
    with pytest.raises(dyads.ExportTimeLimit):
        next(chunks)
    assert cache.get("exports:dyad-years:default") is None


def test_dyad_years_offer_atops_own_column_names(api, countries):
    alliance = factories.agreement("IRN", "BOL", type="defense", status="in_force", date="2021")
    alliance.attributes = {"atop": {"obligations": ["defense", "consul"]}}
    alliance.save()
    factories.agreement("RUS", "CHN", type="energy", status="in_force", date="2021")

    response = api.get("/api/v1/exports/dyad-years.csv", {"columns": "atop", "start_year": 2021, "end_year": 2021})

    assert response.status_code == 200
    reader = csv.DictReader(io.StringIO(_content(response)))
    assert reader.fieldnames == [
        "stateA", "stateB", "year", "atopally", "defense", "offense", "neutral", "nonagg", "consul", "code_a", "code_b"
    ]  # fmt: skip
    rows = sorted(reader, key=lambda row: int(row["stateA"]))
    assert [tuple(row.values()) for row in rows] == [
        ("145", "630", "2021", "1", "1", "0", "0", "0", "1", "BOL", "IRN"),
        ("365", "710", "2021", "0", "0", "0", "0", "0", "0", "CHN", "RUS"),
    ]


def test_dyad_years_refuse_an_unknown_column_layout(api, countries):
    response = api.get("/api/v1/exports/dyad-years.csv", {"columns": "cow"})

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"columns": ["“cow” is not one of the choices: tracker, atop."]}
