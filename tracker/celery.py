"""The Celery application. Workers start with `celery -A tracker worker`; beat with `celery -A tracker beat`."""

import os

from celery import Celery, signals

from tracker.logs import log_context

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

app = Celery("tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
_task_logs: dict = {}


# Every log line a task writes carries its id (tracker.logs); the worker's logging is Django's LOGGING.
@signals.task_prerun.connect
def _task_started(task_id=None, **kwargs):
    _task_logs[task_id] = log_context(task_id=task_id)
    _task_logs[task_id].__enter__()


@signals.task_postrun.connect
def _task_finished(task_id=None, **kwargs):
    context = _task_logs.pop(task_id, None)
    if context is not None:
        context.__exit__(None, None, None)
