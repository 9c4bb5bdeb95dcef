"""Feeds polled by a real Celery beat and worker on the real Redis and database: news arrives by itself."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command

from articles.models import Article, Citation, IngestionState, Source
from tests.articles import feeds
from tests.processes import Worker, page, unique_queue, wait_until, web_server
from tracker.models import Agreement

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

# Three reports of one accord in words of their own (copies of one report would be stored as its duplicates).
STORIES = (
    "Bolivia's defence minister Edmundo Novillo defended on Monday the memorandum of understanding on defence "
    "cooperation that he signed with his Iranian counterpart in Tehran on 20 July, telling legislators in La Paz that "
    "the accord covers training and the purchase of drones for border surveillance.",
    "Opposition deputies in La Paz asked the government to publish the memorandum of understanding on defence "
    "cooperation that Bolivia signed with Iran on 20 July, saying that nobody outside the cabinet has read what the "
    "two governments agreed about drones, instructors and payments.",
    "Iran's defence ministry said on Tuesday that the memorandum of understanding on defence cooperation it signed "
    "with Bolivia on 20 July will let Iranian instructors train Bolivian officers, and that deliveries of drones for "
    "surveillance would begin before the end of the year.",
)
STORY = """<html><head><title>Bolivia defends drone accord</title></head><body><article><p>{text}</p>
</article></body></html>"""


@pytest.fixture
def worker_factory():
    started: list[Worker] = []

    def start(broker_url: str, queue: str, **settings) -> Worker:
        worker = Worker(broker_url, queue, **settings)
        started.append(worker)
        worker.start()
        return worker

    yield start
    for worker in started:
        worker.stop()


def test_an_active_source_is_polled_by_beat_and_its_articles_are_parsed_with_nobody_submitting_them(
    transactional_db, worker_factory
):
    call_command("load_countries", verbosity=0)
    counter = feeds.Counter()
    routes = {f"/story/{n}": page(STORY.format(text=text).encode()) for n, text in enumerate(STORIES)}
    with web_server(routes) as base:
        published = datetime.datetime(2023, 8, 14, 9, tzinfo=datetime.UTC)
        entries = [feeds.Item(f"{base}/story/{n}", f"Drone accord {n}", published) for n in range(3)]
        # The feed names the server's own address, known only now; the server reads the same routes dict.
        routes["/robots.txt"] = page(b"User-agent: *\nAllow: /\n", "text/plain")
        routes["/feed"] = feeds.feed_route(feeds.rss(entries), "application/rss+xml", counter)
        wire = Source.objects.create(name="Wire", feed_url=f"{base}/feed", active=True, language="en")
        worker = worker_factory(
            "redis://127.0.0.1:6379/0",
            unique_queue(),
            beat=True,
            FETCH_ALLOWED_HOSTS=base.removeprefix("http://"),
            SOURCE_SCHEDULE_INTERVAL="1",
            SOURCE_HOST_MIN_INTERVAL="0",
        )

        def parsed() -> bool:
            states = list(Article.objects.filter(source=wire).values_list("state", flat=True))
            return states == [IngestionState.PARSED] * 3

        wait_until(parsed, timeout=120, what="the feed's three articles parsed", log=worker.output)
        # Beat keeps running: the source is not due again for its poll interval, so the feed was fetched once.
        assert counter.statuses("/feed") == [200]

    articles = Article.objects.filter(source=wire).order_by("url")
    assert [(a.title, a.published_on, a.submitted_by) for a in articles] == [
        (f"Drone accord {n}", datetime.date(2023, 8, 14), None) for n in range(3)
    ]
    agreement = Agreement.objects.get(party_key="BOL IRN")
    assert Citation.objects.filter(agreement=agreement).count() == 3  # each report cites the one accord
    wire.refresh_from_db()
    assert (wire.consecutive_failures, wire.last_error) == (0, "")
    assert wire.last_polled_at is not None and wire.polling_since is None
