"""Render time of every dashboard page on the benchmark data set (100,000 agreements, 300,000 citations).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_bench .venv/bin/python bench/generate.py   # once
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_bench .venv/bin/python bench/bench_pages.py

Requests go through the whole Django stack in-process (middleware, sessions, templates) with the test Client, as an
anonymous reader. Pages that take a country use the densest pair of the data set. Prints p50, p95 and the number of
queries per page; the target is p95 <= 150 ms.
"""

from __future__ import annotations

import gc
import os
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("CONN_MAX_AGE", "600")

P95_TARGET_MS = 150


def percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def main() -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, reset_queries
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from articles.models import Article
    from tracker.models import Agreement, AgreementParty

    settings.ALLOWED_HOSTS = ["*"]
    if Agreement.objects.count() < 10_000:
        print("Load the benchmark data first: bench/generate.py", file=sys.stderr)
        return 2
    busiest = (
        AgreementParty.objects.values("country__code").annotate(n=Count("id")).order_by("-n").first()["country__code"]
    )
    pair = (
        Agreement.objects.filter(party_key__regex=r"^[A-Z]{3} [A-Z]{3}$")
        .values("party_key")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()["party_key"]
        .split()
    )
    agreement = Agreement.objects.filter(citations__isnull=False).order_by("-id").first().pk
    article = Article.objects.filter(citations__isnull=False).order_by("-id").first().pk
    pages = {
        "home": "/",
        f"country {busiest}": f"/countries/{busiest}/",
        f"country {busiest} defense since 2015": f"/countries/{busiest}/?type=defense&start_date_from=2015",
        f"pair {pair[0]}-{pair[1]}": f"/pairs/{pair[0]}/{pair[1]}/",
        "agreement": f"/agreements/{agreement}/",
        "agreements (page 3, economic)": "/agreements/?type=economic&page=3",
        "review queue": "/review/",
        "network (last 10 years)": "/network/",
        "network (economic since 1990)": "/network/?type=economic&start_date_from=1990",
        "search": "/search/?q=defense+cooperation",
        "articles": "/articles/",
        "article": f"/articles/{article}/",
    }
    client = Client()
    print(f"{Agreement.objects.count():,} agreements; {args.runs} runs per page\n")
    print(f"{'page':40} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'KB':>6}")
    worst = 0.0
    for name, url in pages.items():
        for _ in range(3):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        timings = []
        gc.collect()
        for _ in range(args.runs):
            started = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        p95 = percentile(timings, 95)
        worst = max(worst, p95)
        size = len(response.content) / 1024
        print(f"{name:40} {statistics.median(timings):8.1f} {p95:8.1f} {len(queries):8d} {size:6.0f}")
    print(f"\nworst p95 {worst:.1f} ms (target {P95_TARGET_MS} ms): {'ok' if worst <= P95_TARGET_MS else 'OVER'}")
    return 0 if worst <= P95_TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
