"""Prometheus metrics: django-prometheus's request metrics, plus gauges of the tracker's own state.

Under gunicorn every worker process writes its request metrics to PROMETHEUS_MULTIPROC_DIR (gunicorn.conf.py sets
it), and a scrape reads them all, so `/metrics` gives the whole server whichever process answers. The tracker's
gauges are read from the database at scrape time: they are the same in every process, so they are collected here
once, not written per process.
"""

from __future__ import annotations

import os

import prometheus_client
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.module_loading import import_string
from prometheus_client import multiprocess
from prometheus_client.core import GaugeMetricFamily

from tracker.models import Agreement, ReviewState


class ReviewQueueCollector:
    """The review queue's size: unreviewed agreements not merged into another (the review page's list)."""

    def collect(self):
        size = Agreement.objects.filter(review_state=ReviewState.UNREVIEWED, merged_into__isnull=True).count()
        yield GaugeMetricFamily("tracker_review_queue_size", "Agreements waiting for an analyst's review", value=size)


def metrics_registry() -> prometheus_client.CollectorRegistry:
    registry = prometheus_client.CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        # One process (runserver, tests): its own request metrics are all there is.
        registry.register(_ProcessMetrics())
    for path in settings.TRACKER_METRICS_COLLECTORS:
        registry.register(import_string(path)())
    return registry


class _ProcessMetrics:
    def collect(self):
        yield from prometheus_client.REGISTRY.collect()


def metrics(request: HttpRequest) -> HttpResponse:
    return HttpResponse(
        prometheus_client.generate_latest(metrics_registry()), content_type=prometheus_client.CONTENT_TYPE_LATEST
    )
