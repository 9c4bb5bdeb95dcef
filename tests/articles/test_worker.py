"""Ingestion through the real parts: Redis, a real Celery worker in its own process, and the test database.

Fault tests start a Redis server of their own, so that they can stop, restart or hang it, and kill the worker's
pool process.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections, transaction
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from articles import services
from articles.models import Article, Citation
from articles.services import article_submit
from articles.tasks import parse_article
from tests import factories
from tests.processes import Worker, page, unique_queue, wait_until, web_server
from tracker import celery_app
from tracker.models import Agreement
from tracker.partial_dates import PartialDate

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_0a938d0a15eb8031.txt"
STORY = """Bolivia's defence minister Edmundo Novillo defended on Monday the memorandum of understanding on defence
cooperation that he signed with his Iranian counterpart in Tehran on 20 July, telling legislators in La Paz that the
accord covers training and the purchase of drones for border surveillance. {extra}
"""


# Words that name no country and no instrument: each report's own remarks, so that fifty reports of one agreement
# are fifty stories, not copies of one (articles/duplicates.py), and each is parsed and cited on its own.
_REMARKS = [
    "committee",
    "budget",
    "hearing",
    "session",
    "schedule",
    "question",
    "deputies",
    "opposition",
    "vote",
    "motion",
    "report",
    "minutes",
    "procedure",
    "senate",
    "chamber",
    "speaker",
    "press",
    "reply",
    "request",
    "record",
    "quorum",
    "agenda",
    "recess",
    "transcript",
]


def _story(number: int) -> bytes:
    remarks = " ".join(random.Random(number).choices(_REMARKS, k=80))
    return STORY.format(extra=f"Deputy number {number} asked for the text to be published: {remarks}.").encode()


@contextlib.contextmanager
def publishing_to(broker_url: str, queue: str, *, time_limit: int | None = None):
    """Make this test process publish tasks to a real broker, as the web app does in production.

    The publisher writes the task's time limit into each message, so a worker configured with a shorter limit
    needs the publisher to agree.
    """
    conf = celery_app.conf
    saved = {key: conf[key] for key in ("broker_url", "task_always_eager", "task_routes")}
    saved_limit = parse_article.time_limit
    if time_limit is not None:
        parse_article.time_limit = time_limit
    parse_article._exec_options = None  # Celery caches the publish options (the time limit among them) per task.
    conf.update(broker_url=broker_url, task_always_eager=False, task_routes={"articles.tasks.*": {"queue": queue}})
    _forget_broker_connections()
    try:
        yield
    finally:
        parse_article.time_limit = saved_limit
        parse_article._exec_options = None
        conf.update(saved)
        _forget_broker_connections()


def _forget_broker_connections() -> None:
    """Make the next publish connect to the broker now configured, not to the one of an earlier test."""
    celery_app.amqp.flush_routes()
    # close() drops the connection pool but not the producer pool, which stays bound to the first broker it used.
    # Dropped, not closed: kombu's registry hands the same pool out again for a broker used before.
    celery_app.amqp._producer_pool = None
    celery_app.close()
    services.broker_backoff.reset()


@pytest.fixture
def loaded(transactional_db):
    call_command("load_countries", verbosity=0)


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


def _states(ids) -> dict[str, int]:
    states: dict[str, int] = {}
    for state in Article.objects.filter(pk__in=ids).values_list("state", flat=True):
        states[state] = states.get(state, 0) + 1
    return states


def test_a_real_worker_parses_articles_into_merged_agreements(loaded, worker_factory):
    queue = unique_queue()
    broker = "redis://127.0.0.1:6379/0"
    worker = worker_factory(broker, queue)
    with publishing_to(broker, queue):
        seed = article_submit(raw=SEED.read_bytes(), published=PartialDate.parse("2023-08")).article
        follow_up = article_submit(raw=_story(1), published=PartialDate.parse("2023-08-14")).article

    ids = [seed.pk, follow_up.pk]
    wait_until(lambda: _states(ids) == {"parsed": 2}, timeout=60, what="both articles parsed", log=worker.output)
    agreement = Agreement.objects.get()
    assert (agreement.party_key, agreement.status, agreement.current_status_date.iso()) == (
        "BOL IRN",
        "signed",
        "2023-07-20",
    )
    assert sorted(Citation.objects.values_list("article_id", flat=True)) == sorted(ids)


def test_articles_submitted_while_redis_is_down_are_all_parsed_within_a_minute_once_it_is_back(
    loaded, redis_server, worker_factory, settings
):
    # The sweep's own settings, not shortened: articles that never reached the broker are published again once they
    # are INGEST_REQUEUE_PENDING_AFTER (30 s) old, at the next sweep (every 15 s). They used to wait 120 s, then 60.
    assert (settings.INGEST_REQUEUE_PENDING_AFTER, settings.INGEST_SWEEP_INTERVAL) == (30, 15)
    queue = unique_queue()
    redis_server.stop()
    with publishing_to(redis_server.url, queue):
        started = time.monotonic()
        ids = [article_submit(raw=_story(n), published=PartialDate.parse("2023-08-14")).article.pk for n in range(50)]
        elapsed = time.monotonic() - started

    # Every submit returned at once: at most one waited on the dead broker, the rest skipped it.
    assert elapsed < 10, f"50 submits took {elapsed:.1f}s with the broker down"
    assert _states(ids) == {"pending": 50}
    assert not Article.objects.filter(queued_at__isnull=False).exists()

    redis_server.start()
    back = time.monotonic()
    worker = worker_factory(redis_server.url, queue, beat=True)
    wait_until(lambda: _states(ids) == {"parsed": 50}, timeout=180, what="50 articles parsed", log=worker.output)
    waited = time.monotonic() - back
    print(f"50 articles submitted while Redis was down: all parsed {waited:.0f} s after it came back")
    assert waited < 90, f"the articles waited {waited:.0f} s after Redis came back"

    assert Article.objects.count() == 50
    assert Agreement.objects.count() == 1
    per_article = list(Citation.objects.values_list("article_id", flat=True))
    assert sorted(per_article) == sorted(ids), "each article cited exactly once"


def _counted(route):
    """The route, and a list that grows by one each time it is asked for."""
    calls: list[float] = []

    def respond(handler) -> None:
        calls.append(time.monotonic())
        route(handler)

    return respond, calls


def _slow_story(delay: float):
    return _counted(page(b"<html><body><article><p>" + _story(7) + b"</p></article></body></html>", delay=delay))


def test_a_worker_killed_mid_parse_leaves_the_article_parsed_exactly_once(loaded, worker_factory, settings):
    # The page takes 8 s, twice the heartbeat timeout: the sweep (every second, in the worker's other process) must
    # leave the live attempt alone.
    route, fetches = _slow_story(delay=8)
    with web_server({"/slow": route}) as base:
        host = base.removeprefix("http://")
        queue = unique_queue()
        worker = worker_factory(
            "redis://127.0.0.1:6379/0",
            queue,
            beat=True,
            concurrency=2,
            FETCH_ALLOWED_HOSTS=host,
            INGEST_HEARTBEAT_INTERVAL="0.5",
            INGEST_HEARTBEAT_TIMEOUT="4",
            INGEST_SWEEP_INTERVAL="1",
        )
        with publishing_to("redis://127.0.0.1:6379/0", queue):
            article = article_submit(url=f"{base}/slow", published=PartialDate.parse("2023-08-14")).article

        wait_until(lambda: _states([article.pk]) == {"processing": 1}, timeout=30, what="the worker to claim it")
        for child in worker.children():
            os.kill(child, signal.SIGKILL)

        wait_until(lambda: _states([article.pk]) == {"parsed": 1}, timeout=60, what="re-delivery", log=worker.output)

    article.refresh_from_db()
    assert (article.attempts, len(fetches)) == (2, 2)
    assert Citation.objects.filter(article=article).count() == 1
    assert Agreement.objects.count() == 1


def test_a_whole_worker_killed_mid_parse_is_taken_back_within_two_minutes(loaded, worker_factory, settings):
    """The whole worker, main process and pool, killed at once: nobody is left to give its task back.

    Redis would re-deliver the task after its visibility timeout (600 s); the sweep takes the article back once
    its heartbeat is INGEST_HEARTBEAT_TIMEOUT old. The defaults, measured: it used to stay processing for 696 s.
    """
    assert (settings.INGEST_HEARTBEAT_TIMEOUT, settings.INGEST_SWEEP_INTERVAL) == (60, 15)
    route, fetches = _slow_story(delay=4)
    with web_server({"/slow": route}) as base:
        host = base.removeprefix("http://")
        queue = unique_queue()
        first = worker_factory("redis://127.0.0.1:6379/0", queue, FETCH_ALLOWED_HOSTS=host)
        with publishing_to("redis://127.0.0.1:6379/0", queue):
            article = article_submit(url=f"{base}/slow", published=PartialDate.parse("2023-08-14")).article
        wait_until(lambda: _states([article.pk]) == {"processing": 1}, timeout=30, what="the worker to claim it")
        os.killpg(first.process.pid, signal.SIGKILL)
        first.process.wait(timeout=10)
        killed = time.monotonic()

        # Another worker, with beat as docker-compose runs it beside the workers.
        second = worker_factory("redis://127.0.0.1:6379/0", queue, beat=True, FETCH_ALLOWED_HOSTS=host)
        wait_until(lambda: _states([article.pk]) == {"parsed": 1}, timeout=180, what="the sweep", log=second.output)
        recovered = time.monotonic() - killed

    print(f"whole worker killed mid-parse: the article was parsed again {recovered:.0f} s later")
    assert recovered < 120, f"the article was taken back after {recovered:.0f} s"
    article.refresh_from_db()
    assert (article.attempts, len(fetches)) == (2, 2)
    assert Citation.objects.filter(article=article).count() == 1
    assert Agreement.objects.count() == 1


def test_a_poison_article_ends_failed_after_capped_attempts_while_the_others_parse(loaded, worker_factory):
    with web_server({"/never-finishes": page(b"<p>too late</p>", delay=60)}) as base:
        queue = unique_queue()
        worker = worker_factory(
            "redis://127.0.0.1:6379/0",
            queue,
            beat=True,
            FETCH_ALLOWED_HOSTS=base.removeprefix("http://"),
            FETCH_TIMEOUT="120",
            CELERY_TASK_TIME_LIMIT="3",
            INGEST_HEARTBEAT_INTERVAL="0.5",
            INGEST_HEARTBEAT_TIMEOUT="2",
            INGEST_SWEEP_INTERVAL="1",
            INGEST_MAX_ATTEMPTS="3",
        )
        with publishing_to("redis://127.0.0.1:6379/0", queue, time_limit=3):
            poison = article_submit(url=f"{base}/never-finishes").article
            others = [
                article_submit(raw=_story(n), published=PartialDate.parse("2023-08-14")).article.pk for n in range(19)
            ]

        wait_until(
            lambda: _states([poison.pk]) == {"failed": 1} and _states(others) == {"parsed": 19},
            timeout=120,
            what="the poison article to fail and the others to parse",
            log=lambda: (
                "\n".join(line for line in worker.output().splitlines() if "requeue" not in line)
                + f"\n{_states([poison.pk])} {_states(others)}"
            ),
        )

    poison.refresh_from_db()
    assert poison.attempts == 3
    assert "Gave up after 3 attempts" in poison.error
    assert Citation.objects.filter(article_id__in=others).count() == 19


def test_documents_too_slow_to_read_fail_at_once_on_the_long_queue_while_short_ones_are_parsed(
    loaded, worker_factory, settings
):
    """Two such documents used to hold both worker slots for three time limits each (300 s, killed, re-delivered),
    and five good articles waited 296 s behind them."""
    queue = unique_queue()
    long_queue = f"{queue}-long"
    limits = {"INGEST_LONG_QUEUE": long_queue, "INGEST_LONG_DOCUMENT_BYTES": "100000", "INGEST_PARSE_TIME_LIMIT": "1"}
    short = worker_factory(BROKER, queue, **limits)
    long = worker_factory(BROKER, long_queue, **limits)
    settings.INGEST_LONG_QUEUE, settings.INGEST_LONG_DOCUMENT_BYTES = long_queue, 100_000
    with publishing_to(BROKER, queue):
        tangles = [
            article_submit(raw=factories.run_on_signings(20_000 + n), content_type="text/plain").article.pk
            for n in range(2)
        ]
        started = time.monotonic()
        good = [article_submit(raw=_story(n), published=PartialDate.parse("2023-08-14")).article.pk for n in range(5)]

    wait_until(lambda: _states(good) == {"parsed": 5}, timeout=60, what="the short articles", log=short.output)
    waited = time.monotonic() - started
    still_open = _states(tangles)
    wait_until(lambda: _states(tangles) == {"failed": 2}, timeout=120, what="the long ones to fail", log=long.output)

    print(f"five short articles parsed {waited:.1f} s after submission; the long queue then held {still_open}")
    assert still_open.get("failed", 0) < 2, "the short articles waited for the long ones"
    assert waited < 30
    assert set(Article.objects.filter(pk__in=tangles).values_list("attempts", "error")) == {
        (
            1,
            "Could not read the document in time: parsing took longer than 1 s (INGEST_PARSE_TIME_LIMIT), so it was "
            "stopped. It is too long or too intricate to read; the document is kept.",
        )
    }
    assert (_received(short), _received(long)) == (5, 2)


def _received(worker: Worker) -> int:
    """How many parse tasks the worker took from its queue."""
    return sum("parse_article[" in line and line.endswith("received") for line in worker.output().splitlines())


# Pairs of countries, each with two differently worded reports of one defence MoU signed on 20 July 2023.
SAME_AGREEMENT_PAIRS = [
    ("Bolivia", "Iran", "BOL IRN"),
    ("Kenya", "Cuba", "CUB KEN"),
    ("Japan", "Mongolia", "JPN MNG"),
    ("Chile", "Peru", "CHL PER"),
    ("Egypt", "Greece", "EGY GRC"),
    ("Norway", "Ghana", "GHA NOR"),
]


def _two_reports(a: str, b: str) -> list[bytes]:
    return [
        f"{a} and {b} signed a memorandum of understanding on defence cooperation on 20 July 2023, officials said.",
        f"Legislators questioned the defence cooperation memorandum that {b} signed with {a} on 20 July 2023, a "
        f"minister said. Deputy {a} asked for the text.",
    ]


def test_two_articles_about_one_agreement_parsed_at_the_same_moment_make_one_agreement(loaded, worker_factory):
    """On PostgreSQL the merges of one party set wait for each other on an advisory lock (articles/merging.py).

    Not skipped on SQLite: there the lock is a no-op, and the test passes because every transaction takes the
    database's write lock when it begins (transaction_mode IMMEDIATE, tracker/settings.py), which is the claim the
    merging code relies on. Without the lock, PostgreSQL made two agreements for most pairs in every run.
    """
    queue = unique_queue()
    broker = "redis://127.0.0.1:6379/0"
    worker = worker_factory(broker, queue, concurrency=4)
    published = PartialDate.parse("2023-08-14")
    # One transaction, so that every task is published at its commit, back to back: the worker hands the two
    # reports of a pair to two pool processes that parse and merge them at the same moment.
    with publishing_to(broker, queue), transaction.atomic():
        ids = [
            article_submit(raw=report.encode(), published=published).article.pk
            for a, b, _ in SAME_AGREEMENT_PAIRS
            for report in _two_reports(a, b)
        ]

    wait_until(lambda: _states(ids) == {"parsed": len(ids)}, timeout=90, what="every report parsed", log=worker.output)
    assert Counter(Agreement.objects.values_list("party_key", flat=True)) == {
        key: 1 for _, _, key in SAME_AGREEMENT_PAIRS
    }
    assert Citation.objects.count() == len(ids)


# ---------------------------------------------------------------------------------------------------------------------
# The cache on the broker's Redis, as docker-compose.yml ships it: API throttles read it on every request.

READS = ("/api/v1/agreements/", "/api/v1/articles/", "/api/v1/countries/IRN/")
BROKER = "redis://127.0.0.1:6379/0"


def _analyst_api() -> APIClient:
    """An analyst's token client; the token is created here so that threads only read it."""
    client = APIClient()
    token = Token.objects.create(user=factories.analyst())
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def _post_story(client: APIClient, number: int):
    return client.post("/api/v1/articles/", {"text": _story(number).decode(), "published": "2023-08-14"})


def _health(client: APIClient) -> tuple[int, dict]:
    """Readiness: each check and whether it passed."""
    response = client.get("/readyz?format=json")
    return response.status_code, {check.split("(")[0]: answer == "OK" for check, answer in response.json().items()}


def test_with_its_redis_down_the_api_answers_stores_every_submission_and_readiness_says_so(
    loaded, redis_cache, worker_factory
):
    redis, queue = redis_cache, unique_queue()
    analyst, anonymous = _analyst_api(), APIClient()
    redis.stop()
    with publishing_to(redis.url, queue):
        reads = [anonymous.get(path).status_code for path in READS] + [analyst.get(READS[0]).status_code]
        started = time.monotonic()
        answers = [_post_story(analyst, n) for n in range(50)]
        elapsed = time.monotonic() - started
        health = _health(anonymous)

    assert reads == [200, 200, 200, 200]
    assert [answer.status_code for answer in answers] == [202] * 50
    assert elapsed < 10, f"50 submits took {elapsed:.1f}s with Redis down"
    ids = [answer.json()["id"] for answer in answers]
    assert _states(ids) == {"pending": 50}
    assert health == (503, {"Database": True, "Cache": False, "Migrations": True})
    assert anonymous.get("/healthz").status_code == 200  # alive all the same: a restart would not bring Redis back

    redis.start()
    wait_until(lambda: _health(anonymous)[0] == 200, timeout=15, what="readiness to see the cache back")
    assert _health(anonymous) == (200, {"Database": True, "Cache": True, "Migrations": True})
    worker = worker_factory(redis.url, queue, beat=True, INGEST_SWEEP_INTERVAL="1", INGEST_REQUEUE_PENDING_AFTER="1")
    wait_until(lambda: _states(ids) == {"parsed": 50}, timeout=120, what="50 articles parsed", log=worker.output)


def _timed(request) -> tuple[int, float]:
    started = time.monotonic()
    try:
        return request().status_code, time.monotonic() - started
    finally:
        connections.close_all()  # each thread has its own connection to the test database


def test_a_hung_cache_redis_costs_a_request_at_most_its_socket_timeout(loaded, redis_cache, worker_factory):
    redis, queue = redis_cache, unique_queue()
    analyst, anonymous = _analyst_api(), APIClient()
    assert anonymous.get(READS[0]).status_code == 200  # connected to Redis before it hangs
    # Only the cache hangs: tasks go to the shared broker, and the worker starts after the timing, so that the
    # requests wait on nothing but the cache (on SQLite, parsing in the request would serialise them).
    with publishing_to(BROKER, queue):
        redis.pause()
        try:
            with ThreadPoolExecutor(max_workers=20) as pool:
                posts = list(pool.map(lambda n: _timed(lambda: _post_story(analyst, n)), range(20)))
            reads = [_timed(lambda path=path: anonymous.get(path)) for path in READS]
            health = _health(anonymous)
        finally:
            redis.resume()

    assert [status for status, _ in posts + reads] == [202] * 20 + [200] * 3
    slowest = max(seconds for _, seconds in posts + reads)
    # A hung cache without its socket timeout would hold every request until Redis came back; with it, each request
    # pays at most that timeout and its own work (twenty at once on a loaded two-core machine took up to 2.2 s).
    assert slowest < 4, f"a request took {slowest:.1f}s with Redis hung"
    assert health == (503, {"Database": True, "Cache": False, "Migrations": True})
    ids = list(Article.objects.values_list("pk", flat=True))
    assert len(ids) == 20
    worker = worker_factory(BROKER, queue)
    wait_until(lambda: _states(ids) == {"parsed": 20}, timeout=60, what="20 articles parsed", log=worker.output)
