"""Reading: whole payloads for countries, agreements, ties, partners, articles."""

import pytest
from django.test import override_settings

from tests import factories


def test_agreement_detail_carries_parties_status_history_and_dates_at_their_precision(api, iran_bolivia):
    defense = iran_bolivia["defense"]
    defense.status_changes.create(status="in_force", date="2024-01-01", date_precision="year")
    from tracker.services import agreement_sync_status

    agreement_sync_status(agreement=defense)

    response = api.get(f"/api/v1/agreements/{defense.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert body == {
        "id": defense.pk,
        "url": f"http://testserver/api/v1/agreements/{defense.pk}/",
        "title": "Defence MoU",
        "name": "",
        "parties": [{"code": "BOL", "name": "Bolivia"}, {"code": "IRN", "name": "Iran"}],
        "type": "defense",
        "secondary_types": [],
        "status": "in_force",
        "status_date": "2024",
        "status_date_precision": "year",
        "start_date": "2023-07-20",
        "status_history": [
            {"status": "signed", "date": "2023-07-20", "date_precision": "day", "note": ""},
            {"status": "in_force", "date": "2024", "date_precision": "year", "note": ""},
        ],
        "summary": "",
        "confidence": 1.0,
        "origin": "manual",
        "review_state": "unreviewed",
        "source_dataset": "",
        "source_id": "",
        "merged_into": None,
        "citations": [],
        "support": {"articles": 0, "sources": 0},
        "created_at": body["created_at"],
        "updated_at": body["updated_at"],
        "links": [],
    }


def test_agreement_detail_lists_its_links_both_ways_as_the_page_does(api, iran_bolivia):
    from tracker.models import AgreementLink

    defense, drugs, economic = iran_bolivia["defense"], iran_bolivia["drugs"], iran_bolivia["economic"]
    AgreementLink.objects.create(source=defense, kind="supersedes", target=drugs)
    AgreementLink.objects.create(source=economic, kind="amends", target=defense)

    links = api.get(f"/api/v1/agreements/{defense.pk}/").json()["links"]

    assert links == [
        {
            "relation": "supersedes",
            "agreement": drugs.pk,
            "title": "Anti-drug MoU",
            "url": f"http://testserver/api/v1/agreements/{drugs.pk}/",
        },
        {
            "relation": "amended_by",
            "agreement": economic.pk,
            "title": "Economic",
            "url": f"http://testserver/api/v1/agreements/{economic.pk}/",
        },
    ]
    assert api.get(f"/api/v1/agreements/{drugs.pk}/").json()["links"][0]["relation"] == "superseded_by"


def test_rejected_agreement_is_hidden_from_the_list_but_readable_by_id(api, iran_bolivia):
    listed = [row["title"] for row in api.get("/api/v1/agreements/").json()["results"]]
    assert listed == ["Defence MoU", "Anti-drug MoU", "Economic"]

    detail = api.get(f"/api/v1/agreements/{iran_bolivia['rejected'].pk}/")
    assert detail.status_code == 200
    assert detail.json()["review_state"] == "rejected"


def test_unknown_agreement_is_a_404_in_the_error_format(api, db):
    response = api.get("/api/v1/agreements/999999/")

    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "Not found."}}


def test_country_detail_by_code_in_any_case_with_counts_by_type(api, iran_bolivia):
    response = api.get("/api/v1/countries/irn/")

    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "IRN"
    assert body["name"] == "Iran"
    assert body["agreement_counts"] == {
        "defense": 1,
        "security": 1,
        "economic": 1,
        "energy": 0,
        "nuclear": 0,
        "diplomatic": 0,
        "technology": 0,
        "other": 0,
    }
    assert body["partners_url"] == "http://testserver/api/v1/countries/IRN/partners/"


def test_former_state_carries_its_years_and_successors(api, countries):
    body = api.get("/api/v1/countries/SUN/").json()

    assert body["is_former"] is True
    assert body["valid_to"] == 1991
    assert body["valid_from"] == 1922
    assert body["successors"] == []  # the reference loader does not link successors (yet)


def test_country_list_is_cursor_paginated_by_code(api, countries):
    first = api.get("/api/v1/countries/", {"page_size": 3}).json()

    assert [row["code"] for row in first["results"]] == ["ABW", "AFG", "AGO"]
    second = api.get(first["next"]).json()
    assert [row["code"] for row in second["results"]] == ["AIA", "ALA", "ALB"]


def test_ties_put_every_agreement_and_status_change_of_the_pair_on_one_time_line(api, iran_bolivia):
    response = api.get("/api/v1/ties/", {"a": "irn", "b": "BOL"})

    assert response.status_code == 200
    body = response.json()
    assert body["a"] == {"code": "IRN", "name": "Iran"}
    assert [row["title"] for row in body["agreements"]] == ["Economic", "Anti-drug MoU", "Defence MoU"]
    assert [
        (event["title"], event["status"], event["date"], event["date_precision"]) for event in body["timeline"]
    ] == [
        ("Economic", "signed", "2007-09", "month"),
        ("Anti-drug MoU", "signed", "2012", "year"),
        ("Defence MoU", "signed", "2023-07-20", "day"),
    ]
    assert [(row["year"], {k: v for k, v in row["counts"].items() if v}) for row in body["per_year"]] == [
        (2007, {"economic": 1}),
        (2012, {"security": 1}),
        (2023, {"defense": 1}),
    ]


@pytest.mark.parametrize(
    ("query", "fields"),
    [
        ({"a": "IRN"}, {"b"}),
        ({"a": "IRN", "b": "Bolivia!"}, {"b"}),
        ({"a": "IRN", "b": "irn"}, {"b"}),
        ({}, {"a", "b"}),
    ],
)
def test_ties_need_two_known_different_countries(api, countries, query, fields):
    response = api.get("/api/v1/ties/", query)

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_filter"
    assert set(error["fields"]) == fields


def test_partners_are_ranked_by_number_then_recency_with_first_and_last_years(api, iran_bolivia):
    factories.agreement("IRN", "VEN", type="energy", date="2019")
    factories.agreement("IRN", "VEN", type="economic", date="2001-05")
    factories.agreement("IRN", "CUB", type="economic", date="2022")
    factories.agreement("IRN", "RUS", type="defense", date="2015")

    body = api.get("/api/v1/countries/IRN/partners/").json()

    assert body["country"]["code"] == "IRN"
    assert [(p["country"]["code"], p["agreements"], p["first_year"], p["last_year"]) for p in body["partners"]] == [
        ("BOL", 3, 2007, 2023),
        ("VEN", 2, 2001, 2019),
        ("CUB", 1, 2022, 2022),
        ("RUS", 1, 2015, 2015),
    ]
    assert body["partners"][1]["counts"]["energy"] == 1


def test_an_unknown_country_is_the_same_error_in_ties_and_in_the_lists(api, countries):
    assert api.get("/api/v1/countries/XXX/partners/").status_code == 404  # an address, not a parameter
    message = "Unknown country code “XXX”: use a code from /api/v1/countries/, e.g. IRN."
    for url, params in [
        ("/api/v1/ties/", {"a": "IRN", "b": "XXX"}),
        ("/api/v1/agreements/", {"b": "XXX"}),
        ("/api/v1/exports/agreements.csv", {"b": "XXX"}),
        ("/api/v1/exports/dyad-years.csv", {"b": "XXX"}),
    ]:
        response = api.get(url, params)
        assert response.status_code == 400, url
        assert response.json()["error"]["code"] == "invalid_filter", url
        assert response.json()["error"]["fields"] == {"b": [message]}, url


def test_unknown_api_addresses_answer_in_the_error_format(api, db):
    response = api.get("/api/v1/nothing-here/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@override_settings(API_REQUIRE_LOGIN=True)
def test_reading_needs_a_login_when_the_deployment_requires_it(api, reader, iran_bolivia):
    refused = api.get("/api/v1/agreements/")
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "not_authenticated"
    assert refused["WWW-Authenticate"] == "Token"

    from tests.api.conftest import token_client

    assert token_client(reader).get("/api/v1/agreements/").status_code == 200


def test_the_docs_and_schema_are_served_without_any_cdn(api, db):
    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert "/api/v1/agreements/changes/" in schema.json()["paths"]

    for page, script in (
        ("/api/v1/docs/", "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"),
        ("/api/v1/redoc/", "/api/v1/redoc/redoc.standalone.js"),
    ):
        html = api.get(page).content.decode()
        assert f'src="{script}"' in html
        assert "cdn" not in html.lower() and "https://" not in html
    # Redoc's bundle (the sidecar's, served with its one remote address, the sidebar logo, made local)
    bundle = api.get("/api/v1/redoc/redoc.standalone.js").content
    assert b"Redoc" in bundle and b"cdn.redoc.ly" not in bundle and b"/static/img/api-docs-logo.svg" in bundle
