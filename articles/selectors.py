"""Reads about news sources that the Sources page and the API share."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from articles.models import IngestionState, Source

# Items per day are counted over this many days (or since the source was added, when that is more recent).
RATE_WINDOW_DAYS = 30


def sources_with_health(*, now: datetime.datetime | None = None) -> QuerySet[Source]:
    """Sources with their articles counted: all of them, those of the last RATE_WINDOW_DAYS, parsed, and parsed
    with at least one agreement cited (an article that yielded an agreement). One query."""
    now = now or timezone.now()
    since = now - datetime.timedelta(days=RATE_WINDOW_DAYS)
    return Source.objects.select_related("country").annotate(
        articles_total=Count("articles", distinct=True),
        articles_recent=Count("articles", filter=Q(articles__created_at__gte=since), distinct=True),
        articles_parsed=Count("articles", filter=Q(articles__state=IngestionState.PARSED), distinct=True),
        articles_failed=Count("articles", filter=Q(articles__state=IngestionState.FAILED), distinct=True),
        articles_with_agreement=Count(
            "articles",
            filter=Q(articles__state=IngestionState.PARSED, articles__citations__isnull=False),
            distinct=True,
        ),
    )


def items_per_day(source: Source, *, now: datetime.datetime | None = None) -> float:
    """New articles a day over the rate window (or over the days since the source was added)."""
    now = now or timezone.now()
    days = min(RATE_WINDOW_DAYS, max(1.0, (now - source.created_at).total_seconds() / 86400))
    return source.articles_recent / days


def agreement_share(source: Source) -> float | None:
    """The share of its parsed articles that yielded at least one agreement; None before any was parsed."""
    if not source.articles_parsed:
        return None
    return source.articles_with_agreement / source.articles_parsed
