"""A time limit for parsing one document, well inside the task's: a document too slow to read fails at once.

Celery's hard time limit kills the whole pool process, and the article is tried again, so a document that can never
be read in time used to hold a worker for three time limits before failing. The caps in articles/documents.py keep
lxml's share of the time linear; this deadline bounds the rest (trafilatura's Python, the extraction engine), whatever
the input. SIGALRM interrupts the Python code that is running when the time is up (lxml's C code, when it returns).

Pure Python on purpose: no Django, no Celery; the caller passes the limit in.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator

__all__ = ["ParseTimeout", "parse_deadline"]


class ParseTimeout(BaseException):
    """Parsing ran past its deadline.

    A BaseException, like KeyboardInterrupt: trafilatura and the engine catch `Exception` to fall back to another way
    of reading a page, and would otherwise swallow it and carry on past the deadline.
    """

    def __init__(self, seconds: float) -> None:
        super().__init__(f"parsing took longer than {seconds:g} s")
        self.seconds = seconds


@contextlib.contextmanager
def parse_deadline(seconds: float) -> Iterator[None]:
    """Raise ParseTimeout in the block once it has run `seconds`.

    Signals reach the main thread only, so elsewhere (a threaded web server running tasks in-process) the block runs
    unbounded; Celery's prefork and solo pools, `manage.py ingest` and gunicorn's sync workers run it in the main
    thread. 0 switches the deadline off.
    """
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame) -> None:
        raise ParseTimeout(seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
