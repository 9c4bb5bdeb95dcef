"""One poll cycle over many local feeds, then a second one with nothing new: time, requests, articles, 304s.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_polling_bench .venv/bin/python bench/bench_polling.py

Creates and migrates the database if needed, empties sources and articles, serves --feeds RSS feeds of --entries
entries each (every entry its own address) from a local web server with ETags, and polls every source once in this
process, as `manage.py poll_sources --all` does, with the parse tasks published to a Redis server of the
benchmark's own that no worker reads (so the cycle measures polling and submitting, not parsing). Then polls them
all again: the feeds have not changed, so each request must be a conditional one answered 304. Prints figures;
asserts nothing.
"""

from __future__ import annotations

import argparse
import http.server
import os
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tracker_polling_bench")


def _serve(routes: dict) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            route = routes.get(self.path)
            if route is None:
                self.send_error(404)
            else:
                route(self)

        def log_message(self, format: str, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def _cycle(source_ids: list[int], counter) -> tuple[float, int, dict[int, int], int]:
    from articles.polling import source_poll

    before = len(counter.seen)
    started = time.perf_counter()
    created = 0
    outcomes: dict[str, int] = {}
    for source_id in source_ids:
        report = source_poll(source_id=source_id)
        created += report.created
        outcomes[report.outcome] = outcomes.get(report.outcome, 0) + 1
    elapsed = time.perf_counter() - started
    with counter.lock:
        statuses = [status for _, status, _ in counter.seen[before:]]
    by_status = {status: statuses.count(status) for status in sorted(set(statuses))}
    return elapsed, created, by_status, outcomes


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--entries", type=int, default=50)
    arguments = parser.parse_args()

    import django
    from django.conf import settings

    django.setup()
    from bench.bench_ingest import _ensure_database

    _ensure_database()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from articles.models import Article, FeedHost, Source
    from tests.articles import feeds
    from tests.processes import RedisServer
    from tracker import celery_app

    Article.objects.all().delete()
    Source.objects.all().delete()
    FeedHost.objects.all().delete()

    counter = feeds.Counter()
    routes: dict = {}
    server, base = _serve(routes)
    routes["/robots.txt"] = lambda handler: (counter.add("/robots.txt", 200, {}), _robots(handler))
    feed_bytes = 0
    for number in range(arguments.feeds):
        body = feeds.rss(feeds.items(base, f"outlet{number}", arguments.entries))
        feed_bytes += len(body)
        routes[f"/feed/{number}"] = feeds.feed_route(body, "application/rss+xml", counter)
    Source.objects.bulk_create(
        Source(name=f"Outlet {number}", feed_url=f"{base}/feed/{number}", active=True)
        for number in range(arguments.feeds)
    )
    ids = list(Source.objects.order_by("pk").values_list("pk", flat=True))

    settings.FETCH_ALLOWED_HOSTS = [base.removeprefix("http://")]
    # One origin serves every feed here; the benchmark measures the poller, not the politeness wait.
    settings.SOURCE_HOST_MIN_INTERVAL = 0
    redis = RedisServer()
    redis.start()
    celery_app.conf.update(broker_url=redis.url, task_always_eager=False)
    try:
        first = _cycle(ids, counter)
        second = _cycle(ids, counter)
    finally:
        redis.cleanup()
        server.shutdown()

    print(f"{arguments.feeds} feeds x {arguments.entries} entries ({feed_bytes / 1e6:.1f} MB of RSS), one origin")
    for label, (elapsed, created, by_status, outcomes) in (("first cycle", first), ("second cycle", second)):
        requests = sum(by_status.values())
        print(
            f"{label}: {elapsed:6.2f} s  {arguments.feeds / elapsed:7.1f} feeds/s  requests {requests} "
            f"(by status {by_status})  articles created {created}  outcomes {outcomes}"
        )
    conditional = second[2].get(304, 0)
    print(f"second cycle: {conditional} of {sum(second[2].values())} requests answered 304 (conditional)")
    print(f"articles in the database: {Article.objects.count()} (expected {arguments.feeds * arguments.entries})")
    print(f"ratio first / second cycle time: {first[0] / second[0]:.1f}")


def _robots(handler) -> None:
    body = b"User-agent: *\nAllow: /\n"
    handler.send_response(200)
    handler.send_header("Content-Type", "text/plain")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


if __name__ == "__main__":
    main()
