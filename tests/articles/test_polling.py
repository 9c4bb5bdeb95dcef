"""Polling news sources against feeds served on 127.0.0.1: RSS, Atom, JSON Feed, 304s, broken and huge feeds."""

from __future__ import annotations

import datetime
import threading
import time

import pytest
from django.core.management import call_command
from django.db import connections
from django.utils import timezone

from articles import polling
from articles.feeds import parse_feed
from articles.models import Article, FeedHost, IngestionState, Source, SubmissionKind
from tests.articles import feeds
from tests.processes import page, web_server


@pytest.fixture
def polite(settings):
    """No minimum interval between two requests to the test server: the tests would only wait."""
    settings.SOURCE_HOST_MIN_INTERVAL = 0
    settings.SOURCE_HOST_WAIT = 5
    return settings


def allow(settings, base: str) -> None:
    settings.FETCH_ALLOWED_HOSTS = [base.removeprefix("http://")]


def source(feed_url: str, name: str = "Wire", **fields) -> Source:
    return Source.objects.create(name=name, feed_url=feed_url, **{"active": True, **fields})


@pytest.mark.parametrize(
    ("build", "content_type"),
    [
        (feeds.rss, "application/rss+xml"),
        (feeds.atom, "application/atom+xml"),
        (feeds.json_feed, "application/feed+json"),
    ],
    ids=["rss2", "atom", "jsonfeed"],
)
def test_each_entry_of_a_feed_becomes_an_article_of_its_source_with_its_title_and_date(db, polite, build, content_type):
    with web_server({}) as base:
        entries = feeds.items(base, "news", 3)
        with web_server({"/feed": feeds.feed_route(build(entries), content_type)}) as feed_base:
            allow(polite, feed_base)
            wire = source(f"{feed_base}/feed", language="en")
            report = polling.source_poll(source_id=wire.pk)

    assert (report.outcome, report.entries, report.created) == ("polled", 3, 3)
    articles = Article.objects.filter(source=wire).order_by("url")
    assert [(a.url, a.title, a.published_on, a.submission, a.language) for a in articles] == [
        (f"{base}/news/{n}", f"Story {n} of news", datetime.date(2024, 3, 11), SubmissionKind.URL, "en")
        for n in range(3)
    ]
    wire.refresh_from_db()
    assert wire.last_error == "" and wire.consecutive_failures == 0
    assert wire.etag.startswith('"') and wire.last_modified == "Mon, 11 Mar 2024 09:00:00 GMT"
    assert wire.last_polled_at and wire.last_new_item_at and wire.next_poll_at > timezone.now()


def test_a_second_poll_is_a_conditional_request_and_its_304_creates_nothing(db, polite):
    counter = feeds.Counter()
    with web_server({}) as base:
        body = feeds.rss(feeds.items(base, "news", 5))
    with web_server({"/feed": feeds.feed_route(body, "application/rss+xml", counter)}) as feed_base:
        allow(polite, feed_base)
        wire = source(f"{feed_base}/feed")
        first = polling.source_poll(source_id=wire.pk)
        second = polling.source_poll(source_id=wire.pk)

    assert (first.created, second.outcome, second.created) == (5, "not_modified", 0)
    assert counter.statuses("/feed") == [200, 304]
    conditional = counter.seen[1][2]
    assert conditional["If-None-Match"] == Source.objects.get(pk=wire.pk).etag
    assert conditional["If-Modified-Since"] == "Mon, 11 Mar 2024 09:00:00 GMT"
    assert Article.objects.count() == 5


def test_entries_already_known_by_address_are_not_submitted_again_even_when_they_failed(db, polite):
    with web_server({}) as base:
        entries = feeds.items(base, "news", 2)
    Article.objects.create(url=entries[0].url, state=IngestionState.FAILED, error="HTTP 500", submission="url")
    with web_server({"/feed": feeds.feed_route(feeds.rss(entries), "application/rss+xml")}) as feed_base:
        allow(polite, feed_base)
        report = polling.source_poll(source_id=source(f"{feed_base}/feed").pk)

    assert report.created == 1
    assert Article.objects.get(url=entries[0].url).state == IngestionState.FAILED  # not requeued by the poll


def test_the_same_entries_in_two_feeds_make_one_article_each(db, polite):
    with web_server({}) as base:
        shared = feeds.items(base, "wire", 4)
    routes = {
        "/a": feeds.feed_route(feeds.rss(shared), "application/rss+xml"),
        "/b": feeds.feed_route(feeds.atom(shared[::-1]), "application/atom+xml"),
    }
    with web_server(routes) as feed_base:
        allow(polite, feed_base)
        first, second = source(f"{feed_base}/a", "Agency"), source(f"{feed_base}/b", "Paper")
        reports = [polling.source_poll(source_id=s.pk) for s in (first, second)]

    assert [(r.entries, r.created) for r in reports] == [(4, 4), (4, 0)]
    assert Article.objects.count() == 4
    assert set(Article.objects.values_list("source__name", flat=True)) == {"Agency"}


def test_a_malformed_feed_fails_only_its_own_poll_with_a_readable_reason_and_backs_off(db, polite):
    with web_server({}) as base:
        good = feeds.rss(feeds.items(base, "news", 2))
    routes = {
        "/broken": page(b"<html><body>Service moved <b>here</i></body>", "text/html"),
        "/good": feeds.feed_route(good, "application/rss+xml"),
    }
    with web_server(routes) as feed_base:
        allow(polite, feed_base)
        broken = source(f"{feed_base}/broken", "Broken", poll_interval=600)
        fine = source(f"{feed_base}/good", "Fine")
        failed = polling.source_poll(source_id=broken.pk)
        again = polling.source_poll(source_id=broken.pk)
        polled = polling.source_poll(source_id=fine.pk)

    assert (failed.outcome, again.outcome, polled.created) == ("failed", "failed", 2)
    broken.refresh_from_db()
    assert broken.last_error.startswith("Could not read the feed: not a feed: ")
    assert broken.consecutive_failures == 2
    # Two failures in a row: the interval times four.
    wait = (broken.next_poll_at - broken.last_polled_at).total_seconds()
    assert wait == pytest.approx(2400, abs=2)
    assert Article.objects.filter(source=broken).count() == 0


def test_a_failing_source_is_well_again_after_one_good_poll(db, polite):
    with web_server({"/feed": feeds.feed_route(feeds.rss([]), "application/rss+xml")}) as feed_base:
        allow(polite, feed_base)
        wire = source(f"{feed_base}/feed", consecutive_failures=4, last_error="HTTP 500 from …")
        polling.source_poll(source_id=wire.pk)
    wire.refresh_from_db()
    assert (wire.consecutive_failures, wire.last_error) == (0, "")


def _fifty_megabytes(handler) -> None:
    # No Content-Length: the fetcher must count what it reads and stop at its limit.
    handler.send_response(200)
    handler.send_header("Content-Type", "application/rss+xml")
    handler.end_headers()
    handler.wfile.write(b'<?xml version="1.0"?><rss version="2.0"><channel><title>Huge</title>')
    chunk = b"<item><title>filler</title><link>http://news.test/x</link></item>" * 1000
    try:
        for _ in range(50_000_000 // len(chunk)):
            handler.wfile.write(chunk)
    except OSError:
        pass  # the fetcher hung up at its limit


def test_a_fifty_megabyte_feed_fails_its_poll_as_too_large_and_nothing_else(db, polite):
    with web_server({"/huge": _fifty_megabytes}) as feed_base:
        allow(polite, feed_base)
        huge = source(f"{feed_base}/huge")
        report = polling.source_poll(source_id=huge.pk)

    assert report.outcome == "failed"
    assert report.error == f"Could not fetch the feed: {feed_base}/huge is more than the limit of 10000000 bytes"
    assert Article.objects.count() == 0


def test_an_entry_redirecting_to_a_private_address_ends_failed_with_the_refusal(
    db, polite, django_capture_on_commit_callbacks
):
    def to_loopback(handler) -> None:
        handler.send_response(302)
        handler.send_header("Location", "http://127.0.0.1:1/admin")  # not the allowed test port
        handler.end_headers()

    with web_server({"/story": to_loopback}) as base:
        item = feeds.Item(f"{base}/story", "A story", datetime.datetime(2024, 3, 11, tzinfo=datetime.UTC))
        routes = {"/feed": feeds.feed_route(feeds.rss([item]), "application/rss+xml")}
        with web_server(routes) as feed_base:
            polite.FETCH_ALLOWED_HOSTS = [base.removeprefix("http://"), feed_base.removeprefix("http://")]
            with django_capture_on_commit_callbacks(execute=True):
                polling.source_poll(source_id=source(f"{feed_base}/feed").pk)

    article = Article.objects.get()
    assert article.state == IngestionState.FAILED
    assert article.error == "Could not fetch the page: refused: 127.0.0.1 is a loopback address"


def test_robots_txt_is_honoured_and_fetched_once_per_host(db, polite):
    counter = feeds.Counter()

    def robots(handler) -> None:
        counter.add(handler.path, 200, {})
        page(b"User-agent: *\nDisallow: /private/\n", "text/plain")(handler)

    routes = {
        "/robots.txt": robots,
        "/private/feed": feeds.feed_route(feeds.rss([]), "application/rss+xml", counter),
        "/public/feed": feeds.feed_route(feeds.rss([]), "application/rss+xml", counter),
    }
    with web_server(routes) as feed_base:
        allow(polite, feed_base)
        hidden = source(f"{feed_base}/private/feed", "Hidden")
        shown = source(f"{feed_base}/public/feed", "Shown")
        refused = polling.source_poll(source_id=hidden.pk)
        allowed = polling.source_poll(source_id=shown.pk)

    assert (refused.outcome, allowed.outcome) == ("failed", "polled")
    assert refused.error == f"robots.txt of {polling.origin_of(feed_base)} disallows {feed_base}/private/feed"
    assert [path for path, _, _ in counter.seen] == ["/robots.txt", "/public/feed"]


def test_a_source_another_poll_holds_is_not_polled_twice(db, polite):
    counter = feeds.Counter()
    with web_server({"/feed": feeds.feed_route(feeds.rss([]), "application/rss+xml", counter)}) as feed_base:
        allow(polite, feed_base)
        wire = source(f"{feed_base}/feed", polling_since=timezone.now())
        report = polling.source_poll(source_id=wire.pk)
    assert report.outcome == "busy"
    assert counter.seen == []


@pytest.mark.django_db(transaction=True)
def test_polls_of_two_sources_on_one_host_send_one_request_at_a_time(polite):
    in_flight, most = [0], [0]
    lock = threading.Lock()

    def slow_feed(handler) -> None:
        with lock:
            in_flight[0] += 1
            most[0] = max(most[0], in_flight[0])
        time.sleep(0.3)
        with lock:
            in_flight[0] -= 1
        page(feeds.rss([]), "application/rss+xml")(handler)

    with web_server({"/robots.txt": page(b"", "text/plain"), "/a": slow_feed, "/b": slow_feed}) as feed_base:
        allow(polite, feed_base)
        ids = [source(f"{feed_base}/a", "A").pk, source(f"{feed_base}/b", "B").pk]
        FeedHost.objects.create(origin=polling.origin_of(feed_base), robots_fetched_at=timezone.now())
        reports = []

        def poll(source_id: int) -> None:
            try:
                reports.append(polling.source_poll(source_id=source_id))
            finally:
                connections.close_all()

        threads = [threading.Thread(target=poll, args=[source_id]) for source_id in ids]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

    assert sorted(report.outcome for report in reports) == ["polled", "polled"]
    assert most[0] == 1


def test_beat_round_queues_each_due_source_once_and_skips_inactive_and_not_due(db, polite):
    counter = feeds.Counter()
    with web_server({"/feed": feeds.feed_route(feeds.rss([]), "application/rss+xml", counter)}) as feed_base:
        allow(polite, feed_base)
        due = source(f"{feed_base}/feed", "Due")
        source(f"{feed_base}/feed?off", "Off", active=False)
        source(f"{feed_base}/feed?later", "Later", next_poll_at=timezone.now() + datetime.timedelta(hours=1))
        first = polling.sources_dispatch()
        second = polling.sources_dispatch()

    # Tasks run in-process here (no broker): the first round polled the due source, the second found none due.
    assert (first, second) == ([due.pk], [])
    assert counter.statuses("/feed") == [200]


def test_poll_sources_command_polls_what_is_due_all_or_the_named_ones(db, polite, capsys):
    counter = feeds.Counter()
    route = feeds.feed_route(feeds.rss([]), "application/rss+xml", counter)
    with web_server({"/feed": route, "/idle": route}) as feed_base:
        allow(polite, feed_base)
        later = timezone.now() + datetime.timedelta(hours=1)
        source(f"{feed_base}/feed", "Later", next_poll_at=later)
        source(f"{feed_base}/idle", "Idle", active=False)
        call_command("poll_sources")
        assert counter.seen == []
        call_command("poll_sources", "--all")
        call_command("poll_sources", "Idle")
    output = capsys.readouterr().out
    assert "Later: polled, 0 entries, 0 new" in output and "Idle: polled, 0 entries, 0 new" in output
    assert [path for path, _, _ in counter.seen] == ["/feed", "/idle"]


def test_feed_titles_are_kept_as_text_and_other_schemes_are_dropped():
    body = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>'
        b"<item><title>&lt;script&gt;alert(1)&lt;/script&gt; Pact</title><link>javascript:alert(1)</link></item>"
        b"<item><title>&lt;b&gt;Bold&lt;/b&gt; pact</title><link>/relative/1</link></item>"
        b"</channel></rss>"
    )
    entries = parse_feed(body, content_type="application/rss+xml", url="https://news.test/feed")
    assert [(e.url, e.title) for e in entries] == [("https://news.test/relative/1", "<b>Bold</b> pact")]


def test_a_feed_redirecting_to_a_private_address_fails_its_poll_with_the_refusal(db, polite):
    def to_link_local(handler) -> None:
        handler.send_response(301)
        handler.send_header("Location", "http://169.254.169.254/latest/meta-data/")
        handler.end_headers()

    with web_server({"/feed": to_link_local}) as feed_base:
        allow(polite, feed_base)
        report = polling.source_poll(source_id=source(f"{feed_base}/feed").pk)

    assert report.outcome == "failed"
    assert report.error == "Could not fetch the feed: refused: 169.254.169.254 is a cloud metadata address"
    assert Article.objects.count() == 0
