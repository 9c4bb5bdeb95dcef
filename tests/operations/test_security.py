"""Login protection, security headers on every kind of response, and error pages in the site's style."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import path as route

from tests import factories
from tracker import urls as tracker_urls

PASSWORD = "a-long-test-password"


def _login(client: Client, username: str, password: str):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password})


def test_fifty_wrong_passwords_lock_the_account_until_it_is_unlocked(db):
    analyst = factories.analyst()
    attacker = Client(REMOTE_ADDR="203.0.113.7")
    answers = [_login(attacker, analyst.username, f"guess-{n}").status_code for n in range(50)]
    # The login form answers 200 (wrong password) until the limit, then the lock-out page (429).
    assert answers.count(200) == 10 - 1 and set(answers[9:]) == {429}

    # Locked: the right password does not help, not even from another address.
    owner = Client(REMOTE_ADDR="198.51.100.2")
    locked = _login(owner, analyst.username, PASSWORD)
    page = locked.content.decode()
    assert locked.status_code == 429
    assert "<h1>Login locked</h1>" in page
    assert "after\n  10 wrong passwords, logging in is locked for 1:00:00" in page
    assert f"manage.py axes_reset_username {analyst.username}" in page
    assert 'class="site"' in page  # the site's own page, not a bare message

    call_command("axes_reset_username", analyst.username, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _login(owner, analyst.username, PASSWORD).status_code == 302


def test_wrong_passwords_from_one_address_lock_that_address_whatever_names_it_tries(db):
    factories.analyst()
    attacker = Client(REMOTE_ADDR="203.0.113.8")
    for n in range(10):
        _login(attacker, f"user{n}", "guess")
    assert _login(attacker, "lucia", PASSWORD).status_code == 429
    assert _login(Client(REMOTE_ADDR="198.51.100.3"), "lucia", PASSWORD).status_code == 302


HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split("; ")}


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/agreements/",
        "/api/v1/agreements/",
        "/api/v1/schema/",
        "/admin/login/",
        "/nowhere/",
        "/readyz?format=json",
    ],
)
def test_every_page_api_and_admin_response_carries_the_policy_and_the_headers(db, client, path):
    response = client.get(path)
    assert {name: response.get(name) for name in HEADERS} == HEADERS
    policy = _policy(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"] and policy["object-src"] == ["'none'"]
    assert "style-src" not in policy and "script-src" not in policy  # nothing inline, nothing from elsewhere


def test_an_analysts_pages_and_admin_carry_the_policy_too(db, client):
    client.force_login(factories.analyst())
    for path in ("/review/", "/admin/", "/admin/tracker/agreement/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert _policy(response)["default-src"] == ["'self'"], path


def test_pages_have_no_inline_script_or_style_the_policy_would_block(countries, client):
    factories.agreement("BOL", "IRN")
    factories.agreement("IRN", "VEN", type="economic", date="2010")
    for path in ("/", "/countries/IRN/", "/pairs/BOL/IRN/", "/agreements/", "/network/", "/admin/login/"):
        html = client.get(path).content.decode()
        assert not re.search(r"<script(?![^>]*\ssrc=)", html), path
        assert not re.search(r"<style|\sstyle=", html), path


def test_the_api_docs_load_their_bundled_assets_from_this_server_only(db, client):
    for path in ("/api/v1/docs/", "/api/v1/redoc/"):
        response = client.get(path)
        html = response.content.decode()
        assert response.status_code == 200
        assert not re.search(r"<script(?![^>]*\ssrc=)", html), path  # scripts are files, as 'self' requires
        sources = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert sources and all(source.startswith("/") for source in sources), sources
        policy = _policy(response)
        assert policy["default-src"] == ["'self'"]
        assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
        assert policy["img-src"] == ["'self'", "data:"]


def test_session_cookies_are_http_only_and_expire(db, client, settings):
    assert settings.SESSION_COOKIE_HTTPONLY is True
    factories.analyst()
    response = _login(client, "lucia", PASSWORD)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert int(cookie["max-age"]) == settings.SESSION_COOKIE_AGE == 8 * 3600


def test_error_pages_are_in_the_sites_style(db, client):
    missing = client.get("/agreements/999999/")
    assert missing.status_code == 404
    assert "<h1>Page not found</h1>" in missing.content.decode()
    assert 'href="/static/css/tracker.css"' in missing.content.decode()


def test_a_user_without_the_permission_gets_the_sites_403_page(db, client):
    client.force_login(get_user_model().objects.create_user("reader", password=PASSWORD))
    response = client.post("/review/1/confirm/")
    assert response.status_code == 403
    assert "<h1>Not allowed</h1>" in response.content.decode()


def _broken(request):
    raise RuntimeError("a bug")


class _UrlsWithABug:
    urlpatterns = [route("broken/", _broken), *tracker_urls.urlpatterns]


def test_a_server_error_shows_the_sites_500_page_and_mails_the_admins(db, mailoutbox):
    with override_settings(ROOT_URLCONF=_UrlsWithABug, ADMINS=[("Ops", "ops@example.org")]):
        response = Client(raise_request_exception=False).get("/broken/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "<h1>Something went wrong</h1>" in page and 'class="site"' in page
    (mail,) = mailoutbox
    assert mail.to == ["ops@example.org"]
    assert "Internal Server Error: /broken/" in mail.subject
    assert "RuntimeError at /broken/\na bug" in mail.body
