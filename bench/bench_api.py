"""Latency of the main JSON API endpoints, each against one raw SQL query fetching the same rows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_bench .venv/bin/python bench/generate.py   # once
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_bench .venv/bin/python bench/bench_api.py

Requests go through the whole Django stack in-process (middleware, authentication, throttling switched off,
filters, serialisation, JSON rendering) with the test Client. The baseline is one hand-written query returning the
same agreements with their parties, status history and citations as JSON, run on the same connection in the same
run, so the ratio says what the framework and the ORM cost on top of the database. Targets: p95 <= 100 ms and a
ratio <= 4.
"""

from __future__ import annotations

import gc
import os
import random
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
os.environ.setdefault("DEBUG", "1")
# Persistent connections, as a production deployment has them (CONN_MAX_AGE); otherwise every request reconnects.
os.environ.setdefault("CONN_MAX_AGE", "600")

P95_TARGET_MS = 100
RATIO_TARGET = 4

# The same rows as an agreement in the API: its columns, parties, status history and citations with their articles.
RAW_DETAILS = """
SELECT a.id, a.title, a.type, a.status, a.status_date, a.status_date_precision, a.start_date, a.confidence,
       a.origin, a.review_state, a.updated_at,
       (SELECT json_agg(json_build_object('code', c.code, 'name', c.name) ORDER BY c.code)
          FROM tracker_agreementparty p JOIN tracker_country c ON c.id = p.country_id WHERE p.agreement_id = a.id),
       (SELECT json_agg(json_build_object('status', s.status, 'date', s.date, 'precision', s.date_precision)
                        ORDER BY s.date, s.id)
          FROM tracker_statuschange s WHERE s.agreement_id = a.id),
       (SELECT json_agg(json_build_object('quote', ci.quote, 'article', ar.id, 'title', ar.title, 'url', ar.url))
          FROM articles_citation ci JOIN articles_article ar ON ar.id = ci.article_id WHERE ci.agreement_id = a.id)
  FROM tracker_agreement a
"""
VISIBLE = "a.review_state <> 'rejected' AND a.merged_into_id IS NULL"


def measure(call, runs: int) -> list[float]:
    for _ in range(5):
        call()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def main() -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from tracker.models import Agreement

    settings.API_THROTTLE_ANON = settings.API_THROTTLE_USER = ""  # measure the endpoints, not the rate limiter
    if connection.vendor != "postgresql" or Agreement.objects.count() < 10_000:
        print("Load the benchmark data first (PostgreSQL): bench/generate.py", file=sys.stderr)
        return 2
    rng = random.Random(args.seed)
    client = Client(HTTP_HOST="localhost")
    ids = list(Agreement.objects.visible().values_list("id", flat=True).order_by("?")[:500])
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT a.code, b.code FROM tracker_agreementparty pa JOIN tracker_agreementparty pb
                 ON pb.agreement_id = pa.agreement_id AND pb.country_id > pa.country_id
               JOIN tracker_country a ON a.id = pa.country_id JOIN tracker_country b ON b.id = pb.country_id
               GROUP BY a.code, b.code ORDER BY count(*) DESC LIMIT 1"""
        )
        pair = cursor.fetchone()
    first_page = client.get("/api/v1/agreements/").json()
    second_page = {"next": first_page["next"], "last": first_page["results"][-1]["id"]}

    def get(url):
        def call():
            response = client.get(url() if callable(url) else url)
            assert response.status_code == 200, (response.status_code, response.content[:300])

        return call

    def sql(query, params=()):
        def call():
            with connection.cursor() as cursor:
                cursor.execute(query, params() if callable(params) else params)
                cursor.fetchall()

        return call

    pair_sql = (
        RAW_DETAILS
        + f""" WHERE {VISIBLE}
          AND EXISTS (SELECT 1 FROM tracker_agreementparty p JOIN tracker_country c ON c.id = p.country_id
                      WHERE p.agreement_id = a.id AND c.code = %s)
          AND EXISTS (SELECT 1 FROM tracker_agreementparty p JOIN tracker_country c ON c.id = p.country_id
                      WHERE p.agreement_id = a.id AND c.code = %s)
        ORDER BY a.start_date, a.id"""
    )
    filtered_sql = (
        RAW_DETAILS
        + f""" WHERE {VISIBLE} AND a.type = 'defense'
          AND EXISTS (SELECT 1 FROM tracker_agreementparty p JOIN tracker_country c ON c.id = p.country_id
                      WHERE p.agreement_id = a.id AND c.code = %s)
        ORDER BY a.id DESC LIMIT 51"""
    )
    cases = [
        (
            "list (50 per page)",
            get("/api/v1/agreements/"),
            sql(RAW_DETAILS + f" WHERE {VISIBLE} ORDER BY a.id DESC LIMIT 51"),
        ),
        (
            "list, second page (cursor)",
            get(second_page["next"]),
            sql(RAW_DETAILS + f" WHERE {VISIBLE} AND a.id < %s ORDER BY a.id DESC LIMIT 51", [second_page["last"]]),
        ),
        (
            f"list ?party={pair[0]}&type=defense",
            get(f"/api/v1/agreements/?party={pair[0]}&type=defense"),
            sql(filtered_sql, [pair[0]]),
        ),
        (
            "detail",
            get(lambda: f"/api/v1/agreements/{rng.choice(ids)}/"),
            sql(RAW_DETAILS + " WHERE a.id = %s", lambda: [rng.choice(ids)]),
        ),
        (
            f"ties ?a={pair[0]}&b={pair[1]}",
            get(f"/api/v1/ties/?a={pair[0]}&b={pair[1]}"),
            sql(pair_sql, list(pair)),
        ),
    ]
    # Like a preloaded gunicorn worker: what start-up allocated is never scanned again by the garbage collector.
    gc.collect()
    gc.freeze()
    print(f"{Agreement.objects.count():,} agreements; {args.runs} runs each; times in ms\n")
    print(f"{'endpoint':38} {'p50':>7} {'p95':>7} {'SQL p50':>8} {'SQL p95':>8} {'ratio p50':>9} {'ratio p95':>9}")
    failed = False
    for name, api_call, sql_call in cases:
        api_times, sql_times = measure(api_call, args.runs), measure(sql_call, args.runs)
        api50, api95 = percentile(api_times, 50), percentile(api_times, 95)
        sql50, sql95 = percentile(sql_times, 50), percentile(sql_times, 95)
        ratio50, ratio95 = api50 / sql50, api95 / sql95
        ok = api95 <= P95_TARGET_MS and ratio50 <= RATIO_TARGET
        failed |= not ok
        print(
            f"{name:38} {api50:7.1f} {api95:7.1f} {sql50:8.1f} {sql95:8.1f} {ratio50:9.2f} {ratio95:9.2f}"
            f"  {'ok' if ok else 'MISSES TARGET'}"
        )
    print(f"\ntargets: p95 <= {P95_TARGET_MS} ms, ratio (p50 over the raw query's p50) <= {RATIO_TARGET}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
