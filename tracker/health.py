"""Liveness and readiness.

Liveness (`/healthz`, `/livez`) says only that the process serves requests: it is answered by the first middleware,
before host validation, so a container's own probe on 127.0.0.1 passes whatever ALLOWED_HOSTS holds, and it asks no
other service (restarting the web would not bring them back). Readiness (`/readyz`, django-health-check) asks every
service the web and the workers rely on.
"""

from __future__ import annotations

import dataclasses
import datetime
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from health_check.base import HealthCheck
from health_check.checks import Cache, Database
from health_check.contrib.celery import Ping
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView
from kombu.exceptions import OperationalError as KombuOperationalError

LIVENESS_PATHS = frozenset({"/healthz", "/livez"})
BEAT_HEARTBEAT_KEY = "tracker:beat-heartbeat"


def answer_liveness(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        if request.path in LIVENESS_PATHS and request.method in ("GET", "HEAD"):
            return JsonResponse({"status": "ok"})
        return get_response(request)

    return middleware


def beat_heartbeat_record(*, now: float | None = None) -> None:
    """Stamp the time beat last had a task run (tracker.tasks.beat_heartbeat)."""
    cache.set(BEAT_HEARTBEAT_KEY, time.time() if now is None else now, timeout=None)


def unapplied_migrations(*, alias: str = DEFAULT_DB_ALIAS) -> list[str]:
    executor = MigrationExecutor(connections[alias])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


@dataclasses.dataclass
class Migrations(HealthCheck):
    """Every migration is applied: a web started before `migrate` finished would serve a schema it does not know."""

    alias: str = DEFAULT_DB_ALIAS

    def run(self) -> None:
        try:
            missing = unapplied_migrations(alias=self.alias)
        finally:
            connections[self.alias].close()  # the check runs in a thread of its own: leave no connection behind
        if missing:
            raise ServiceUnavailable(f"{len(missing)} unapplied migrations, first {missing[0]}")


@dataclasses.dataclass
class BeatHeartbeat(HealthCheck):
    """Beat's periodic task ran lately: beat is alive and a worker takes its tasks (the sweep among them)."""

    max_age: float = dataclasses.field(default_factory=lambda: settings.BEAT_HEARTBEAT_MAX_AGE)

    def run(self) -> None:
        stamp = cache.get(BEAT_HEARTBEAT_KEY)
        if stamp is None:
            raise ServiceUnavailable("no beat heartbeat yet")
        age = time.time() - stamp
        if age > self.max_age:
            raise ServiceUnavailable(f"last beat heartbeat {age:.0f} s ago")


@dataclasses.dataclass
class WorkerPing(Ping):
    """A worker answers a ping on every queue settings.py declares (so the broker answers too)."""

    def run(self) -> None:
        try:
            super().run()
        except KombuOperationalError as error:
            raise ServiceUnavailable("broker unreachable") from error


def readiness_checks() -> list:
    """The database, the cache, no pending migration; with a broker, a worker on every queue and beat's heartbeat."""
    checks: list = [Database, Cache, Migrations]
    if settings.CELERY_BROKER_URL:
        ping_timeout = datetime.timedelta(seconds=settings.HEALTH_WORKER_PING_TIMEOUT)
        checks += [(WorkerPing, {"timeout": ping_timeout}), BeatHeartbeat]
    return checks


class ReadinessView(HealthCheckView):
    """`/readyz`: each check with its state (`?format=json`, or HTML, text, OpenMetrics by Accept); 503 if one fails."""

    def get_checks(self):
        # Chosen per request, so that the checks follow the settings the process runs with.
        self.checks = readiness_checks()
        return super().get_checks()

    async def get(self, request, *args, **kwargs):
        response = await super().get(request, *args, **kwargs)
        if response.status_code == 500:
            # Not ready is "unavailable", the status load balancers and Compose take to mean "try elsewhere".
            response.status_code = 503
        return response
