"""AgreementFilter through the API: every filter, a clear 400 for each malformed one, and cursor pagination."""

import pytest

from tests import factories


@pytest.fixture
def agreements(countries):
    return {
        "iran_bolivia_defense": factories.agreement("IRN", "BOL", type="defense", date="2023-07-20", title="IB def"),
        "iran_bolivia_trade": factories.agreement("IRN", "BOL", type="economic", date="2007", title="IB econ"),
        "russia_iran": factories.agreement(
            "RUS", "IRN", type="defense", status="in_force", date="2001-03", title="RI def", confidence=0.6
        ),
        "russia_china": factories.agreement(
            "RUS", "CHN", type="energy", date="2014-05", title="Power of Siberia gas deal", origin="extracted"
        ),
        "rejected": factories.agreement(
            "RUS", "BOL", type="nuclear", date="2019", title="Nope", review_state="rejected"
        ),
    }


def titles(api, **query):
    response = api.get("/api/v1/agreements/", query)
    assert response.status_code == 200, response.content
    return sorted(row["title"] for row in response.json()["results"])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"party": "rus"}, ["Power of Siberia gas deal", "RI def"]),
        ({"a": "IRN", "b": "BOL"}, ["IB def", "IB econ"]),
        ({"party": "RUS", "type": "defense", "start_date_from": "2000"}, ["RI def"]),
        ({"type": ["energy", "economic"]}, ["IB econ", "Power of Siberia gas deal"]),
        ({"status": "in_force"}, ["RI def"]),
        ({"review_state": "rejected"}, ["Nope"]),
        ({"review_state": ["rejected", "unreviewed"], "party": "BOL", "b": "RUS"}, ["Nope"]),
        ({"origin": "extracted"}, ["Power of Siberia gas deal"]),
        ({"start_date_from": "2007", "start_date_to": "2014-05"}, ["IB econ", "Power of Siberia gas deal"]),
        ({"status_date_to": "2007"}, ["IB econ", "RI def"]),
        ({"status_date_from": "2023-07-20"}, ["IB def"]),
        ({"min_confidence": "0.9", "party": "IRN"}, ["IB def", "IB econ"]),
        ({"q": "siberia"}, ["Power of Siberia gas deal"]),
    ],
)
def test_filters(api, agreements, query, expected):
    assert titles(api, **query) == expected


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"party": "XXX"}, "party"),
        ({"a": "!!"}, "a"),
        ({"type": "alliance"}, "type"),
        ({"status": "ratified"}, "status"),
        ({"review_state": "maybe"}, "review_state"),
        ({"origin": "x"}, "origin"),
        ({"start_date_from": "2023-13"}, "start_date_from"),
        ({"status_date_to": "July 2023"}, "status_date_to"),
        ({"min_confidence": "high"}, "min_confidence"),
        ({"min_confidence": "1.5"}, "min_confidence"),
        ({"updated_since": "yesterday"}, "updated_since"),
        ({"ordering": "title"}, "ordering"),
        ({"cursor": "garbage"}, "cursor"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "ten"}, "page_size"),
    ],
)
def test_malformed_filters_are_a_400_naming_the_parameter(api, agreements, query, field):
    response = api.get("/api/v1/agreements/", query)

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_filter"
    assert list(error["fields"]) == [field]
    assert error["fields"][field][0]


def test_cursor_pagination_walks_every_agreement_once(api, countries):
    made = [factories.agreement("IRN", "BOL", date=str(year)).pk for year in range(1990, 2013)]

    seen, url, pages = [], "/api/v1/agreements/?page_size=5", 0
    while url:
        body = api.get(url).json()
        seen += [row["id"] for row in body["results"]]
        url, pages = body["next"], pages + 1

    assert seen == sorted(made, reverse=True)
    assert pages == 5


def test_ordering_by_update_follows_the_cursor(api, agreements):
    agreements["iran_bolivia_trade"].summary = "touched"
    agreements["iran_bolivia_trade"].save()

    first = api.get("/api/v1/agreements/", {"ordering": "-updated_at", "page_size": 2}).json()
    second = api.get(first["next"]).json()

    assert [r["title"] for r in first["results"]] == ["IB econ", "Power of Siberia gas deal"]
    assert [r["title"] for r in second["results"]] == ["RI def", "IB def"]


def test_a_page_size_above_the_largest_page_is_a_400_not_a_smaller_page(api, countries):
    for year in range(2000, 2003):
        factories.agreement("IRN", "BOL", date=str(year))

    assert len(api.get("/api/v1/agreements/", {"page_size": 500}).json()["results"]) == 3
    response = api.get("/api/v1/agreements/", {"page_size": 501})
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"page_size": ["A whole number from 1 to 500."]}


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/agreements/",
        "/api/v1/articles/",
        "/api/v1/countries/",
        "/api/v1/agreements/changes/",
        "/api/v1/ties/?a=IRN&b=BOL",
        "/api/v1/exports/agreements.csv",
        "/api/v1/exports/dyad-years.csv",
    ],
)
def test_a_misspelt_parameter_is_a_400_naming_it_and_the_accepted_ones(api, agreements, url):
    response = api.get(url, {"partie": "RUS"})

    assert response.status_code == 400, url
    error = response.json()["error"]
    assert error["code"] == "invalid_filter"
    assert list(error["fields"]) == ["partie"]
    assert error["fields"]["partie"][0].startswith("Unknown parameter “partie”. Accepted here: ")


def test_the_unknown_parameter_message_lists_what_the_agreements_list_accepts(api, agreements):
    message = api.get("/api/v1/agreements/", {"partie": "RUS"}).json()["error"]["fields"]["partie"][0]

    for name in ("party", "a", "b", "type", "status", "start_date_from", "q", "cursor", "page_size"):
        assert f" {name}," in message or f" {name}." in message, name
    assert titles(api, party="RUS") == ["Power of Siberia gas deal", "RI def"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"start_date_from": "2020", "start_date_to": "2010"}, "start_date_to"),
        ({"status_date_from": "2023-07", "status_date_to": "2023-06-30"}, "status_date_to"),
    ],
)
def test_a_reversed_date_range_is_a_400(api, agreements, query, field):
    response = api.get("/api/v1/agreements/", query)

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        field: [f"The range is reversed: {field} comes before {field[:-3]}_from."]
    }


def test_a_range_within_one_month_is_not_reversed(api, agreements):
    assert titles(api, start_date_from="2023-07", start_date_to="2023-07-20") == ["IB def"]


def test_an_invalid_choice_lists_the_valid_ones(api, agreements):
    response = api.get("/api/v1/agreements/", {"type": "defence"})

    assert response.json()["error"]["fields"] == {
        "type": [
            "“defence” is not one of the choices: defense, security, economic, energy, nuclear, diplomatic, "
            "technology, other."
        ]
    }
