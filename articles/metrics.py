"""The ingestion gauges of `/metrics` (tracker.metrics collects them at scrape time)."""

from __future__ import annotations

from django.db.models import Count, Min
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily

from articles.models import Article, IngestionState, Source


def failing_sources_count() -> int:
    """Active news sources whose last poll failed (they back off until one succeeds)."""
    return Source.objects.filter(active=True, consecutive_failures__gt=0).count()


class IngestionCollector:
    def collect(self):
        by_state = GaugeMetricFamily("tracker_articles", "Articles by ingestion state", labels=["state"])
        counts = dict(Article.objects.values_list("state").annotate(n=Count("id")).order_by())
        for state in IngestionState.values:
            by_state.add_metric([state], counts.get(state, 0))
        yield by_state

        oldest = Article.objects.filter(state=IngestionState.PENDING).aggregate(at=Min("created_at"))["at"]
        age = (timezone.now() - oldest).total_seconds() if oldest else 0
        yield GaugeMetricFamily(
            "tracker_oldest_pending_article_age_seconds",
            "Seconds the oldest article still pending has waited (0: none is pending)",
            value=age,
        )
        yield GaugeMetricFamily(
            "tracker_sources_failing", "Followed sources whose last fetch failed", value=failing_sources_count()
        )
