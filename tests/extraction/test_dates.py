"""Dates: absolute and relative expressions, resolved against the publication date and never today.

Plain functions on short sentences written for the purpose: no database, no Django.
"""

from __future__ import annotations

import datetime as dt

import pytest

from articles.extraction import extract
from articles.extraction.dates import dateline_date, find_dates
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


# --- a dateline dates a document that carries no publication date ------------------------------------------------


@pytest.mark.parametrize(
    ("opening", "language", "day"),
    [
        ("16 March 2023 – Chile and Peru signed a fisheries accord on Friday.", "en", "2023-03-16"),
        ("LIMA, 16 March 2023 (Reuters) — Chile and Peru signed", "en", "2023-03-16"),
        ("Washington, D.C. — March 3, 2024 — The United States and Japan", "en", "2024-03-03"),
        ("La Paz, 21 de julio de 2023 (ABI).- Los ministros de Defensa", "es", "2023-07-21"),
        ("Ciudad de México, 3 de marzo de 2024 (EFE).- El canciller", "es", "2024-03-03"),
    ],
)
def test_a_datelines_day_dates_the_report(opening: str, language: str, day: str) -> None:
    assert dateline_date(opening, language=language) == dt.date.fromisoformat(day)


@pytest.mark.parametrize(
    "opening",
    [
        "LIMA, March 16 (Reuters) - Chile and Peru signed",  # no year: no day to count from
        "Chile and Peru signed on 16 March 2023 – a fisheries accord",  # a clause, not a dateline
        "Chile and Peru signed a deal: on 16 March 2023 they met",
        "In March 2023 – Chile and Peru",  # a month is no day
    ],
)
def test_a_date_in_a_clause_is_no_dateline(opening: str) -> None:
    assert dateline_date(opening) is None


def test_without_a_publication_date_the_datelines_day_is_the_reference_never_the_signing_day() -> None:
    text = "16 March 2023 – Chile and Peru signed a fisheries agreement in Lima on Friday, officials said."
    (agreement,) = extract(text).agreements
    assert (agreement.date, agreement.date_precision) == ("2023-03-10", "day")
