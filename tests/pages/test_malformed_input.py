"""Malformed addresses and queries are an ordinary 400 or 404 page, never a server error.

PostgreSQL refuses NUL characters in any text value, so each of these was a 500 there (and only there).
"""

import pytest

from tests import factories


@pytest.fixture
def pair(countries):
    return factories.agreement("IRN", "BOL", type="defense", date="2023-07")


@pytest.mark.parametrize(
    "url",
    [
        "/search/?q=a%00b",
        "/agreements/?q=%00",
        "/countries/IRN/?start_date_from=%00",
        "/articles/?state=%00",
        "/admin/login/?next=%00",
    ],
)
def test_nul_in_a_query_is_a_400_page(client, pair, url):
    response = client.get(url)

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("url", ["/countries/IR%00N/", "/pairs/IRN/B%00L/", "/pairs/B%00L/IRN/", "/agreements/1%00/"])
def test_nul_in_an_address_is_a_404_page(client, pair, url):
    response = client.get(url)

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_nul_in_an_admin_search_is_a_400_page(admin_client, pair):
    assert admin_client.get("/admin/tracker/agreement/", {"q": "defence\x00"}).status_code == 400


def test_a_forged_session_cookie_with_nul_is_ignored(client, pair):
    # Django decodes octal escapes in quoted cookie values: this is a session key of nine NUL characters.
    response = client.get("/", HTTP_COOKIE='sessionid="' + "\\000" * 9 + '"')

    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated


@pytest.mark.parametrize("name", ["start_date_from", "status_date_to"])
def test_a_percent_sign_in_a_page_filter_shows_the_page(client, pair, name):
    response = client.get("/agreements/", {name: "20%"})

    assert response.status_code == 200
    assert "“20%”" in response.content.decode()
