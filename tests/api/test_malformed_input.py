"""Malformed input is a 400 or a 404 in the API's error format, never a server error or an HTML page.

Each case here was a 500 (or Django's HTML 400 page) found by a fault-injection run. Run on PostgreSQL: NUL
characters only fail there.
"""

import json

import pytest

from articles.models import Article
from tests.api.conftest import token_client

PARTIAL_DATE_FILTERS = ["start_date_from", "start_date_to", "status_date_from", "status_date_to"]
FILTERED_ENDPOINTS = [
    "/api/v1/agreements/",
    "/api/v1/exports/agreements.csv",
    "/api/v1/exports/agreements.json",
    "/api/v1/exports/dyad-years.csv",
]


def _error(response, status: int) -> dict:
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == "application/json"
    return response.json()["error"]


@pytest.fixture
def no_parsing(monkeypatch):
    """Submissions are stored but not parsed: here only what the API accepts matters."""
    import articles.services

    monkeypatch.setattr(articles.services, "article_enqueue", lambda **kwargs: True)


@pytest.mark.parametrize("url", FILTERED_ENDPOINTS)
@pytest.mark.parametrize("name", PARTIAL_DATE_FILTERS)
def test_a_percent_sign_in_a_partial_date_filter_is_a_400_quoting_it(api, countries, url, name):
    error = _error(api.get(url, {name: "20%"}), 400)

    assert error["code"] == "invalid_filter"
    assert list(error["fields"]) == [name]
    assert "“20%”" in error["fields"][name][0]


def test_a_percent_sign_in_another_filter_is_a_400_too(api, countries):
    error = _error(api.get("/api/v1/agreements/", {"party": "%s%(x)s", "min_confidence": "%d"}), 400)

    assert set(error["fields"]) == {"party", "min_confidence"}
    assert error["fields"]["party"] == ["Unknown country code “%S%(X)S”: use a code from /api/v1/countries/, e.g. IRN."]


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/agreements/?q=a%00b", "q"),
        ("/api/v1/agreements/?updated_since=%00", "updated_since"),
        ("/api/v1/ties/?a=IRN&b=B%00L", "b"),
        ("/api/v1/exports/dyad-years.csv?party=IR%00N", "party"),
        ("/api/v1/articles/?state=%00", "state"),
    ],
)
def test_nul_in_a_query_is_a_400_naming_the_parameter(api, countries, url, field):
    error = _error(api.get(url), 400)

    assert error["code"] == "invalid_filter"
    assert list(error["fields"]) == [field]


@pytest.mark.parametrize("url", ["/api/v1/countries/IR%00N/", "/api/v1/countries/IRN%00/partners/"])
def test_nul_in_an_api_address_is_a_404(api, countries, url):
    assert _error(api.get(url), 404)["code"] == "not_found"


def test_a_token_with_nul_is_refused_as_a_wrong_token(api, db):
    response = api.get("/api/v1/agreements/", HTTP_AUTHORIZATION="Token abc\x00def")

    assert _error(response, 401) == {"code": "authentication_failed", "message": "Invalid token."}


@pytest.mark.parametrize("url", ["/api/v1/agreements/", "/api/v1/articles/"])
def test_json_nested_a_hundred_thousand_deep_is_a_400(analyst_api, countries, url):
    body = "[" * 100_000 + "]" * 100_000

    error = _error(analyst_api.post(url, body, content_type="application/json"), 400)

    assert error["code"] == "malformed_request"
    assert "nested too deeply" in error["message"]


def test_a_body_over_the_limit_is_a_400_in_the_error_format(analyst_api, db, settings, no_parsing):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    response = analyst_api.post("/api/v1/articles/", {"text": "x" * 2000}, format="json")

    error = _error(response, 400)
    assert error["code"] == "request_too_large"
    assert "1,000 bytes" in error["message"]
    assert not Article.objects.exists()


def test_more_than_a_thousand_form_fields_is_a_400_in_the_error_format(analyst_api, db, no_parsing):
    form = "&".join(f"field{number}=1" for number in range(1001))

    response = analyst_api.post("/api/v1/articles/", form, content_type="application/x-www-form-urlencoded")

    assert _error(response, 400)["code"] == "request_too_large"
    assert not Article.objects.exists()


def test_an_html_page_of_the_documented_five_million_characters_can_be_submitted(analyst, db, no_parsing):
    # Markup with quotes (escaped in JSON) around non-Latin text (two or three bytes a character in UTF-8).
    unit = '<p class="story">Договор о сотрудничестве 協定 signed</p>\n'
    html = (unit * (5_000_000 // len(unit) + 1))[:5_000_000]
    body = json.dumps({"html": html}, ensure_ascii=False).encode()
    assert len(body) > 2_621_440, "larger than Django's default limit, which made the documented limit unreachable"

    response = token_client(analyst).post("/api/v1/articles/", body, content_type="application/json")

    assert response.status_code == 202, response.content[:500]
    assert len(bytes(Article.objects.get().raw)) == len(html.encode())


def test_one_character_more_is_refused_by_the_field_not_the_body_limit(analyst_api, db, no_parsing):
    response = analyst_api.post("/api/v1/articles/", {"html": "x" * 5_000_001}, format="json")

    error = _error(response, 400)
    assert error["code"] == "invalid"
    assert list(error["fields"]) == ["html"]


@pytest.mark.parametrize("value", ["²", "٣", "9" * 5000])
def test_a_page_size_that_is_not_plain_digits_or_very_long_is_never_a_server_error(api, countries, value):
    response = api.get("/api/v1/agreements/", {"page_size": value})

    assert _error(response, 400)["fields"] == {"page_size": ["A whole number from 1 to 500."]}
