"""manage.py ingest PATH|URL … — submit files, folders, labelled .jsonl files and URLs for parsing."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles.languages import language_code
from articles.models import Article, IngestionState, SubmissionKind
from articles.services import article_submit
from articles.tasks import parse_article
from tracker.partial_dates import PartialDate

DOCUMENT_SUFFIXES = {".txt", ".text", ".html", ".htm", ".xhtml"}


@contextlib.contextmanager
def _task_log_at(level: int) -> Iterator[None]:
    logger = logging.getLogger("celery.app.trace")
    previous = logger.level
    logger.setLevel(level)
    try:
        yield
    finally:
        logger.setLevel(previous)


@dataclass(frozen=True)
class Item:
    label: str
    raw: bytes = b""
    url: str = ""
    filename: str = ""
    title: str = ""
    published: PartialDate | None = None
    language: str = ""


def _jsonl_items(path: Path) -> Iterator[Item]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                published = PartialDate.parse(record["published"]) if record.get("published") else None
                yield Item(
                    label=f"{path.name}:{record.get('id', number)}",
                    raw=record["text"].encode("utf-8"),
                    filename=f"{record.get('id', number)}.txt",
                    title=record.get("title", ""),
                    published=published,
                    language=record.get("lang", ""),
                )
            except (KeyError, ValueError, TypeError) as error:
                raise CommandError(f"{path}:{number}: not a labelled article ({error}).") from error


def items(sources: list[str]) -> Iterator[Item]:
    for source in sources:
        if source.startswith(("http://", "https://")):
            yield Item(label=source, url=source)
            continue
        path = Path(source)
        if path.is_dir():
            files = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES | {".jsonl"}
            )
        elif path.is_file():
            files = [path]
        else:
            raise CommandError(f"{source}: no such file, folder or URL.")
        for file in files:
            if file.suffix.lower() == ".jsonl":
                yield from _jsonl_items(file)
            else:
                yield Item(label=str(file), raw=file.read_bytes(), filename=file.name)


def _language_option(value: str) -> str:
    try:
        return language_code(value)
    except ValidationError as error:
        raise argparse.ArgumentTypeError(error.messages[0]) from error


def _published_option(value: str) -> PartialDate:
    try:
        return PartialDate.parse(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from error


class Command(BaseCommand):
    help = "Submit documents for parsing: text or HTML files, folders of them, labelled .jsonl files, or URLs."

    def add_arguments(self, parser):
        parser.add_argument("sources", nargs="+", metavar="PATH|URL")
        parser.add_argument(
            "--wait", type=float, default=600, help="Seconds to wait for workers to finish before the summary."
        )
        parser.add_argument("--reparse", action="store_true", help="Parse documents already known again.")
        parser.add_argument(
            "--language",
            type=_language_option,
            default="",
            help="ISO 639-1 code of every document (default: a .jsonl record's own, else detected from each text).",
        )
        parser.add_argument(
            "--published",
            type=_published_option,
            default=None,
            help="Publication date of documents that carry none (YYYY, YYYY-MM or YYYY-MM-DD): relative dates in "
            "their text resolve against it.",
        )

    def execute(self, *args, **options):
        # Without a broker each document is parsed here, and Celery logs a line per task ("Task … succeeded") that
        # breaks the progress bar into hundreds of lines; failures are still logged, and counted in the summary.
        with _task_log_at(logging.INFO if options.get("verbosity", 1) > 1 else logging.WARNING):
            return super().execute(*args, **options)

    def handle(self, *args, sources: list[str], wait: float, reparse: bool, **options):
        submitted: list[int] = []
        known = 0
        for item in tqdm(list(items(sources)), desc="Submitting", unit="doc", disable=options["verbosity"] == 0):
            result = article_submit(
                raw=item.raw,
                url=item.url,
                submission=SubmissionKind.URL if item.url else SubmissionKind.FILE,
                filename=item.filename,
                title=item.title,
                published=item.published or options["published"],
                language=options["language"] or item.language,
            )
            if not result.created and not result.requeued:
                known += 1
                if not reparse:
                    continue
                from articles.services import article_reparse

                article_reparse(article=result.article)
            submitted.append(result.article.pk)
        self._wait(submitted, wait, quiet=options["verbosity"] == 0)
        self._summary(submitted, known)

    def _wait(self, ids: list[int], timeout: float, *, quiet: bool) -> None:
        """With a broker, workers parse in the background: follow them with a progress bar."""
        if parse_article.app.conf.task_always_eager or not ids:
            return
        open_states = (IngestionState.PENDING, IngestionState.PROCESSING)
        deadline = time.monotonic() + timeout
        with tqdm(total=len(ids), desc="Parsing", unit="doc", disable=quiet) as bar:
            while time.monotonic() < deadline:
                done = len(ids) - Article.objects.filter(pk__in=ids, state__in=open_states).count()
                bar.update(done - bar.n)
                if done == len(ids):
                    return
                time.sleep(0.5)

    def _summary(self, ids: list[int], known: int) -> None:
        articles = list(Article.objects.filter(pk__in=ids).order_by("pk"))
        states = Counter(article.state for article in articles)
        created = sum(article.parse_summary.get("created", 0) for article in articles)
        merged = sum(article.parse_summary.get("merged", 0) for article in articles)
        self.stdout.write(
            f"{len(ids)} submitted, {known} already known; {states[IngestionState.PARSED]} parsed, "
            f"{states[IngestionState.FAILED]} failed, {states[IngestionState.DUPLICATE]} duplicates of known ones, "
            f"{states[IngestionState.UNSUPPORTED]} in a language not read, "
            f"{states[IngestionState.PENDING] + states[IngestionState.PROCESSING]} still waiting for a worker."
        )
        self.stdout.write(f"Agreements: {created} created, {merged} merged into known ones.")
        for article in articles:
            if article.state == IngestionState.FAILED:
                self.stdout.write(self.style.ERROR(f"  failed #{article.pk} {article}: {article.error}"))
            elif article.state == IngestionState.UNSUPPORTED:
                self.stdout.write(self.style.WARNING(f"  unsupported #{article.pk} {article}: {article.error}"))
