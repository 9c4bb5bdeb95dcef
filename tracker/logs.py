"""What every log record says about where it came from: the request id, the user, the article and the task.

The values live in context variables, set by the request middleware below, by the Celery signals in
tracker/celery.py and by the article task (`log_context(article_id=…)`), and a logging filter copies them onto every
record, so a JSON log line can be searched by any of them.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import re
import uuid
from collections.abc import Callable, Iterator

from django.core.signals import request_finished
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

FIELDS = ("request_id", "user", "article_id", "task_id")
_context: dict[str, contextvars.ContextVar] = {name: contextvars.ContextVar(name, default=None) for name in FIELDS}
_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar("request", default=None)
# A request id from the proxy is kept only when it looks like one: it is written into every log line.
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


@contextlib.contextmanager
def log_context(**values) -> Iterator[None]:
    tokens = [(_context[name], _context[name].set(value)) for name, value in values.items()]
    try:
        yield
    finally:
        for variable, token in reversed(tokens):
            variable.reset(token)


def current(name: str):
    return _context[name].get()


def _request_user(request: HttpRequest | None) -> str | None:
    # Only a user the request has already loaded: logging must never query the database itself.
    user = getattr(request, "user", None) if request is not None else None
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return user.get_username() if user.is_authenticated else None


class ContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        for name in FIELDS:
            if getattr(record, name, None) is None:
                setattr(record, name, _context[name].get())
        if record.user is None:
            record.user = _request_user(_request.get())
        return True


def request_id_for(request: HttpRequest) -> str:
    given = request.headers.get("X-Request-ID", "")
    return given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex


def request_context(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    """Give each request an id (the proxy's `X-Request-ID`, or a new one), sent back in the response's header.

    The context is cleared when the response is closed (`request_finished`), not when this middleware returns:
    Django logs 4xx and 5xx responses after the whole middleware chain, and those lines need the id most.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        request_id = request_id_for(request)
        _request.set(request)
        _context["request_id"].set(request_id)
        response = get_response(request)
        response["X-Request-ID"] = request_id
        return response

    return middleware


@receiver(request_finished)
def _forget_request(**kwargs) -> None:
    _request.set(None)
    _context["request_id"].set(None)
