"""The OpenAPI schema says what the API accepts: each bound it declares is the bound the API enforces.

Schemathesis found these mismatches; each test checks the declaration and the behaviour at its edge.
"""

import datetime
import re

import pytest
from django.core.management import call_command

from tests import factories
from tracker import dyads


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker) -> dict:
    with django_db_blocker.unblock():
        from drf_spectacular.generators import SchemaGenerator

        return SchemaGenerator().get_schema(request=None, public=True)


def _parameter(schema: dict, path: str, name: str) -> dict:
    (parameter,) = [p for p in schema["paths"][path]["get"]["parameters"] if p["name"] == name]
    return parameter


def _uri_fields(schema: dict) -> set[tuple[str, str]]:
    return {
        (component, name)
        for component, body in schema["components"]["schemas"].items()
        for name, field in body.get("properties", {}).items()
        if field.get("format") == "uri"
    }


def test_only_addresses_the_server_builds_are_declared_format_uri(schema):
    # Built by the server from its own routes: always URIs. Article addresses are kept as submitted, and may be
    # internationalised (IRIs), so neither they nor the submission field say `format: uri`.
    server_built = {"url", "partners_url", "status_url", "next", "previous"}
    assert {name for _, name in _uri_fields(schema)} == server_built
    submitted = schema["components"]["schemas"]["ArticleSubmitRequest"]["properties"]["url"]
    assert (submitted.get("format"), submitted["maxLength"]) == (None, 2000)
    assert schema["components"]["schemas"]["Article"]["properties"]["source_url"].get("format") is None


@pytest.mark.parametrize(
    ("url", "accepted"),
    [
        ("https://例え.jp/ニュース/協定", True),  # an IRI, not a URI: accepted, so the schema must not say uri
        ("HTTP://example.org/a", True),
        ("ftp://example.org/story.txt", False),  # a URI the fetcher never follows: refused at once now
        ("mailto:desk@example.org", False),
        ("not a url", False),
    ],
)
def test_the_submission_url_is_what_its_pattern_and_the_fetcher_accept(analyst_api, schema, monkeypatch, url, accepted):
    import articles.services

    monkeypatch.setattr(articles.services, "article_enqueue", lambda **kwargs: True)
    pattern = schema["components"]["schemas"]["ArticleSubmitRequest"]["properties"]["url"]["pattern"]

    response = analyst_api.post("/api/v1/articles/", {"url": url}, format="json")

    assert response.status_code == (202 if accepted else 400), response.content
    if accepted:
        assert re.search(pattern, url)  # the declared pattern never refuses what the API accepts
        body = analyst_api.get(response.json()["status_url"]).json()
        assert body["submitted_url"] == url  # kept exactly; source_url is its canonical form
    else:
        assert list(response.json()["error"]["fields"]) == ["url"]


def test_page_size_is_declared_from_one_to_the_largest_page_and_enforced_there(api, countries, schema):
    parameter = _parameter(schema, "/api/v1/agreements/", "page_size")
    assert (parameter["schema"]["minimum"], parameter["schema"]["maximum"], parameter["schema"]["default"]) == (
        1,
        500,
        50,
    )

    assert api.get("/api/v1/agreements/", {"page_size": 0}).status_code == 400
    assert api.get("/api/v1/agreements/", {"page_size": 1}).status_code == 200
    assert api.get("/api/v1/agreements/", {"page_size": 500}).status_code == 200
    assert api.get("/api/v1/agreements/", {"page_size": 501}).status_code == 400


def test_the_dyad_year_bounds_are_declared_and_enforced_at_their_edges(api, countries, schema):
    latest = datetime.date.today().year + dyads.FUTURE_YEARS
    path = "/api/v1/exports/dyad-years.csv"
    for name in ("start_year", "end_year"):
        declared = _parameter(schema, path, name)["schema"]
        assert (declared["minimum"], declared["maximum"]) == (dyads.FIRST_YEAR, latest)
    assert "Not before start_year" in _parameter(schema, path, "end_year")["description"]

    assert api.get(path, {"start_year": dyads.FIRST_YEAR, "end_year": latest}).status_code == 200
    assert api.get(path, {"start_year": dyads.FIRST_YEAR - 1}).status_code == 400
    assert api.get(path, {"end_year": latest + 1}).status_code == 400
    assert api.get(path, {"start_year": 2001, "end_year": 2000}).status_code == 400


def test_ties_declare_that_a_and_b_differ(api, countries, schema):
    operation = schema["paths"]["/api/v1/ties/"]["get"]
    assert "two different countries" in operation["description"]
    assert "not the same as `a`" in _parameter(schema, "/api/v1/ties/", "b")["description"]

    response = api.get("/api/v1/ties/", {"a": "IRN", "b": "irn"})
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["b"]


def test_the_schema_validates_without_warnings(db):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")


def test_a_cited_articles_internationalised_address_is_not_declared_a_uri(api, countries, schema):
    from tests.pages.conftest import cited_article

    cited_article(factories.agreement("IRN", "BOL"), url="https://例え.jp/ニュース")

    body = api.get("/api/v1/agreements/").json()
    assert body["results"][0]["citations"][0]["article"]["url"] == "https://例え.jp/ニュース"  # an IRI
    assert schema["components"]["schemas"]["CitedArticle"]["properties"]["url"].get("format") is None
