"""The parse deadline: pure Python, no database."""

import signal
import threading
import time

import pytest

from articles.deadline import ParseTimeout, parse_deadline


def _busy(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def test_the_deadline_stops_a_busy_block_on_time():
    started = time.monotonic()

    with pytest.raises(ParseTimeout, match=r"parsing took longer than 0\.3 s"), parse_deadline(0.3):
        _busy(10)

    assert time.monotonic() - started < 1.5


def test_a_broad_except_in_the_parser_cannot_swallow_it():
    # trafilatura falls back to other readers on `except Exception`: the deadline must get through it.
    with pytest.raises(ParseTimeout), parse_deadline(0.2):
        try:
            _busy(10)
        except Exception:
            pytest.fail("the deadline was caught as an Exception")


def test_a_block_that_ends_in_time_leaves_no_alarm_behind():
    previous = signal.getsignal(signal.SIGALRM)

    with parse_deadline(0.5):
        _busy(0.05)
    _busy(0.7)  # the alarm would have fired here

    assert signal.getsignal(signal.SIGALRM) is previous
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_off_the_main_thread_there_is_no_deadline():
    outcome = []

    def run() -> None:
        with parse_deadline(0.1):
            _busy(0.3)
        outcome.append("finished")

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()

    assert outcome == ["finished"]
