"""Celery tasks: thin, take ids, safe to run twice. The work is in alerts.events and alerts.services."""

from __future__ import annotations

import logging

from celery import shared_task

from alerts import events, services

logger = logging.getLogger(__name__)


def publish(task, *args) -> None:
    """Publish a task, or run it here when there is no broker. A failed publish loses nothing: the event reader and
    the sweep of overdue deliveries publish again from the database."""
    try:
        if task.app.conf.task_always_eager:
            task.apply(args=args)
        else:
            task.apply_async(args=args, retry=False)
    except Exception as error:  # any broker error: the rows are stored, the next sweep publishes
        logger.warning("Could not publish %s%r (%r); the next sweep will.", task.name, args, error)


def publish_many(task, calls: list[tuple]) -> None:
    """Publish many calls of one task over one broker connection (a run of the reader may publish thousands)."""
    if not calls:
        return
    if task.app.conf.task_always_eager:
        for args in calls:
            publish(task, *args)
        return
    try:
        with task.app.producer_or_acquire() as producer:
            for args in calls:
                task.apply_async(args=args, retry=False, producer=producer)
    except Exception as error:  # the rows are stored: the sweep of overdue deliveries publishes them later
        logger.warning("Could not publish %s calls of %s (%r); the next sweep will.", len(calls), task.name, error)


@shared_task(acks_late=True)
def record_events() -> int:
    """Read new history into events and deliveries (beat runs it every ALERTS_SCAN_INTERVAL seconds), and publish
    again the webhook deliveries whose message was lost."""
    recorded = events.events_record()
    for delivery_id in services.webhook_deliveries_overdue():
        publish(deliver_webhook, delivery_id)
    return len(recorded)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None)
def deliver_webhook(self, delivery_id: int) -> bool:
    # The service counts attempts on the delivery row and fails it when they are used up; Celery only waits.
    attempt = services.webhook_deliver(delivery_id=delivery_id)
    if attempt.retry:
        raise self.retry(countdown=attempt.countdown)
    return attempt.delivered


@shared_task(acks_late=True)
def send_immediate_emails() -> int:
    return services.emails_send_immediate()


@shared_task(acks_late=True)
def send_digests() -> int:
    return services.digests_send()
