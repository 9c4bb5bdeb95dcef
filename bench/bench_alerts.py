"""Alerts: match 1,000 agreement events against 10,000 watchlists and queue the deliveries.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_alerts_bench .venv/bin/python bench/bench_alerts.py

Creates and migrates the database if needed, loads the countries, creates the agreements once (their edit history
is what the event reader reads), then for each watchlist count (1,000 and 10,000 by default) empties the alerts
tables, creates that many watchlists (one country, a pair, or no country with a type; random statuses and minimum
confidence; one in ten with a webhook) and times one run of the event reader over the events: recording them,
matching each against every watchlist, writing the inbox and delivery-log rows, and publishing the webhook tasks
to a real Redis queue that no worker reads (emptied afterwards). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tracker_alerts_bench")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
# A queue of the benchmark's own, which no worker serves: publishing is measured, delivering is not.
os.environ["CELERY_TASK_DEFAULT_QUEUE"] = f"bench-alerts-{uuid.uuid4().hex[:8]}"

COUNTRIES = [
    "BOL",
    "IRN",
    "RUS",
    "CHN",
    "USA",
    "FRA",
    "DEU",
    "GBR",
    "IND",
    "BRA",
    "MLI",
    "BFA",
    "NER",
    "TCD",
    "SEN",
    "CIV",
    "GHA",
    "NGA",
    "EGY",
    "TUR",
    "SAU",
    "ARE",
    "QAT",
    "ISR",
    "JPN",
    "KOR",
    "PRK",
    "VNM",
    "PHL",
    "IDN",
    "AUS",
    "NZL",
    "CAN",
    "MEX",
    "ARG",
    "CHL",
    "PER",
    "COL",
    "VEN",
    "CUB",
    "ZAF",
    "ETH",
    "KEN",
    "UKR",
    "POL",
]
TYPES = ["defense", "security", "economic", "energy", "nuclear", "diplomatic", "technology", "other"]
STATUSES = ["proposed", "signed", "in_force", "terminated"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--watchlists", type=int, nargs="+", default=[1000, 10000])
    arguments = parser.parse_args()

    import django

    django.setup()
    from bench.bench_ingest import _ensure_database

    _ensure_database()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_countries", verbosity=0)
    start_row = _agreements(arguments.events)
    print(f"{arguments.events} agreement events in the edit history (one created agreement each)")
    for count in arguments.watchlists:
        _run(count, start_row)
    _empty_queue()


def _agreements(count: int) -> int:
    """Create the agreements whose history rows are the events; returns the history id before the first."""
    from alerts.models import Event
    from tracker import services
    from tracker.models import Agreement
    from tracker.partial_dates import PartialDate

    Event.objects.all().delete()
    Agreement.objects.all().delete()
    history = Agreement.history.model
    before = history.objects.order_by("-history_id").values_list("history_id", flat=True).first() or 0
    rng = random.Random(12)
    for number in range(count):
        parties = rng.sample(COUNTRIES, rng.choice((2, 2, 2, 3, 5)))
        services.agreement_create(
            title=f"Agreement {number}",
            party_codes=parties,
            type=rng.choice(TYPES),
            status=rng.choice(STATUSES),
            date=PartialDate.parse(f"{rng.randint(1990, 2026)}-{rng.randint(1, 12):02d}"),
            confidence=round(rng.uniform(0.3, 1.0), 2),
            origin=rng.choice(("extracted", "manual")),
        )
    return before


def _watchlists(count: int) -> None:
    from django.contrib.auth import get_user_model

    from alerts.models import CHOICE_SETS, WatchedCountry, Watchlist, Webhook, mask_of
    from tracker.models import Country

    User = get_user_model()
    User.objects.filter(username__startswith="bench-").delete()
    users = User.objects.bulk_create(
        [User(username=f"bench-{n}", email=f"b{n}@example.org") for n in range(count // 10)]
    )
    ids = dict(Country.objects.filter(code__in=COUNTRIES).values_list("code", "pk"))
    rng = random.Random(count)
    rows, watched = [], []
    for number in range(count):
        shape = rng.random()
        codes = rng.sample(COUNTRIES, 1 if shape < 0.6 else 2) if shape < 0.85 else []
        types = rng.sample(TYPES, rng.choice((0, 1, 2))) if codes else rng.sample(TYPES, 1)
        rows.append(
            Watchlist(
                owner=users[number % len(users)],
                name=f"w{number}",
                type_mask=mask_of(CHOICE_SETS["types"], types),
                status_mask=mask_of(CHOICE_SETS["statuses"], rng.sample(STATUSES, rng.choice((0, 0, 1, 2)))),
                min_confidence=rng.choice((0, 0, 0.5, 0.8)),
            )
        )
        watched.append(codes)
    rows = Watchlist.objects.bulk_create(rows, batch_size=2000)
    WatchedCountry.objects.bulk_create(
        [
            WatchedCountry(watchlist=w, country_id=ids[c])
            for w, codes in zip(rows, watched, strict=False)
            for c in codes
        ],
        batch_size=5000,
    )
    Webhook.objects.bulk_create(
        [Webhook(owner=w.owner, watchlist=w, url="https://hooks.example.org/in") for w in rows[::10]],
        batch_size=2000,
    )


def _run(count: int, start_row: int) -> None:
    from django.db import connection

    from alerts import events as alert_events
    from alerts.events import events_record
    from alerts.models import AlertCursor, Delivery, Event, Watchlist, WebhookDelivery

    Event.objects.all().delete()
    Watchlist.objects.all().delete()
    _watchlists(count)
    AlertCursor.objects.update_or_create(pk=1, defaults={"last_history_id": start_row})
    queries = []
    publishing = []
    publish = alert_events._publish_deliveries

    def timed_publish(ids):  # the same publishing, timed apart from the matching
        began = time.perf_counter()
        publish(ids)
        publishing.append(time.perf_counter() - began)

    alert_events._publish_deliveries = timed_publish
    try:
        with connection.execute_wrapper(
            lambda execute, sql, params, many, context: queries.append(1) or execute(sql, params, many, context)
        ):
            started = time.perf_counter()
            events = events_record(batch=100_000)
            elapsed = time.perf_counter() - started
    finally:
        alert_events._publish_deliveries = publish
    deliveries, posts = Delivery.objects.count(), WebhookDelivery.objects.count()
    published = sum(publishing)
    matched = elapsed - published
    per_event = max(1, len(events))
    print(
        f"{count:>6} watchlists: {len(events)} events in {elapsed:.2f} s: recorded and matched with their inbox and "
        f"delivery-log rows written in {matched:.2f} s ({1000 * matched / per_event:.1f} ms/event), "
        f"{posts + 1} tasks published to Redis in {published:.2f} s; {len(queries)} queries "
        f"({len(queries) / per_event:.2f}/event); {deliveries} inbox deliveries"
    )


def _empty_queue() -> None:
    import redis
    from django.conf import settings

    redis.Redis.from_url(settings.CELERY_BROKER_URL).delete(settings.CELERY_TASK_DEFAULT_QUEUE)


if __name__ == "__main__":
    main()
