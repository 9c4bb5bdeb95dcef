"""Celery tasks of the core: thin, safe to run twice."""

from __future__ import annotations

from celery import shared_task

from tracker.health import beat_heartbeat_record


@shared_task(ignore_result=True)
def beat_heartbeat() -> None:
    # Scheduled by beat only: a recent stamp proves beat ticks and a worker takes its tasks (readiness reads it).
    beat_heartbeat_record()
