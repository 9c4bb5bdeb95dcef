"""The production settings under gunicorn, as the Compose `web` service runs them behind its TLS proxy."""

from __future__ import annotations

import datetime
import http.client
import json
import os
import re
import subprocess
import sys
import tempfile
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
import redis as redis_client
import yaml
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article, IngestionState, Source
from tests import factories
from tests.processes import ROOT, Gunicorn

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

HOST = "tracker.example.org"
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x7!Qm2#rT9@vL4$wZ8^nB1&cF6*hJ3(kP5)sD0_gY-uE+iO=aR~tN",
    "ALLOWED_HOSTS": HOST,
    "TRUSTED_PROXY_COUNT": "1",
    "LOG_FORMAT": "json",
    "LOG_LEVEL": "INFO",
}
PROXIED = {"Host": HOST, "X-Forwarded-Proto": "https"}


def ask(server: Gunicorn, path: str, *, method: str = "GET", headers: dict | None = None, body: str | None = None):
    """One request as the proxy would pass it on; redirects are not followed."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    answer = response.status, response.headers, response.read().decode()
    connection.close()
    return answer


@pytest.fixture(scope="module")
def static_root():
    """collectstatic once, as the image's build does: production pages name hashed files from its manifest."""
    directory = tempfile.mkdtemp(prefix="tracker-static-")
    env = {**os.environ, **PRODUCTION, "STATIC_ROOT": directory}
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=env, check=True, timeout=300
    )
    return directory


@pytest.fixture
def production(redis_server, static_root):
    server = Gunicorn(workers=2, **PRODUCTION, STATIC_ROOT=static_root, CACHE_URL=redis_server.url.replace("/0", "/1"))
    server.start()
    yield server
    server.stop()


def _compose_web_probe(port: int) -> list[str]:
    """The `web` service's health check command from docker-compose.yml, aimed at this server's port."""
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    command = services["web"]["healthcheck"]["test"][1:]
    return [sys.executable if word == "python" else word.replace(":8000", f":{port}") for word in command]


def test_production_behind_the_proxy_serves_https_only_with_every_header_and_passes_the_compose_probe(production):
    # The container's own probe knows nothing of the domain: liveness answers it all the same.
    probe = subprocess.run(_compose_web_probe(production.port), capture_output=True, text=True, timeout=30)
    assert probe.returncode == 0, probe.stderr
    assert ask(production, "/", headers={"Host": "127.0.0.1"})[0] == 400  # any other page checks the host

    status, headers, _ = ask(production, "/api/v1/agreements/", headers={"Host": HOST})
    assert (status, headers["Location"]) == (301, f"https://{HOST}/api/v1/agreements/")  # plain http: to https

    status, headers, body = ask(production, "/api/v1/agreements/", headers=PROXIED)
    assert status == 200 and json.loads(body)["results"] == []
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"  # no preload unless asked
    assert "default-src 'self'" in headers["Content-Security-Policy"].split("; ")
    assert (headers["X-Frame-Options"], headers["X-Content-Type-Options"]) == ("DENY", "nosniff")
    assert headers["Referrer-Policy"] == "same-origin"

    status, headers, page = ask(production, "/admin/login/", headers=PROXIED)
    assert status == 200 and re.search(r'href="/static/admin/css/base\.[0-9a-f]{12}\.css"', page)
    cookie = _cookies(headers)["csrftoken"]
    assert cookie["secure"] is True and cookie["samesite"] == "Lax"


def _cookies(headers) -> SimpleCookie:
    cookies = SimpleCookie()
    for header in headers.get_all("Set-Cookie") or []:
        cookies.load(header)
    return cookies


def _login(server: Gunicorn, username: str, password: str, client_address: str):
    """The admin login form, posted from one client address as the proxy reports it."""
    headers = {**PROXIED, "X-Forwarded-For": client_address}
    _, response_headers, page = ask(server, "/admin/login/", headers=headers)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    csrf = _cookies(response_headers)["csrftoken"].value
    form = f"csrfmiddlewaretoken={token}&username={username}&password={password}&next=/admin/"
    headers |= {
        "Cookie": f"csrftoken={csrf}",
        "Content-Type": "application/x-www-form-urlencoded",
        "Referer": f"https://{HOST}/admin/login/",
    }
    return ask(server, "/admin/login/", method="POST", headers=headers, body=form)


def test_failed_logins_are_counted_in_the_shared_cache_across_web_processes(production, redis_server):
    factories.analyst()
    answers = [_login(production, "lucia", f"guess{n}", "203.0.113.9")[0] for n in range(12)]
    assert answers == [200] * 9 + [429] * 3
    status, _, page = _login(production, "lucia", "a-long-test-password", "198.51.100.4")
    assert status == 429 and "Login locked" in page
    keys = redis_client.Redis(port=redis_server.port, db=1).keys("*axes*")
    assert keys, "axes counted somewhere else than the shared Redis cache"


def test_logs_are_json_lines_with_the_request_id_and_the_user(production):
    factories.analyst()
    status, headers, _ = _login(production, "lucia", "a-long-test-password", "198.51.100.5")
    assert status == 302
    session = _cookies(headers)["sessionid"]
    assert session["secure"] is True and session["httponly"] is True
    status, headers, _ = ask(
        production,
        "/agreements/999999/",
        headers={**PROXIED, "X-Request-ID": "req-42", "Cookie": f"sessionid={session.value}"},
    )
    assert (status, headers["X-Request-ID"]) == (404, "req-42")
    lines = [json.loads(line) for line in production.output().splitlines() if line.startswith("{")]
    (record,) = [line for line in lines if line.get("request_id") == "req-42"]
    assert record["logger"] == "django.request" and record["level"] == "WARNING"
    assert record["message"] == "Not Found: /agreements/999999/"
    assert record["user"] == "lucia"


def test_metrics_sum_every_gunicorn_worker_and_show_the_trackers_gauges(redis_server, tmp_path):
    call_command("load_countries", verbosity=0)
    factories.agreement("BOL", "IRN")
    Article.objects.create(title="Waiting", state=IngestionState.PENDING)
    Article.objects.filter(title="Waiting").update(created_at=timezone.now() - datetime.timedelta(minutes=5))
    Article.objects.create(title="Broken", state=IngestionState.FAILED, error="Could not read the document")
    feed = "https://news.example.org/{}.rss"
    Source.objects.create(name="Failing", feed_url=feed.format(1), active=True, consecutive_failures=3)
    Source.objects.create(name="Off and failing", feed_url=feed.format(2), active=False, consecutive_failures=1)
    Source.objects.create(name="Fine", feed_url=feed.format(3), active=True)
    server = Gunicorn(workers=2, PROMETHEUS_MULTIPROC_DIR=str(tmp_path))
    server.start()
    try:
        for _ in range(30):
            assert ask(server, "/api/v1/countries/IRN/", headers={"Host": "127.0.0.1"})[0] == 200
        status, _, text = ask(server, "/metrics", headers={"Host": "127.0.0.1"})
    finally:
        server.stop()
    assert status == 200
    assert len(list(Path(tmp_path).glob("counter_*.db"))) >= 1  # written by the workers, read by the scrape
    values = dict(re.findall(r"^([a-z_]+(?:\{[^}]*\})?) ([0-9.e+-]+)$", text, re.MULTILINE))
    assert values['tracker_articles{state="pending"}'] == "1.0"
    assert values['tracker_articles{state="failed"}'] == "1.0"
    assert values['tracker_articles{state="parsed"}'] == "0.0"
    assert values["tracker_review_queue_size"] == "1.0"
    assert values["tracker_sources_failing"] == "1.0"  # active sources only
    assert 300 <= float(values["tracker_oldest_pending_article_age_seconds"]) < 3600
    requests = float(values['django_http_requests_total_by_method_total{method="GET"}'])
    assert requests >= 30  # every worker's count, summed
