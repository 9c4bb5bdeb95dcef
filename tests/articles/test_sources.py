"""News sources as an operator meets them: importing OPML and CSV, the admin, the API, the Sources and home pages."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.utils import timezone

from articles.models import Article, Citation, IngestionState, Source, SourceKind
from tests import factories
from tests.articles import feeds
from tests.processes import web_server
from tracker.models import Country

OPML = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>Feeds</title></head><body>
  <outline text="Agencies">
    <outline type="rss" text="Prensa Latina" title="Prensa Latina" xmlUrl="https://www.prensa-latina.cu/feed"
             htmlUrl="https://www.prensa-latina.cu/" language="es"/>
    <outline type="rss" text="MFA releases" xmlUrl="https://mfa.example.org/rss.xml"/>
  </outline>
  <outline text="A folder without a feed"/>
</body></opml>"""

CSV = """name,feed_url,home_page,language,country,kind,notes
Xinhua,https://xinhua.example/rss,https://xinhua.example/,en,CHN,state_agency,English service
Think,https://think.example/feed,javascript:alert(1),en,,Think tank,
Nowhere,https://nowhere.example/feed,,en,ZZZ,newspaper,
Odd,https://odd.example/feed,,en,,blog,
"""


def test_an_opml_export_becomes_inactive_sources_and_a_second_import_changes_nothing(db, tmp_path, capsys):
    path = tmp_path / "feeds.opml"
    path.write_bytes(OPML)
    call_command("import_sources", str(path))
    call_command("import_sources", str(path))

    output = capsys.readouterr().out.splitlines()
    assert output == ["2 created, 0 updated, 0 unchanged, 0 skipped", "0 created, 0 updated, 2 unchanged, 0 skipped"]
    rows = list(Source.objects.values_list("name", "feed_url", "home_page", "language", "kind", "active"))
    assert rows == [
        ("MFA releases", "https://mfa.example.org/rss.xml", "", "", SourceKind.NEWSPAPER, False),
        (
            "Prensa Latina",
            "https://www.prensa-latina.cu/feed",
            "https://www.prensa-latina.cu/",
            "es",
            "newspaper",
            False,
        ),
    ]


def test_a_csv_list_sets_country_and_kind_and_says_which_rows_it_skipped(db, countries, tmp_path, capsys):
    path = tmp_path / "sources.csv"
    path.write_text(CSV)
    call_command("import_sources", str(path), "--activate")

    captured = capsys.readouterr()
    assert captured.out.strip() == "2 created, 0 updated, 0 unchanged, 2 skipped"
    assert captured.err.splitlines() == [
        "skipped Nowhere: unknown country code 'ZZZ'",
        "skipped Odd: unknown kind 'blog' (one of wire, state_agency, government, newspaper, think_tank)",
    ]
    xinhua = Source.objects.get(name="Xinhua")
    assert (xinhua.country.code, xinhua.kind, xinhua.notes, xinhua.active) == (
        "CHN",
        "state_agency",
        "English service",
        True,
    )
    # A home page that is no web address is dropped, never shown as a link.
    assert Source.objects.get(name="Think").home_page == ""


def test_a_file_that_is_no_list_of_feeds_is_refused_with_the_reason(db, tmp_path):
    path = tmp_path / "feeds.opml"
    path.write_bytes(b"<html><body>not opml</body></html>")
    with pytest.raises(CommandError, match="not an OPML file: the root element is <html>"):
        call_command("import_sources", str(path))


def _source(**fields) -> Source:
    defaults = {"name": "Wire", "feed_url": "https://wire.example/feed", "active": True}
    return Source.objects.create(**{**defaults, **fields})


def test_the_admin_shows_each_sources_health_and_polls_one_now(
    db, settings, client, django_capture_on_commit_callbacks
):
    settings.SOURCE_HOST_MIN_INTERVAL = 0
    with web_server({}) as base:
        body = feeds.rss(feeds.items(base, "news", 2))
    with web_server({"/feed": feeds.feed_route(body, "application/rss+xml")}) as feed_base:
        settings.FETCH_ALLOWED_HOSTS = [feed_base.removeprefix("http://")]
        wire = _source(feed_url=f"{feed_base}/feed", next_poll_at=timezone.now() + datetime.timedelta(hours=1))
        _source(name="Broken", feed_url="https://broken.example/feed", consecutive_failures=3, last_error="HTTP 503")
        staff = factories.analyst()
        client.force_login(staff)
        listing = client.get("/admin/articles/source/").content.decode()
        assert "failing (3×): HTTP 503" in listing
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/admin/articles/source/", {"action": "poll_sources_now", "_selected_action": [wire.pk]}
            )

    assert response.status_code == 302
    assert Article.objects.filter(source=wire).count() == 2


def test_only_those_who_may_change_sources_are_offered_poll_now(db, client):
    viewer = get_user_model().objects.create_user(username="viewer", password="a-long-test-password", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_source"))
    client.force_login(viewer)
    listing = client.get("/admin/articles/source/")
    assert listing.status_code == 200
    assert b"poll_sources_now" not in listing.content


def test_the_api_lists_sources_with_their_health_and_articles(db, countries, client):
    chn = Country.objects.get(code="CHN")
    wire = _source(country=chn, kind=SourceKind.STATE_AGENCY, consecutive_failures=2, last_error="HTTP 500 from x")
    Article.objects.create(url="https://wire.example/1", source=wire, state=IngestionState.PARSED, submission="url")
    response = client.get("/api/v1/sources/")

    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert {key: row[key] for key in ("name", "country", "kind", "failing", "last_error", "articles")} == {
        "name": "Wire",
        "country": {"code": "CHN", "name": chn.name},
        "kind": "state_agency",
        "failing": True,
        "last_error": "HTTP 500 from x",
        "articles": 1,
    }
    assert "etag" not in row
    (article,) = client.get("/api/v1/articles/").json()["results"]
    assert article["source"] == wire.pk
    assert client.post("/api/v1/sources/", {}).status_code in (401, 403, 405)
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    assert {"/api/v1/sources/", "/api/v1/sources/{id}/"} <= set(schema["paths"])


def test_the_sources_page_shows_last_poll_rate_errors_and_agreement_share(db, countries, client):
    wire = _source(
        name="<b>Wire</b>",
        last_polled_at=timezone.now() - datetime.timedelta(minutes=5),
        consecutive_failures=1,
        last_error="Could not read the feed: <script>alert(1)</script>",
    )
    agreement = factories.agreement("BOL", "IRN")
    for n in range(4):
        article = Article.objects.create(
            url=f"https://wire.example/{n}", source=wire, state=IngestionState.PARSED, submission="url"
        )
        if n == 0:
            Citation.objects.create(article=article, agreement=agreement, quote="signed", start=0, end=6)
    Source.objects.filter(pk=wire.pk).update(created_at=timezone.now() - datetime.timedelta(days=60))

    page = client.get("/sources/").content.decode()
    assert "&lt;b&gt;Wire&lt;/b&gt;" in page and "<b>Wire</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert "failing 1×" in page and "5\xa0minutes ago" in page
    assert '<td class="num">0.1</td>' in page  # 4 articles over the 30-day window
    assert "25 %" in page  # one parsed article of four yielded an agreement
    assert 'href="/sources/" aria-current="page"' in page


def test_the_home_page_counts_failing_sources_and_the_last_poll(db, client):
    _source(name="A", consecutive_failures=2, last_polled_at=timezone.now() - datetime.timedelta(hours=2))
    _source(name="B", feed_url="https://b.example/feed", last_polled_at=timezone.now() - datetime.timedelta(minutes=3))
    _source(name="Off", feed_url="https://off.example/feed", active=False, consecutive_failures=9)
    page = client.get("/").content.decode()
    assert '<span class="figure">1</span> of 2 sources failing' in page
    assert "last poll <time" in page and "3\xa0minutes ago" in page
