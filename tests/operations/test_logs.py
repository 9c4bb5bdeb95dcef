"""Log records say which task and which article they come from."""

from __future__ import annotations

import logging

from articles.services import article_submit
from articles.tasks import parse_article
from tracker.logs import ContextFilter

STORY = b"""Bolivia's defence minister signed a memorandum of understanding on defence cooperation with his Iranian
counterpart in Tehran on 20 July, covering training and the purchase of drones."""


class _Kept(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []
        self.addFilter(ContextFilter())

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_a_parsed_articles_log_line_names_the_article_and_the_task(countries):
    article = article_submit(raw=STORY, enqueue=False).article
    kept = _Kept()
    logger = logging.getLogger("articles.services")
    logger.addHandler(kept)
    try:
        result = parse_article.apply(args=[article.id], task_id="task-7")
    finally:
        logger.removeHandler(kept)
    assert result.get() == "parsed"
    (record,) = [r for r in kept.records if r.getMessage().startswith(f"Article {article.id} parsed")]
    assert (record.article_id, record.task_id, record.request_id) == (article.id, "task-7", None)

    # Outside the task, nothing is left behind for the next line.
    outside = logging.LogRecord("x", logging.INFO, __file__, 1, "after", None, None)
    ContextFilter().filter(outside)
    assert (outside.article_id, outside.task_id) == (None, None)
