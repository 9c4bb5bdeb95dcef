"""Celery tasks: thin, take ids, safe to run twice. The work is in articles.services."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from articles import services


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None)
def parse_article(self, article_id: int) -> str:
    try:
        return services.article_process(article_id=article_id, token=self.request.id or f"local-{article_id}")
    except services.TransientIngestError as error:
        if self.request.retries >= settings.INGEST_MAX_RETRIES:
            services.article_fail(
                article_id=article_id, reason=f"Still failing after {self.request.retries} retries: {error}"
            )
            return "failed"
        # Exponential backoff with a ceiling: 2, 4, 8 … seconds, at most ten minutes.
        raise self.retry(countdown=min(600, 2 ** (self.request.retries + 1))) from error


@shared_task(acks_late=True)
def requeue_stale_articles() -> dict[str, list[int]]:
    report = services.articles_requeue_stale()
    return {"requeued": report.requeued, "failed": report.failed}
