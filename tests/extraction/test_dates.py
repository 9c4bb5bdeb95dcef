"""Dates: absolute and relative expressions, resolved against the publication date and never today.

Plain functions on short sentences written for the purpose: no database, no Django.
"""

from __future__ import annotations

import pytest

from articles.extraction import extract
from articles.extraction.dates import find_dates
from tests.extraction.support import FRI


@pytest.mark.parametrize(
    ("phrase", "value", "precision"),
    [
        ("signed on Tuesday", "2024-03-12", "day"),
        ("signed last Friday", "2024-03-08", "day"),
        ("late last month", "2024-02", "month"),
        ("earlier this month", "2024-03", "month"),
        ("last year", "2023", "year"),
        ("met on Friday and Saturday", "2024-03", "month"),
        ("signed on Nov. 24", "2023-11-24", "day"),
        ("in November 2011", "2011-11", "month"),
        ("signed in 1951", "1951", "year"),
    ],
)
def test_relative_dates_resolve_against_publication(phrase: str, value: str, precision: str) -> None:
    dates = find_dates(phrase, FRI)
    assert [(d.value, d.precision) for d in dates] == [(value, precision)]


def test_no_clock_without_publication_date() -> None:
    result = extract("Peru and Chile signed a trade agreement on Monday.")
    assert result.agreements[0].date is None
