"""Feeds and lists of feeds, from bytes: RSS 0.9x/1.0/2.0 and Atom (feedparser), JSON Feed, OPML and CSV.

Pure Python, no Django and no network: feedparser is only ever handed bytes, never a URL or a file name, so it
cannot fetch anything itself (the tracker's fetcher, with its address checks, does that).
"""

from __future__ import annotations

import calendar
import csv
import datetime
import io
import json
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import feedparser

__all__ = ["FeedEntry", "FeedError", "SourceRow", "parse_feed", "read_source_list"]


class FeedError(Exception):
    """The bytes are no feed (or no list of feeds) that can be read; the message says why."""


@dataclass(frozen=True)
class FeedEntry:
    url: str
    title: str
    published: datetime.date | None


@dataclass(frozen=True)
class SourceRow:
    """One source of an imported list; empty strings where the list says nothing."""

    name: str
    feed_url: str
    home_page: str = ""
    language: str = ""
    country: str = ""
    kind: str = ""
    notes: str = ""


# --- feeds ----------------------------------------------------------------------------------------------------------


def _is_json_feed(body: bytes, content_type: str | None) -> bool:
    if content_type and "json" in content_type:
        return True
    return body.lstrip()[:1] == b"{"


def _http_url(value: object, base: str) -> str:
    """An absolute http(s) address, or "" for anything else (a javascript: link, a tag URI, nothing)."""
    if not isinstance(value, str) or not value.strip():
        return ""
    url = urljoin(base, value.strip())
    return url if urlsplit(url).scheme in ("http", "https") else ""


def _json_date(value: object) -> datetime.date | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.datetime.fromisoformat(value.strip().replace("Z", "+00:00")).date()
    except ValueError:
        return None


def _json_feed_entries(body: bytes, base: str) -> list[FeedEntry]:
    try:
        feed = json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise FeedError(f"not a JSON Feed: {error}") from error
    if not isinstance(feed, dict) or not str(feed.get("version", "")).startswith("https://jsonfeed.org/version/"):
        raise FeedError("not a JSON Feed: no jsonfeed.org version")
    items = feed.get("items")
    if not isinstance(items, list):
        raise FeedError("not a JSON Feed: `items` is not a list")
    entries = []
    for item in items:
        if not isinstance(item, dict):
            continue
        url = _http_url(item.get("url") or item.get("external_url"), base)
        if url:
            title = item.get("title") if isinstance(item.get("title"), str) else ""
            published = _json_date(item.get("date_published")) or _json_date(item.get("date_modified"))
            entries.append(FeedEntry(url=url, title=title.strip(), published=published))
    return entries


def _struct_date(entry: feedparser.FeedParserDict) -> datetime.date | None:
    moment = entry.get("published_parsed") or entry.get("updated_parsed")
    if not moment:
        return None
    # feedparser gives UTC struct_time; timegm reads it as UTC.
    return datetime.datetime.fromtimestamp(calendar.timegm(moment), tz=datetime.UTC).date()


def _xml_feed_entries(body: bytes, content_type: str | None, base: str) -> list[FeedEntry]:
    headers = {"content-location": base, "content-type": content_type or "application/xml"}
    parsed = feedparser.parse(io.BytesIO(body), response_headers=headers)
    if not parsed.version and (parsed.bozo or not parsed.entries):
        reason = parsed.get("bozo_exception") or "no RSS, Atom or JSON Feed found"
        raise FeedError(f"not a feed: {reason}")
    entries = []
    for entry in parsed.entries:
        url = _http_url(entry.get("link"), base)
        if url:
            entries.append(FeedEntry(url=url, title=(entry.get("title") or "").strip(), published=_struct_date(entry)))
    return entries


def parse_feed(body: bytes, *, content_type: str | None = None, url: str = "") -> list[FeedEntry]:
    """The entries of a feed, in the feed's order, each with its absolute http(s) address; entries without one are
    left out. Raises FeedError for bytes that are no feed. Titles are kept as text: pages escape them when shown."""
    if not body.strip():
        raise FeedError("the feed is empty")
    if _is_json_feed(body, content_type):
        return _json_feed_entries(body, url)
    return _xml_feed_entries(body, content_type, url)


# --- lists of feeds -------------------------------------------------------------------------------------------------


def _opml_rows(data: bytes) -> list[SourceRow]:
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        raise FeedError(f"not an OPML file: {error}") from error
    if root.tag != "opml":
        raise FeedError(f"not an OPML file: the root element is <{root.tag}>")
    rows = []
    for outline in root.iter("outline"):
        feed_url = (outline.get("xmlUrl") or "").strip()
        if feed_url:
            name = (outline.get("title") or outline.get("text") or feed_url).strip()
            rows.append(
                SourceRow(
                    name=name,
                    feed_url=feed_url,
                    home_page=(outline.get("htmlUrl") or "").strip(),
                    language=(outline.get("language") or "").strip(),
                    notes=(outline.get("description") or "").strip(),
                )
            )
    return rows


CSV_COLUMNS = ("name", "feed_url", "home_page", "language", "country", "kind", "notes")


def _csv_rows(data: bytes) -> list[SourceRow]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FeedError(f"the CSV file is not UTF-8: {error}") from error
    reader = csv.DictReader(io.StringIO(text))
    missing = {"name", "feed_url"} - set(reader.fieldnames or ())
    if missing:
        raise FeedError(f"the CSV file has no {', '.join(sorted(missing))} column (columns: {', '.join(CSV_COLUMNS)})")
    return [
        SourceRow(**{column: (row.get(column) or "").strip() for column in CSV_COLUMNS})
        for row in reader
        if (row.get("feed_url") or "").strip()
    ]


def read_source_list(data: bytes, *, filename: str = "") -> list[SourceRow]:
    """The sources an OPML file (what feed readers export) or a CSV file lists, in their order."""
    if filename.lower().endswith(".csv"):
        return _csv_rows(data)
    if filename.lower().endswith((".opml", ".xml")) or data.lstrip().startswith(b"<"):
        return _opml_rows(data)
    return _csv_rows(data)
