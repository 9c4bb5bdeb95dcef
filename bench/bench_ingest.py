"""End-to-end ingestion throughput: submit → Redis → a real Celery worker → PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_ingest_bench .venv/bin/python bench/bench_ingest.py

Creates and migrates the database if needed, loads the countries, empties articles and agreements, then submits
2,000 distinct articles of about 400 words (development-set stories, each with a sentence of its own) and waits
until workers have parsed them all. Prints the submit rate, the end-to-end rate, and, for scale, the engine alone
on the same texts in this process. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tracker_ingest_bench")


def _texts(count: int) -> list[tuple[str, datetime.date]]:
    records = [json.loads(line) for line in (ROOT / "tests" / "extraction" / "dev_gold.jsonl").open(encoding="utf-8")]
    texts = []
    for number in range(count):
        record = records[number % len(records)]
        words = record["text"].split(" ")
        body = record["text"]
        while len(words) < 400:
            body += "\n\n" + records[(number + 7) % len(records)]["text"]
            words = body.split(" ")
        body = " ".join(words[:400]) + f"\n\nThis is bulletin number {number}."
        texts.append((body, datetime.date.fromisoformat(record["published"])))
    return texts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=1, help="worker processes")
    parser.add_argument("--concurrency", type=int, default=2, help="pool processes per worker")
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/0")
    arguments = parser.parse_args()

    import django
    from django.core.management import call_command
    from django.db import connection

    from tests.processes import Worker, unique_queue, wait_until

    django.setup()
    _ensure_database()
    call_command("migrate", verbosity=0)
    call_command("load_countries", verbosity=0)

    from articles.extraction import extract
    from articles.models import Article, IngestionState
    from articles.services import article_submit
    from tracker import celery_app
    from tracker.models import Agreement
    from tracker.partial_dates import PartialDate

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE articles_citation, articles_countrymention, articles_article CASCADE")
    Agreement.objects.all().delete()

    texts = _texts(arguments.articles)
    started = time.perf_counter()
    for text, published in texts[:200]:
        extract(text, published=published)
    engine_rate = 200 / (time.perf_counter() - started)

    queue = unique_queue()
    workers = [
        Worker(arguments.broker, queue, concurrency=arguments.concurrency, CONN_MAX_AGE="60")
        for _ in range(arguments.workers)
    ]
    for worker in workers:
        worker.start()
    celery_app.conf.update(
        broker_url=arguments.broker, task_always_eager=False, task_routes={"articles.tasks.*": {"queue": queue}}
    )
    try:
        started = time.perf_counter()
        ids = [
            article_submit(raw=text.encode(), published=PartialDate(published, "day")).article.pk
            for text, published in texts
        ]
        submitted = time.perf_counter() - started
        open_states = (IngestionState.PENDING, IngestionState.PROCESSING)
        wait_until(
            lambda: not Article.objects.filter(pk__in=ids, state__in=open_states).exists(),
            timeout=3600,
            interval=0.25,
            what="every article parsed",
            log=workers[0].output,
        )
        total = time.perf_counter() - started
    finally:
        for worker in workers:
            worker.stop()

    parsed = Article.objects.filter(pk__in=ids, state=IngestionState.PARSED).count()
    summaries = list(Article.objects.filter(pk__in=ids).values_list("parse_summary", flat=True))
    print(f"articles: {len(ids)}  parsed: {parsed}  failed: {len(ids) - parsed}")
    print(
        f"agreements: {Agreement.objects.count()}  citations per article (median): "
        f"{statistics.median(s.get('agreements', 0) for s in summaries)}"
    )
    print(f"submit (store + publish): {len(ids) / submitted:8.1f} articles/s")
    print(f"end to end (submit → parsed): {len(ids) / total:8.1f} articles/s  ({total:.1f} s)")
    print(f"engine alone, same texts, this process: {engine_rate:8.1f} articles/s")
    print(f"ratio engine / end to end: {engine_rate / (len(ids) / total):.1f}")


def _ensure_database() -> None:
    """Create the benchmark database on first use."""
    import psycopg
    from django.db import connection

    settings = connection.settings_dict
    if not settings["ENGINE"].endswith("postgresql"):
        return
    with psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        dbname="postgres",
        autocommit=True,
    ) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [settings["NAME"]]).fetchone()
        if not exists:
            admin.execute(f'CREATE DATABASE "{settings["NAME"]}"')


if __name__ == "__main__":
    main()
