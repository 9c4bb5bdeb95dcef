"""Exports: agreements as CSV and JSON, filtered like the list; dyad-years in the COW/ATOP layout."""

import csv
import io
import json

import pytest

from tests import factories


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
