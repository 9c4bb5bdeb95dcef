"""Celery tasks: thin, take ids, safe to run twice. The work is in articles.services."""

from __future__ import annotations

from celery import shared_task

from articles import polling, services
from tracker.logs import log_context


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None)
def parse_article(self, article_id: int) -> str:
    # The service counts retries on the article and fails it when they are used up; Celery only waits.
    queue = (self.request.delivery_info or {}).get("routing_key")
    try:
        with log_context(article_id=article_id):
            return services.article_process(
                article_id=article_id, token=self.request.id or f"local-{article_id}", queue=queue
            )
    except services.TransientIngestError as error:
        raise self.retry(countdown=error.countdown) from error


@shared_task(acks_late=True)
def requeue_stale_articles() -> dict[str, list[int]]:
    report = services.articles_requeue_stale()
    return {"requeued": report.requeued, "failed": report.failed}


@shared_task(acks_late=True)
def poll_due_sources() -> list[int]:
    return polling.sources_dispatch()


@shared_task(acks_late=True)
def poll_source(source_id: int) -> dict[str, object]:
    report = polling.source_poll(source_id=source_id)
    return {"outcome": report.outcome, "entries": report.entries, "created": report.created, "error": report.error}
