"""Which earlier article a new one copies: the same address (its page's own canonical URL) or the same story.

Reads only; `articles.services` stores the outcome. The thresholds are settings, tuned on labelled pairs of real
pages (`python -m tests.articles.duplicate_pairs`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from articles.duplicates import Thresholds, containment, fingerprint_similarity, page_canonical_url, same_story
from articles.models import Article, IngestionState


@dataclass(frozen=True)
class Copy:
    """The original an article copies, why, and the figures behind a same-story match."""

    original: Article
    why: str
    figures: dict = field(default_factory=dict)

    def summary(self) -> dict:
        return {"duplicate_of": self.original.pk, "why": self.why, **self.figures}


def original_of(article: Article) -> Article:
    """The article at the root: a copy of a copy is a copy of the original (originals are never duplicates)."""
    return article.duplicate_of if article.duplicate_of_id else article


def declared_address(*, article: Article, declared: str | None) -> str | None:
    """The canonical address the page gives itself, when it may replace the article's (same registrable site)."""
    if not article.url:
        return None
    address = page_canonical_url(page_url=article.url, declared=declared)
    return address if address and address != article.url else None


def copy_by_address(*, article: Article, address: str | None) -> Copy | None:
    """Another article already known by the address this page declares: this page is that article again."""
    if not address:
        return None
    holder = Article.objects.filter(url=address).exclude(pk=article.pk).select_related("duplicate_of").first()
    return Copy(original=original_of(holder), why="the same address") if holder else None


def thresholds() -> Thresholds:
    return Thresholds(similarity=settings.INGEST_DUPLICATE_SIMILARITY, overlap=settings.INGEST_DUPLICATE_OVERLAP)


def _in_window(published: datetime.date | None) -> Q:
    """Published within the window of this article's date, or received within the window of now (a page whose date
    is unknown, or a story published long ago that arrives twice today)."""
    window = datetime.timedelta(days=settings.INGEST_DUPLICATE_WINDOW_DAYS)
    received = Q(created_at__gte=timezone.now() - window)
    if published is None:
        return received
    return received | Q(published_on__range=(published - window, published + window))


def copy_by_story(*, article: Article, text: str, fingerprint: str, published: datetime.date | None) -> Copy | None:
    """An earlier parsed article telling the same story: fingerprints first (one query over the window, compared in
    Python), then the words of the few that come close."""
    if not fingerprint:
        return None
    limits = thresholds()
    earlier = (
        Article.objects.filter(_in_window(published), state=IngestionState.PARSED, pk__lt=article.pk)
        .exclude(fingerprint="")
        .values_list("pk", "fingerprint")
    )
    close = {pk: other for pk, other in earlier if fingerprint_similarity(fingerprint, other) >= limits.similarity}
    for candidate in Article.objects.filter(pk__in=close).defer("raw").order_by("pk"):
        if same_story(
            text=text,
            fingerprint=fingerprint,
            other_text=candidate.text,
            other_fingerprint=candidate.fingerprint,
            thresholds=limits,
        ):
            figures = {
                "similarity": round(fingerprint_similarity(fingerprint, candidate.fingerprint), 3),
                "overlap": round(containment(text, candidate.text), 3),
            }
            return Copy(original=candidate, why="the same story", figures=figures)
    return None
