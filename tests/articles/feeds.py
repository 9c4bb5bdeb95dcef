"""Feeds as a news site serves them, for tests and the polling benchmark: RSS 2.0, Atom, JSON Feed, with ETags."""

from __future__ import annotations

import datetime
import hashlib
import http.server
import json
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

Route = Callable[[http.server.BaseHTTPRequestHandler], None]


@dataclass(frozen=True)
class Item:
    url: str
    title: str
    published: datetime.datetime


def items(base: str, prefix: str, count: int, *, day: datetime.date = datetime.date(2024, 3, 11)) -> list[Item]:
    moment = datetime.datetime.combine(day, datetime.time(9), tzinfo=datetime.UTC)
    return [Item(f"{base}/{prefix}/{n}", f"Story {n} of {prefix}", moment) for n in range(count)]


def rss(entries: Sequence[Item]) -> bytes:
    body = "".join(
        f"<item><title>{escape(e.title)}</title><link>{escape(e.url)}</link>"
        f"<pubDate>{e.published.strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate></item>"
        for e in entries
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>{body}</channel></rss>'.encode()


def atom(entries: Sequence[Item]) -> bytes:
    body = "".join(
        f'<entry><title>{escape(e.title)}</title><link href="{escape(e.url)}"/><id>{escape(e.url)}</id>'
        f"<updated>{e.published.isoformat()}</updated></entry>"
        for e in entries
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>News</title>{body}'
        "</feed>"
    ).encode()


def json_feed(entries: Sequence[Item]) -> bytes:
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "News",
        "items": [
            {"id": e.url, "url": e.url, "title": e.title, "date_published": e.published.isoformat()} for e in entries
        ],
    }
    return json.dumps(feed).encode()


class Counter:
    """Requests a test server answered, by path and status; thread-safe (the server answers from threads)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.seen: list[tuple[str, int, dict[str, str]]] = []

    def add(self, path: str, status: int, headers: dict[str, str]) -> None:
        with self.lock:
            self.seen.append((path, status, headers))

    def statuses(self, path: str | None = None) -> list[int]:
        with self.lock:
            return [status for seen, status, _ in self.seen if path is None or seen == path]


def feed_route(body: bytes, content_type: str, counter: Counter | None = None) -> Route:
    """Serve a feed with an ETag and a Last-Modified; a request naming that ETag gets 304 and no body."""
    etag = f'"{hashlib.sha256(body).hexdigest()[:16]}"'

    def respond(handler: http.server.BaseHTTPRequestHandler) -> None:
        status = 304 if handler.headers.get("If-None-Match") == etag else 200
        if counter is not None:
            counter.add(handler.path, status, dict(handler.headers))
        handler.send_response(status)
        handler.send_header("ETag", etag)
        handler.send_header("Last-Modified", "Mon, 11 Mar 2024 09:00:00 GMT")
        if status == 200:
            handler.send_header("Content-Type", content_type)
            handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        if status == 200:
            handler.wfile.write(body)

    return respond
