"""Writes for articles: submitting documents, parsing them into agreements, recording failures.

The article row is its own outbox: it is stored (pending) before any task is published, and a periodic sweep
re-publishes whatever a dead broker or a lost worker left behind. Work is claimed with a conditional update, so a
task delivered twice does the work once.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import DatabaseError, IntegrityError, InterfaceError, OperationalError, connections, transaction
from django.db.models import F, Q
from django.db.models.functions import Length
from django.utils import timezone

from articles.copies import Copy, copy_by_address, copy_by_story, declared_address, original_of
from articles.deadline import ParseTimeout, parse_deadline
from articles.documents import DocumentError, ParsedDocument, parse_document
from articles.duplicates import canonical_url, registrable_site, text_fingerprint
from articles.extraction import EXTRACTOR_VERSION, LANGUAGES, Extraction, LanguageReading, extract, read_language
from articles.extraction.dates import dateline_date
from articles.extraction.language import primary_language
from articles.fetching import FetchError, fetch_url
from articles.merging import agreement_merge, distinct_candidates, party_sets_lock
from articles.models import (
    Article,
    CountryMention,
    IngestionState,
    LanguageSource,
    MentionRole,
    PublishedSource,
    Source,
    SubmissionKind,
    content_hash,
)
from tracker.backoff import Backoff
from tracker.models import Country
from tracker.partial_dates import PartialDate, Precision
from tracker.search import search_index_articles

logger = logging.getLogger(__name__)


class TransientIngestError(Exception):
    """A fault that may go away on its own (a slow site, a database restart): the task retries in `countdown` s."""

    def __init__(self, message: str, *, countdown: float) -> None:
        super().__init__(message)
        self.countdown = countdown


@dataclass(frozen=True)
class Submission:
    article: Article
    created: bool
    # A document known already, which had failed: it is queued to be parsed again.
    requeued: bool = False


# ---------------------------------------------------------------------------------------------------------------------
# Submitting


def article_url(url: str) -> str:
    """The address an article is known by: the canonical form of the submitted one (articles/duplicates.py), so
    that `…?utm_source=x`, `…?fbclid=y` and `…#comments` are one article. The submitted form is kept too
    (`submitted_url`); the canonical one is what gets fetched, so tracking parameters are never sent back."""
    return canonical_url(url)


def find_existing(*, url: str = "", raw: bytes = b"") -> Article | None:
    """The article already holding this URL or these exact bytes: the same document twice is one article."""
    if url:
        found = Article.objects.filter(url=url).first()
        if found:
            return found
    if raw:
        return Article.objects.filter(content_hash=content_hash(raw)).first()
    return None


def article_submit(
    *,
    raw: bytes = b"",
    url: str = "",
    submission: str = SubmissionKind.TEXT,
    filename: str = "",
    content_type: str = "",
    title: str = "",
    publisher: str = "",
    published: PartialDate | None = None,
    language: str = "",
    user: AbstractBaseUser | None = None,
    source: Source | None = None,
    enqueue: bool = True,
) -> Submission:
    """Store a document exactly as received, then have it parsed once the row is committed.

    A document already known (same URL or same bytes) returns its existing article and is not parsed again,
    unless it failed or was in a language not read: submitting it again is how a user retries it, so it is queued
    afresh. ``language`` (an ISO 639-1 code or a tag such as "es-AR") is final when given; otherwise it is read at
    parse time.
    """
    if not raw and not url:
        raise ValueError("Nothing to submit: give a text, a file or a URL.")
    submitted_url, url = url.strip(), article_url(url) if url else ""
    existing = find_existing(url=url, raw=raw)
    if existing:
        requeued = enqueue and article_requeue_failed(article=existing)
        return Submission(article=existing, created=False, requeued=requeued)
    try:
        with transaction.atomic():
            article = Article.objects.create(
                url=url or None,
                submitted_url=submitted_url,
                site=registrable_site(url) if url else "",
                raw=raw,
                content_hash=content_hash(raw) if raw else None,
                submission=submission,
                filename=filename,
                content_type=content_type,
                title=title,
                publisher=publisher,
                published_on=published.value if published else None,
                published_precision=published.precision if published else "",
                published_source=PublishedSource.GIVEN if published else "",
                language=primary_language(language),
                language_source=LanguageSource.SUBMITTED if primary_language(language) else "",
                submitted_by=user,
                source=source,
            )
            if enqueue:
                transaction.on_commit(lambda: article_enqueue(article_id=article.pk))
    except IntegrityError:
        # Another submission of the same document won the race: it is the one article for this document.
        existing = find_existing(url=url, raw=raw)
        if existing is None:
            raise
        return Submission(article=existing, created=False)
    return Submission(article=article, created=True)


# Publishing runs in a small pool so that a dead or unreachable broker costs a submit at most the publish timeout.
_publisher = ThreadPoolExecutor(max_workers=2, thread_name_prefix="publish")
broker_backoff = Backoff()


def is_long(size: int) -> bool:
    """Whether a document of this many bytes is parsed from the long queue."""
    return size > settings.INGEST_LONG_DOCUMENT_BYTES


def article_enqueue(*, article_id: int) -> bool:
    """Publish the parse task. False when the broker could not take it; the periodic sweep will publish it later.

    A long document goes to the long queue (INGEST_LONG_QUEUE), so that the seconds it takes never hold up short
    articles; a URL not fetched yet goes to the default queue and moves once its size is known.
    """
    from articles.tasks import parse_article

    if parse_article.app.conf.task_always_eager:
        parse_article.apply(args=[article_id])
        return True
    if broker_backoff.active():
        # The broker failed moments ago: leave the article to the sweep instead of queueing behind a dead broker.
        return False
    size = Article.objects.filter(pk=article_id).values_list(Length("raw"), flat=True).first() or 0
    route = {"queue": settings.INGEST_LONG_QUEUE} if is_long(size) else {}
    future = _publisher.submit(parse_article.apply_async, args=[article_id], retry=False, **route)
    try:
        future.result(timeout=settings.INGEST_PUBLISH_TIMEOUT)
    except Exception as error:  # a publish timeout or any broker error: the sweep publishes it later
        broker_backoff.failed(seconds=settings.INGEST_BROKER_BACKOFF)
        logger.warning("Could not publish article %s (%r); the periodic sweep will retry.", article_id, error)
        return False
    # The broker has it: the sweep now leaves it to the queue, however long the queue, unless it stays pending for
    # INGEST_REQUEUE_QUEUED_AFTER (its message lost with a broker's data).
    Article.objects.filter(pk=article_id, state=IngestionState.PENDING).update(queued_at=timezone.now())
    return True


def article_reparse(*, article: Article) -> Article:
    """Parse an article again from its stored document (an analyst's "re-parse", or after an engine upgrade)."""
    Article.objects.filter(pk=article.pk).update(**_queued_afresh())
    transaction.on_commit(lambda: article_enqueue(article_id=article.pk))
    article.refresh_from_db()
    return article


def _queued_afresh() -> dict:
    """The fields of an article waiting to be parsed from the start: no error, no attempts, no claim."""
    return {
        "state": IngestionState.PENDING,
        "error": "",
        "attempts": 0,
        "retries": 0,
        "claim_token": "",
        "queued_at": None,
        "state_changed_at": timezone.now(),
    }


# What submitting a known document again retries: a failure, or a language the tracker may read by now.
RETRIED_ON_RESUBMIT = (IngestionState.FAILED, IngestionState.UNSUPPORTED)


def article_requeue_failed(*, article: Article) -> bool:
    """Queue a failed or unread article to be parsed again, attempts and retries reset. False when it was neither.

    It starts from its stored document, or fetches its URL when nothing was stored (the fetch was what failed).
    """
    requeued = Article.objects.filter(pk=article.pk, state__in=RETRIED_ON_RESUBMIT).update(**_queued_afresh())
    if requeued:
        transaction.on_commit(lambda: article_enqueue(article_id=article.pk))
    return bool(requeued)


# ---------------------------------------------------------------------------------------------------------------------
# Processing (in a worker)


def article_claim(*, article_id: int, token: str) -> Article | None:
    """Take the article for processing. None when another task holds it or it is done already.

    The same task delivered again after its worker died carries the same token and may take it again.
    """
    claimed = (
        Article.objects.filter(pk=article_id)
        .filter(Q(state=IngestionState.PENDING) | Q(state=IngestionState.PROCESSING, claim_token=token))
        .update(
            state=IngestionState.PROCESSING,
            claim_token=token,
            attempts=F("attempts") + 1,
            heartbeat_at=timezone.now(),
            state_changed_at=timezone.now(),
        )
    )
    return Article.objects.get(pk=article_id) if claimed else None


@contextlib.contextmanager
def article_heartbeat(*, article_id: int, token: str) -> Iterator[None]:
    """While the caller works on a claimed article, stamp its heartbeat_at every INGEST_HEARTBEAT_INTERVAL seconds.

    A thread of the worker process itself does it, so the stamps stop the moment that process dies, and the sweep
    takes the article back INGEST_HEARTBEAT_TIMEOUT later, however long the task time limit: a parse that runs for
    minutes keeps beating and is left alone. The thread has its own database connection and closes it.
    """
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(settings.INGEST_HEARTBEAT_INTERVAL):
                try:
                    Article.objects.filter(pk=article_id, claim_token=token, state=IngestionState.PROCESSING).update(
                        heartbeat_at=timezone.now()
                    )
                except DatabaseError as error:  # the database restarting: the next beat may get through
                    logger.warning("Heartbeat of article %s not recorded (%s).", article_id, error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=beat, name=f"heartbeat-{article_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        # A beat under way finishes on its own (it changes nothing once the claim is over): do not wait long for it.
        thread.join(timeout=1)


# An article in one of these states was read to its end: a late failure (a lost delivery's) must not overwrite it.
FINISHED_WITHOUT_FAILING = (IngestionState.PARSED, IngestionState.UNSUPPORTED, IngestionState.DUPLICATE)


def article_fail(*, article_id: int, reason: str, token: str | None = None) -> bool:
    """Record why an article could not be parsed. Its raw document stays as it was."""
    rows = Article.objects.filter(pk=article_id).exclude(
        state__in=(IngestionState.PARSED, IngestionState.UNSUPPORTED, IngestionState.DUPLICATE)
    )
    if token is not None:
        rows = rows.filter(claim_token=token)
    return bool(
        rows.update(state=IngestionState.FAILED, error=reason[:2000], claim_token="", state_changed_at=timezone.now())
    )


# How a released article's error starts while it waits for its retry.
RETRY_PREFIX = "Will retry: "


def article_release(*, article_id: int, token: str, reason: str) -> None:
    """Give a claimed article back (pending) after a transient fault, so a retry can claim it again.

    The retry is counted on the row, so that the limit holds whichever task (a retry, a sweep's) takes it next.
    """
    Article.objects.filter(pk=article_id, claim_token=token, state=IngestionState.PROCESSING).update(
        state=IngestionState.PENDING,
        error=f"{RETRY_PREFIX}{reason}"[:2000],
        retries=F("retries") + 1,
        # The task hands its own retry to the broker next (with a countdown): the sweep must not publish another.
        queued_at=timezone.now(),
        state_changed_at=timezone.now(),
    )


def retry_countdown(retry: int) -> int:
    """Seconds before the nth retry: 2, 4, 8, 16, 32 … with a ceiling of ten minutes."""
    return min(600, 2**retry)


def _retry_or_fail(*, article: Article, token: str, reason: str) -> str:
    """After a transient fault: give the article back for a retry, or, once INGEST_MAX_RETRIES are used, fail it
    with the fault itself as the reason."""
    if article.retries >= settings.INGEST_MAX_RETRIES:
        prefix = f"Still failing after {article.retries} retries: " if article.retries else ""
        article_fail(article_id=article.pk, token=token, reason=f"{prefix}{reason}")
        return IngestionState.FAILED
    article_release(article_id=article.pk, token=token, reason=reason)
    raise TransientIngestError(reason, countdown=retry_countdown(article.retries + 1))


def unfinished_attempts(*, attempts: int, retries: int) -> int:
    """Deliveries that ended without an outcome (the worker was lost, the time limit hit).

    Every claim counts an attempt; one that ended in a transient fault gave the article back and counted a retry
    instead, so it finished. Only the unfinished ones say that the document itself may be the problem.
    """
    return attempts - retries


def give_up_reason(*, attempts: int, last_error: str) -> str:
    reason = (
        f"Gave up after {attempts} attempts: none finished (the worker was lost or the time limit was reached). "
        "The document may be too large or malformed."
    )
    last_error = last_error.removeprefix(RETRY_PREFIX)
    return f"{reason} The last error before that: {last_error}" if last_error else reason


def _fetch(article: Article) -> Article | None:
    """Fetch a URL article's document and store it, exactly as received, before anything parses it.

    Returns the article already holding these very bytes, if any: this one is then its duplicate. Its bytes are
    kept all the same, without the content hash, which stays the original's.
    """
    fetched = fetch_url(
        # The canonical address: tracking parameters are never sent back to the site that added them.
        article.url,
        max_bytes=settings.FETCH_MAX_BYTES,
        timeout=settings.FETCH_TIMEOUT,
        max_redirects=settings.FETCH_MAX_REDIRECTS,
        allowed_hosts=frozenset(settings.FETCH_ALLOWED_HOSTS),
    )
    digest = content_hash(fetched.body)
    twin = Article.objects.filter(content_hash=digest).exclude(pk=article.pk).first()
    article.raw = fetched.body
    article.content_hash = None if twin else digest
    article.content_type = fetched.content_type or ""
    Article.objects.filter(pk=article.pk).update(
        raw=article.raw, content_hash=article.content_hash, content_type=article.content_type
    )
    return twin


@dataclass(frozen=True)
class Publication:
    date: PartialDate | None
    source: str  # a PublishedSource, or "" when nothing dates the article


def _publication_date(article: Article, document: ParsedDocument, language: str) -> Publication:
    """What a person gave, else the page's metadata, else the story's dateline ("16 March 2023 – …"), else nothing.

    Without it relative dates ("on Friday", "last week") stay unresolved; a dateline's day is the report's, never the
    signing's (articles.extraction.dates.dateline_date).
    """
    given = article.published_source in (PublishedSource.GIVEN, "")  # rows from before sources were recorded
    if article.published_on and given:
        return Publication(article.published, PublishedSource.GIVEN)
    if document.published:
        return Publication(PartialDate(document.published, Precision.DAY), PublishedSource.PAGE)
    dated = dateline_date(document.text, language=language)
    if dated:
        return Publication(PartialDate(dated, Precision.DAY), PublishedSource.DATELINE)
    return Publication(None, "")


def _headline(article: Article, document: ParsedDocument) -> str | None:
    """The title the engine masks wherever the text repeats it: never a title taken from the text itself.

    A short plain-text lead followed by a blank line titles the article, but it is still the story's first
    paragraph (wire copy has exactly this shape): masking it would lose the agreement it reports. The stored title
    of a re-parsed article is that same line, so it is compared, not trusted.
    """
    title = article.title or document.title
    if document.title_from_text and title == document.title:
        return None
    return title


_ROLE_RANK = {role: rank for rank, role in enumerate(MentionRole.values)}


def _mentions(article: Article, extraction: Extraction, countries: dict[str, Country]) -> list[CountryMention]:
    found: dict[str, CountryMention] = {}
    for mention in extraction.mentions:
        country = countries.get(mention.code)
        if country is None:
            continue
        row = found.setdefault(mention.code, CountryMention(article=article, country=country, role=mention.role))
        if _ROLE_RANK.get(mention.role, 99) < _ROLE_RANK.get(row.role, 99):
            row.role = mention.role
        row.spans.append([mention.span.start, mention.span.end])
    return list(found.values())


@dataclass(frozen=True)
class ParseReport:
    agreements: int
    created: int
    merged: int
    skipped: list[str]


@transaction.atomic
def article_apply_extraction(
    *, article: Article, extraction: Extraction, version: str = EXTRACTOR_VERSION
) -> ParseReport:
    """Replace the article's own citations and mentions with what the engine found, and nothing else."""
    candidates = distinct_candidates(extraction.agreements)
    # Every party set this article merges into, locked at once and in order (see party_sets_lock): two workers
    # parsing reports of the same agreements converge on one record each and never deadlock.
    party_sets_lock(candidate.parties for candidate in candidates)
    article.citations.all().delete()
    article.mentions.all().delete()
    codes = {code for candidate in extraction.agreements for code in candidate.parties}
    codes |= {mention.code for mention in extraction.mentions}
    countries = {country.code: country for country in Country.objects.filter(code__in=codes)}
    CountryMention.objects.bulk_create(_mentions(article, extraction, countries))

    used: set[int] = set()
    created = merged = 0
    skipped = []
    for candidate in candidates:
        unknown = [code for code in candidate.parties if code not in countries]
        if unknown:
            skipped.append(f"{'/'.join(candidate.parties)}: unknown country code(s) {', '.join(unknown)}")
            continue
        outcome = agreement_merge(
            article=article, candidate=candidate, version=version, exclude_ids=used, countries=countries
        )
        used.add(outcome.agreement.pk)
        created += outcome.created
        merged += not outcome.created
    return ParseReport(agreements=created + merged, created=created, merged=merged, skipped=skipped)


def article_process(*, article_id: int, token: str, queue: str | None = None) -> str:
    """Fetch (for a URL), convert, extract and merge one article. Returns the state it ends in.

    `queue` is the queue the task came from (None in-process): a fetched page too long for it moves to the long one.
    Reading the document and the engine's work get INGEST_PARSE_TIME_LIMIT seconds, well inside the task's.

    Data problems end the article "failed" with a readable reason; transient faults raise TransientIngestError
    after giving the article back, until INGEST_MAX_RETRIES retries are used and the article fails with the fault
    as its reason; nothing here lets bad input escape as an unhandled exception.
    """
    article = article_claim(article_id=article_id, token=token)
    if article is None:
        return "skipped"
    # This claim counted an attempt that has not ended yet: the earlier ones are what the limit is about.
    unfinished = unfinished_attempts(attempts=article.attempts - 1, retries=article.retries)
    if unfinished >= settings.INGEST_MAX_ATTEMPTS:
        article_fail(
            article_id=article_id, token=token, reason=give_up_reason(attempts=unfinished, last_error=article.error)
        )
        return IngestionState.FAILED
    with article_heartbeat(article_id=article_id, token=token):
        return _article_work(article=article, token=token, queue=queue)


def _hand_over(*, article_id: int, token: str) -> str:
    """Give a claimed article back to be parsed from the long queue; this delivery finished, so it is no attempt."""
    Article.objects.filter(pk=article_id, claim_token=token, state=IngestionState.PROCESSING).update(
        state=IngestionState.PENDING,
        claim_token="",
        attempts=F("attempts") - 1,
        queued_at=None,
        state_changed_at=timezone.now(),
    )
    article_enqueue(article_id=article_id)
    return IngestionState.PENDING


def _article_language(article: Article, document: ParsedDocument) -> LanguageReading:
    """The language given at submission, else the page's declaration checked against its text, else the text's."""
    given = article.language if article.language_source == LanguageSource.SUBMITTED else None
    return read_language(document.text, given=given, declared=document.language)


@dataclass(frozen=True)
class Reading:
    """What reading a document gave, before the engine runs: text, metadata, language, fingerprint and address."""

    document: ParsedDocument
    language: LanguageReading
    publication: Publication
    fingerprint: str
    # The page's own canonical address when it replaces the article's; None keeps the article's.
    address: str | None

    @property
    def published(self) -> PartialDate | None:
        return self.publication.date

    def fields(self, article: Article) -> dict:
        """The article's columns this reading fills, whatever the article turns out to be."""
        document, published = self.document, self.published
        fields = {
            "text": document.text,
            "title": article.title or (document.title or "")[:500],
            "publisher": article.publisher or (document.publisher or "")[:200],
            "language": self.language.code[:16],
            "language_source": self.language.source,
            "published_on": published.value if published else None,
            "published_precision": published.precision if published else "",
            "published_source": self.publication.source,
            "fingerprint": self.fingerprint,
            "claim_token": "",
            "parsed_at": timezone.now(),
            "state_changed_at": timezone.now(),
        }
        if self.address:
            fields.update(url=self.address, site=registrable_site(self.address))
        return fields


def _remaining(limit: float, started: float) -> float:
    """What is left of the parse deadline (0 stays "no limit")."""
    return 0 if limit <= 0 else max(limit - (time.monotonic() - started), 0.001)


def _read(article: Article) -> Reading:
    document = parse_document(
        bytes(article.raw), content_type=article.content_type or None, url=article.url, filename=article.filename
    )
    language = _article_language(article, document)
    return Reading(
        document=document,
        language=language,
        publication=_publication_date(article, document, language.code),
        fingerprint=text_fingerprint(document.text),
        address=declared_address(article=article, declared=document.declared_url),
    )


def _copy_of(article: Article, reading: Reading) -> Copy | None:
    return copy_by_address(article=article, address=reading.address) or copy_by_story(
        article=article,
        text=reading.document.text,
        fingerprint=reading.fingerprint,
        published=reading.published.value if reading.published else None,
    )


def _locked(*, article_id: int, token: str):
    """The article's row, locked, if this task still holds it."""
    return Article.objects.select_for_update().filter(pk=article_id, claim_token=token, state=IngestionState.PROCESSING)


def article_store_copy(*, article: Article, token: str, copy: Copy, reading: Reading | None = None) -> str:
    """Record a claimed article as a duplicate of its original: its text is kept, it cites nothing, it never fails."""
    with transaction.atomic():
        locked = _locked(article_id=article.pk, token=token)
        if not locked.exists():
            return "skipped"
        # A re-parsed article may have cited agreements before its original was known.
        article.citations.all().delete()
        article.mentions.all().delete()
        fields = reading.fields(article) if reading else {"claim_token": "", "state_changed_at": timezone.now()}
        if reading and copy.why == "the same address":
            # The address is the original's: the copy keeps its own.
            fields.pop("url", None)
            fields.pop("site", None)
        locked.update(
            **fields,
            state=IngestionState.DUPLICATE,
            duplicate_of=copy.original,
            error="",
            extractor_version="",
            parse_summary=copy.summary(),
        )
        search_index_articles([article.pk])  # an update() sends no signal
    return IngestionState.DUPLICATE


def _record_unsupported(*, article: Article, token: str, reading: Reading) -> str:
    """Keep a document the engine cannot read in its own state, with its text, so that it can be parsed later."""
    language = reading.language
    source = LanguageSource(language.source).label.lower()
    with transaction.atomic():
        locked = _locked(article_id=article.pk, token=token)
        if not locked.exists():
            return "skipped"
        # An earlier parse in a language then read may have left citations; this reading supports none of them.
        article.citations.all().delete()
        article.mentions.all().delete()
        locked.update(
            **reading.fields(article),
            state=IngestionState.UNSUPPORTED,
            duplicate_of=None,
            error=f"Unsupported language: {language.code} ({source}). The tracker reads "
            f"{', '.join(LANGUAGES)}; the document is kept, and re-parsing it once its language is supported reads it.",
            extractor_version=EXTRACTOR_VERSION,
            parse_summary={"agreements": 0, "created": 0, "merged": 0},
        )
        search_index_articles([article.pk])  # its text is searchable in any language
    return IngestionState.UNSUPPORTED


def _store_parsed(*, article: Article, token: str, reading: Reading, extraction: Extraction) -> str:
    with transaction.atomic():
        locked = _locked(article_id=article.pk, token=token)
        if not locked.exists():
            return "skipped"
        report = article_apply_extraction(article=article, extraction=extraction)
        locked.update(
            **reading.fields(article),
            state=IngestionState.PARSED,
            duplicate_of=None,
            error="; ".join(report.skipped),
            extractor_version=EXTRACTOR_VERSION,
            parse_summary={"agreements": report.agreements, "created": report.created, "merged": report.merged},
        )
        search_index_articles([article.pk])  # an update() sends no signal
    logger.info("Article %s parsed: %s agreements (%s new)", article.pk, report.agreements, report.created)
    return IngestionState.PARSED


def _article_work(*, article: Article, token: str, queue: str | None) -> str:
    """The work on a claimed article; see article_process."""
    article_id = article.pk
    try:
        if article.url and not article.raw:
            twin = _fetch(article)
            if twin is not None:
                # A fetched page identical to a known document is that document again: a duplicate, not a failure.
                return article_store_copy(
                    article=article, token=token, copy=Copy(original=original_of(twin), why="the same document")
                )
            if queue is not None and queue != settings.INGEST_LONG_QUEUE and is_long(len(article.raw)):
                # Only now is its size known: the long queue's worker parses it, not a slot short articles need.
                return _hand_over(article_id=article_id, token=token)
        limit, started = settings.INGEST_PARSE_TIME_LIMIT, time.monotonic()
        with parse_deadline(limit):
            reading = _read(article)
        # Copies are looked for before the engine runs: twenty outlets' copies of a story cost one extraction.
        copy = _copy_of(article, reading)
        if copy is not None:
            return article_store_copy(article=article, token=token, copy=copy, reading=reading)
        if reading.language.code not in LANGUAGES:
            return _record_unsupported(article=article, token=token, reading=reading)
        with parse_deadline(_remaining(limit, started)):
            extraction = extract(
                reading.document.text,
                published=reading.published.value if reading.published else None,
                title=_headline(article, reading.document),
                language=reading.language.code,
            )
        return _store_parsed(article=article, token=token, reading=reading, extraction=extraction)
    except FetchError as error:
        if error.transient:
            return _retry_or_fail(article=article, token=token, reason=f"Could not fetch the page: {error}")
        article_fail(article_id=article_id, token=token, reason=f"Could not fetch the page: {error}")
    except DocumentError as error:
        article_fail(article_id=article_id, token=token, reason=f"Could not read the document: {error}")
    except ParseTimeout:
        # Trying again would take as long: fail on this first attempt, with the reason, and free the worker. The
        # whole limit is named: the engine's deadline is only what reading the document left of it.
        limit = settings.INGEST_PARSE_TIME_LIMIT
        article_fail(
            article_id=article_id,
            token=token,
            reason=f"Could not read the document in time: parsing took longer than {limit:g} s "
            "(INGEST_PARSE_TIME_LIMIT), so it was stopped. It is too long or too intricate to read; the document is "
            "kept.",
        )
    except Exception as error:
        if isinstance(error, (OperationalError, InterfaceError)):
            return _retry_or_fail(article=article, token=token, reason=f"The database was unavailable ({error})")
        logger.exception("Unexpected error while parsing article %s", article_id)
        article_fail(
            article_id=article_id,
            token=token,
            reason=f"Unexpected error while parsing ({type(error).__name__}: {error}). The document is kept; "
            "re-parse it once the cause is fixed.",
        )
    return IngestionState.FAILED


# ---------------------------------------------------------------------------------------------------------------------
# The periodic sweep


@dataclass(frozen=True)
class SweepReport:
    requeued: list[int]
    failed: list[int]


def _ago(now: datetime.datetime, seconds: float) -> datetime.datetime:
    return now - datetime.timedelta(seconds=seconds)


def articles_requeue_stale(*, now: datetime.datetime | None = None) -> SweepReport:
    """Publish again what was left pending or processing, and fail what keeps dying instead of looping.

    - pending and never handed to the broker (it was down at submit time) for INGEST_REQUEUE_PENDING_AFTER;
    - pending though handed to it, for INGEST_REQUEUE_QUEUED_AFTER: longer, because a long queue is no fault, and
      publishing a backlog again every sweep would only pile up duplicates; only a message lost with the broker's
      data stays pending that long;
    - processing with no heartbeat for INGEST_HEARTBEAT_TIMEOUT: its worker died (a lost worker's message would come
      back from Redis only after the visibility timeout, twice the task time limit).
    """
    now = now or timezone.now()
    silent_since = _ago(now, settings.INGEST_HEARTBEAT_TIMEOUT)
    stale = Article.objects.filter(
        Q(state=IngestionState.PENDING, queued_at__isnull=True)
        & Q(state_changed_at__lt=_ago(now, settings.INGEST_REQUEUE_PENDING_AFTER))
        | Q(state=IngestionState.PENDING, queued_at__lt=_ago(now, settings.INGEST_REQUEUE_QUEUED_AFTER))
        | Q(state=IngestionState.PROCESSING, heartbeat_at__lt=silent_since)
        # Claimed before heartbeats existed.
        | Q(state=IngestionState.PROCESSING, heartbeat_at__isnull=True, state_changed_at__lt=silent_since)
    ).values_list("pk", "attempts", "retries", "error", "state_changed_at", "heartbeat_at")
    requeued, failed = [], []
    for article_id, attempts, retries, error, changed_at, heartbeat in stale:
        unfinished = unfinished_attempts(attempts=attempts, retries=retries)
        if unfinished >= settings.INGEST_MAX_ATTEMPTS:
            if article_fail(article_id=article_id, reason=give_up_reason(attempts=unfinished, last_error=error)):
                failed.append(article_id)
            continue
        # Touch the row first, on condition that nothing changed it since (a beat, a claim), so that two sweeps never
        # publish the same article twice and a worker that beat just now keeps it.
        if Article.objects.filter(pk=article_id, state_changed_at=changed_at, heartbeat_at=heartbeat).update(
            state=IngestionState.PENDING, claim_token="", queued_at=None, state_changed_at=now
        ):
            requeued.append(article_id)
    for article_id in requeued:
        article_enqueue(article_id=article_id)
    return SweepReport(requeued=requeued, failed=failed)
