"""Liveness answers whatever the Host; readiness asks the database, the cache, migrations, a worker and beat."""

from __future__ import annotations

import contextlib

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from tests.processes import Worker, wait_until
from tracker import celery_app
from tracker.health import beat_heartbeat_record


def readiness(client) -> tuple[int, dict[str, str]]:
    response = client.get("/readyz?format=json")
    return response.status_code, {check.split("(")[0]: answer for check, answer in response.json().items()}


def test_liveness_answers_a_container_probe_whatever_allowed_hosts_holds(db, client, django_assert_num_queries):
    assert client.get("/", HTTP_HOST="tracker-web-1:8000").status_code == 400  # an unknown host, for any page
    for path in ("/healthz", "/livez"):
        with django_assert_num_queries(0):
            response = client.get(path, HTTP_HOST="tracker-web-1:8000")
        assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_readiness_without_a_broker_checks_the_database_the_cache_and_migrations(db, client):
    assert readiness(client) == (200, {"Database": "OK", "Cache": "OK", "Migrations": "OK"})


def _latest_and_previous(app: str) -> tuple[str, str]:
    """The app's latest migration and the one before it (names)."""
    graph = MigrationLoader(connection).graph
    (leaf,) = graph.leaf_nodes(app)
    (parent,) = graph.node_map[leaf].parents
    return leaf[1], parent.key[1]


@pytest.mark.django_db(transaction=True)
def test_readiness_fails_while_a_migration_is_unapplied(client):
    app = "axes"
    latest, previous = _latest_and_previous(app)
    call_command("migrate", app, previous, verbosity=0)
    try:
        status, checks = readiness(client)
    finally:
        call_command("migrate", app, latest, verbosity=0)
    assert status == 503
    assert checks["Migrations"] == f"Unavailable: 1 unapplied migrations, first axes.{latest}"
    assert readiness(client)[0] == 200


def test_a_stale_beat_heartbeat_fails_readiness(db, client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens: no worker answers either
    settings.HEALTH_WORKER_PING_TIMEOUT = 0.5
    beat_heartbeat_record(now=0)
    status, checks = readiness(client)
    assert status == 503
    assert checks["BeatHeartbeat"].startswith("Unavailable: last beat heartbeat ")
    # no worker answers (the broker is unreachable; what the ping reports depends on the connection state it finds)
    assert checks["WorkerPing"].startswith("Unavailable: ")
    assert checks["Database"] == checks["Cache"] == checks["Migrations"] == "OK"


@contextlib.contextmanager
def broker(url: str):
    """Let this process talk to a real broker, as the web does in production (pings go through it)."""
    saved = {key: celery_app.conf[key] for key in ("broker_url", "task_always_eager")}
    celery_app.conf.update(broker_url=url, task_always_eager=False)
    celery_app.amqp._producer_pool = None
    celery_app.close()
    try:
        yield
    finally:
        celery_app.conf.update(saved)
        celery_app.amqp._producer_pool = None
        celery_app.close()


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_readiness_needs_a_worker_on_every_queue_and_beat_and_follows_redis_down_and_back(
    client, redis_cache, settings
):
    redis = redis_cache
    settings.CELERY_BROKER_URL = redis.url
    queues = ",".join(queue.name for queue in settings.CELERY_TASK_QUEUES)
    with broker(redis.url):
        status, checks = readiness(client)
        assert status == 503
        assert checks["WorkerPing"] == "Unavailable: Celery workers unavailable"
        assert checks["BeatHeartbeat"] == "Unavailable: no beat heartbeat yet"

        worker = Worker(
            redis.url,
            settings.CELERY_TASK_DEFAULT_QUEUE,
            queues=queues,
            beat=True,
            CACHE_URL=redis.url,
            BEAT_HEARTBEAT_INTERVAL="1",
        )
        try:
            worker.start()
            wait_until(lambda: readiness(client)[0] == 200, timeout=60, what="readiness", log=worker.output)
            assert readiness(client)[1] == {
                "Database": "OK",
                "Cache": "OK",
                "Migrations": "OK",
                "WorkerPing": "OK",
                "BeatHeartbeat": "OK",
            }

            redis.stop()
            status, checks = readiness(client)
            assert status == 503
            assert checks["Cache"] != "OK" and checks["WorkerPing"] != "OK"

            redis.start()
            wait_until(lambda: readiness(client)[0] == 200, timeout=60, what="readiness again", log=worker.output)
        finally:
            worker.stop()
