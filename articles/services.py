"""Writes for articles: submitting documents, parsing them into agreements, recording failures."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction

from articles.models import Article, SubmissionKind, content_hash
from tracker.partial_dates import PartialDate


@dataclass(frozen=True)
class Submission:
    article: Article
    created: bool


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
) -> Submission:
    """Store a document, exactly as received, before anything parses it. A known document returns its article."""
    if not raw and not url:
        raise ValueError("Nothing to submit: give a text, a file or a URL.")
    existing = find_existing(url=url, raw=raw)
    if existing:
        return Submission(article=existing, created=False)
    try:
        with transaction.atomic():
            article = Article.objects.create(
                url=url or None,
                raw=raw,
                content_hash=content_hash(raw) if raw else None,
                submission=submission,
                filename=filename,
                content_type=content_type,
                title=title,
                publisher=publisher,
                published_on=published.value if published else None,
                published_precision=published.precision if published else "",
                language=language,
                submitted_by=user,
            )
    except IntegrityError:
        # Another submission of the same document won the race: it is the one article for this document.
        existing = find_existing(url=url, raw=raw)
        if existing is None:
            raise
        return Submission(article=existing, created=False)
    return Submission(article=article, created=True)
