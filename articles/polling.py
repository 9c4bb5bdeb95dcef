"""Writes for news sources: importing lists of feeds, and polling the feeds into articles.

A poll claims its source with a conditional update (never two polls of one source at once), waits its turn at the
feed's host (one request at a time per host, a minimum interval between two, robots.txt honoured; the turns are rows
in the database, so every worker sees the same ones), fetches the feed with the tracker's fetcher (conditional GET,
every address check on every redirect), and submits each entry not known yet through `article_submit`. A failing
source backs off exponentially and keeps the reason; nothing a feed holds can fail more than its own poll.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import time
import urllib.robotparser
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from articles.feeds import FeedEntry, FeedError, SourceRow, parse_feed
from articles.fetching import FetchError, FetchHTTPError, fetch_url
from articles.models import Article, FeedHost, Source, SourceKind, SubmissionKind
from articles.services import article_submit, article_url
from tracker.models import Country
from tracker.partial_dates import PartialDate, Precision

logger = logging.getLogger(__name__)

USER_AGENT = "alliance-tracker/1.0"
FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
ROBOTS_MAX_BYTES = 500_000


class PollFailure(Exception):
    """A poll that failed for a reason worth showing on the source (the feed, its host, robots.txt)."""


class HostBusy(Exception):
    """The feed's host had no free turn within SOURCE_HOST_WAIT: the poll gives its turn up, without failing."""


@dataclass(frozen=True)
class PollReport:
    source_id: int
    outcome: str  # polled, not_modified, failed, busy (another poll holds it), deferred (its host was busy)
    entries: int = 0
    created: int = 0
    error: str = ""


# ---------------------------------------------------------------------------------------------------------------------
# Importing lists of sources


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _kind(value: str) -> str | None:
    """A kind given by its code or its label ("state_agency", "State news agency"); "" means a newspaper."""
    if not value:
        return SourceKind.NEWSPAPER
    wanted = value.strip().lower()
    for code, label in SourceKind.choices:
        if wanted in (code, label.lower()):
            return code
    return None


def _free_name(name: str, feed_url: str) -> str:
    """Names are unique: a second outlet under a name already taken is told apart by its feed's host."""
    taken = Source.objects.filter(name=name).exclude(feed_url=feed_url).exists()
    return f"{name} ({urlsplit(feed_url).hostname})"[:200] if taken else name[:200]


def _row_fields(row: SourceRow, countries: dict[str, Country]) -> dict | str:
    """The fields a row sets, or why it is skipped."""
    if urlsplit(row.feed_url).scheme not in ("http", "https"):
        return f"{row.name}: the feed address {row.feed_url!r} is not http(s)"
    kind = _kind(row.kind)
    if kind is None:
        return f"{row.name}: unknown kind {row.kind!r} (one of {', '.join(SourceKind.values)})"
    country = countries.get(row.country.upper()) if row.country else None
    if row.country and country is None:
        return f"{row.name}: unknown country code {row.country!r}"
    home_page = row.home_page if urlsplit(row.home_page).scheme in ("http", "https") else ""
    given = {"home_page": home_page, "language": row.language[:16], "notes": row.notes}
    fields = {name: value for name, value in given.items() if value}
    fields["kind"] = kind
    if country is not None:
        fields["country"] = country
    return fields


def sources_import(*, rows: Iterable[SourceRow], activate: bool = False) -> ImportReport:
    """Create the sources a list names and update the ones known by feed address; a second run changes nothing.

    New sources are inactive unless `activate`: an operator reviews a list, then turns its sources on.
    """
    rows = list(rows)
    codes = {row.country.upper() for row in rows if row.country}
    countries = {country.code: country for country in Country.objects.filter(code__in=codes)}
    report = ImportReport()
    for row in rows:
        fields = _row_fields(row, countries)
        if isinstance(fields, str):
            report.skipped.append(fields)
            continue
        with transaction.atomic():
            source = Source.objects.filter(feed_url=row.feed_url).first()
            if source is None:
                name = _free_name(row.name, row.feed_url)
                Source.objects.create(name=name, feed_url=row.feed_url, active=activate, **fields)
                report.created.append(name)
                continue
            changed = {name: value for name, value in fields.items() if getattr(source, name) != value}
            if activate and not source.active:
                changed["active"] = True
            if changed:
                Source.objects.filter(pk=source.pk).update(**changed)
                report.updated.append(source.name)
            else:
                report.unchanged.append(source.name)
    return report


# ---------------------------------------------------------------------------------------------------------------------
# Scheduling


def sources_due(*, now: datetime.datetime | None = None):
    """Active sources whose next poll is due and that no poll holds."""
    now = now or timezone.now()
    return Source.objects.filter(active=True).filter(Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now))


def _lease_seconds() -> float:
    # A poll task lost with a worker or a broker makes its source due again after this; no poll runs longer.
    return settings.CELERY_TASK_TIME_LIMIT


def sources_dispatch(*, now: datetime.datetime | None = None) -> list[int]:
    """Queue one poll task per due source (what beat runs). Each source's due time moves forward first, on
    condition that nothing moved it since, so that two rounds never queue the same source twice."""
    from articles.tasks import poll_source

    now = now or timezone.now()
    leased = now + datetime.timedelta(seconds=_lease_seconds())
    queued = []
    for source_id, due in sources_due(now=now).values_list("pk", "next_poll_at"):
        if Source.objects.filter(pk=source_id, next_poll_at=due).update(next_poll_at=leased):
            queued.append(source_id)
    for source_id in queued:
        try:
            poll_source.apply_async(args=[source_id], retry=False)
        except Exception as error:  # the broker is down: the lease runs out and a later round queues it again
            logger.warning("Could not queue the poll of source %s (%r).", source_id, error)
    return queued


def source_poll_now(*, source: Source) -> None:
    """An analyst's "poll now": the poll is queued once the request commits, whatever its due time."""
    from articles.tasks import poll_source

    transaction.on_commit(lambda: poll_source.apply_async(args=[source.pk], retry=False))


# ---------------------------------------------------------------------------------------------------------------------
# Politeness: one request at a time per host, a minimum interval, robots.txt


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{port}"


def _take_turn(origin: str) -> bool:
    now = timezone.now()
    interval = datetime.timedelta(seconds=settings.SOURCE_HOST_MIN_INTERVAL)
    # A request never outlives the fetch timeout; a turn a dead worker held is free again after it.
    hold = datetime.timedelta(seconds=settings.FETCH_TIMEOUT + 5)
    return bool(
        FeedHost.objects.filter(origin=origin)
        .filter(Q(busy_until__isnull=True) | Q(busy_until__lt=now))
        .filter(Q(last_request_at__isnull=True) | Q(last_request_at__lte=now - interval))
        .update(busy_until=now + hold)
    )


def feed_host(origin: str) -> FeedHost:
    with contextlib.suppress(IntegrityError), transaction.atomic():
        return FeedHost.objects.get_or_create(origin=origin)[0]
    return FeedHost.objects.get(origin=origin)  # another poll created it a moment ago


@contextlib.contextmanager
def host_turn(origin: str) -> Iterator[None]:
    """Hold the origin's one turn for a request; waits up to SOURCE_HOST_WAIT for it, then raises HostBusy."""
    feed_host(origin)
    give_up = time.monotonic() + settings.SOURCE_HOST_WAIT
    while not _take_turn(origin):
        if time.monotonic() >= give_up:
            raise HostBusy(f"{origin} stayed busy for {settings.SOURCE_HOST_WAIT:g} s")
        time.sleep(min(0.2, max(0.01, settings.SOURCE_HOST_MIN_INTERVAL / 4)))
    try:
        yield
    finally:
        FeedHost.objects.filter(origin=origin).update(busy_until=None, last_request_at=timezone.now())


def _fetch(url: str, *, max_bytes: int, headers: dict[str, str] | None = None):
    return fetch_url(
        url,
        max_bytes=max_bytes,
        timeout=settings.FETCH_TIMEOUT,
        max_redirects=settings.FETCH_MAX_REDIRECTS,
        allowed_hosts=frozenset(settings.FETCH_ALLOWED_HOSTS),
        user_agent=USER_AGENT,
        headers=headers,
    )


def _robots_text(origin: str) -> str:
    """The origin's robots.txt (fetched at most every SOURCE_ROBOTS_MAX_AGE seconds); "" when it has none."""
    host = feed_host(origin)
    fresh_after = timezone.now() - datetime.timedelta(seconds=settings.SOURCE_ROBOTS_MAX_AGE)
    if host.robots_fetched_at and host.robots_fetched_at > fresh_after:
        return host.robots_txt
    try:
        with host_turn(origin):
            text = _fetch(f"{origin}/robots.txt", max_bytes=ROBOTS_MAX_BYTES).body.decode("utf-8", "replace")
    except FetchHTTPError as error:
        if error.status >= 500:
            raise PollFailure(f"robots.txt of {origin} could not be read: {error}") from error
        text = ""  # RFC 9309: a robots.txt that is not there (4xx) allows everything
    except FetchError as error:
        raise PollFailure(f"robots.txt of {origin} could not be read: {error}") from error
    FeedHost.objects.filter(origin=origin).update(robots_txt=text, robots_fetched_at=timezone.now())
    return text


def robots_allows(url: str) -> bool:
    origin = origin_of(url)
    rules = urllib.robotparser.RobotFileParser()
    rules.parse(_robots_text(origin).splitlines())
    return rules.can_fetch(USER_AGENT, url)


# ---------------------------------------------------------------------------------------------------------------------
# Polling


def source_claim(*, source_id: int) -> Source | None:
    """Take the source for one poll; None when another poll holds it (one it holds longer than a task may run has
    died, and is taken over)."""
    now = timezone.now()
    stale = now - datetime.timedelta(seconds=_lease_seconds())
    claimed = (
        Source.objects.filter(pk=source_id)
        .filter(Q(polling_since__isnull=True) | Q(polling_since__lt=stale))
        .update(polling_since=now)
    )
    return Source.objects.get(pk=source_id) if claimed else None


def backoff_seconds(*, interval: int, failures: int) -> int:
    """The wait after `failures` failed polls in a row: the interval times 2, 4, 8 …, at most SOURCE_MAX_BACKOFF."""
    return min(settings.SOURCE_MAX_BACKOFF, interval * 2 ** min(failures, 30))


def _new_entries(entries: list[FeedEntry]) -> list[FeedEntry]:
    """Entries whose address no article holds yet, each once, in the feed's order."""
    by_url: dict[str, FeedEntry] = {}
    for entry in entries:
        by_url.setdefault(article_url(entry.url), entry)
    known: set[str] = set()
    urls = list(by_url)
    for start in range(0, len(urls), 500):
        known |= set(Article.objects.filter(url__in=urls[start : start + 500]).values_list("url", flat=True))
    return [entry for url, entry in by_url.items() if url not in known and len(url) <= 2000]


def entries_submit(*, source: Source, entries: list[FeedEntry]) -> int:
    """Submit each new entry as a URL article of the source; returns how many articles were created.

    One transaction for the feed: its articles are committed together, and their parse tasks published after.
    """
    created = 0
    with transaction.atomic():
        for entry in _new_entries(entries):
            submission = article_submit(
                url=entry.url,
                submission=SubmissionKind.URL,
                title=entry.title[:500],
                published=PartialDate(entry.published, Precision.DAY) if entry.published else None,
                language=source.language,
                source=source,
            )
            created += submission.created
    return created


def _conditional_headers(source: Source) -> dict[str, str]:
    headers = {"Accept": FEED_ACCEPT}
    if source.etag:
        headers["If-None-Match"] = source.etag
    if source.last_modified:
        headers["If-Modified-Since"] = source.last_modified
    return headers


def _poll(source: Source) -> PollReport:
    """Fetch and read the feed, submit what is new; raises PollFailure, HostBusy, FetchError or FeedError."""
    if not robots_allows(source.feed_url):
        raise PollFailure(f"robots.txt of {origin_of(source.feed_url)} disallows {source.feed_url}")
    with host_turn(origin_of(source.feed_url)):
        fetched = _fetch(
            source.feed_url, max_bytes=settings.SOURCE_FEED_MAX_BYTES, headers=_conditional_headers(source)
        )
    now = timezone.now()
    done = {"last_polled_at": now, "consecutive_failures": 0, "last_error": ""}
    done["next_poll_at"] = now + datetime.timedelta(seconds=source.poll_interval)
    if fetched.status == 304:
        Source.objects.filter(pk=source.pk).update(**done)
        return PollReport(source_id=source.pk, outcome="not_modified")
    entries = parse_feed(fetched.body, content_type=fetched.content_type, url=fetched.url)
    created = entries_submit(source=source, entries=entries)
    done.update(etag=(fetched.etag or "")[:500], last_modified=(fetched.last_modified or "")[:100])
    if created:
        done["last_new_item_at"] = now
    Source.objects.filter(pk=source.pk).update(**done)
    return PollReport(source_id=source.pk, outcome="polled", entries=len(entries), created=created)


def _record_failure(source: Source, reason: str) -> PollReport:
    failures = source.consecutive_failures + 1
    now = timezone.now()
    wait = backoff_seconds(interval=source.poll_interval, failures=failures)
    Source.objects.filter(pk=source.pk).update(
        last_polled_at=now,
        last_error=reason[:2000],
        consecutive_failures=failures,
        next_poll_at=now + datetime.timedelta(seconds=wait),
    )
    return PollReport(source_id=source.pk, outcome="failed", error=reason)


def source_poll(*, source_id: int) -> PollReport:
    """Poll one source now, whatever its due time, unless another poll holds it."""
    source = source_claim(source_id=source_id)
    if source is None:
        return PollReport(source_id=source_id, outcome="busy")
    try:
        return _poll(source)
    except HostBusy as busy:
        # Not the source's fault: try again once the host may be free, and count no failure.
        due = timezone.now() + datetime.timedelta(seconds=settings.SOURCE_HOST_MIN_INTERVAL)
        Source.objects.filter(pk=source.pk).update(next_poll_at=due)
        return PollReport(source_id=source.pk, outcome="deferred", error=str(busy))
    except PollFailure as failure:
        return _record_failure(source, str(failure))
    except FetchError as error:
        return _record_failure(source, f"Could not fetch the feed: {error}")
    except FeedError as error:
        return _record_failure(source, f"Could not read the feed: {error}")
    except Exception as error:  # whatever a feed holds fails its own poll, never the worker's other work
        logger.exception("Unexpected error while polling source %s", source_id)
        return _record_failure(source, f"Unexpected error while polling ({type(error).__name__}: {error})")
    finally:
        Source.objects.filter(pk=source_id).update(polling_since=None)
