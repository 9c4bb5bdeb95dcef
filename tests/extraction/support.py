"""Helpers shared by the engine's tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from articles.extraction import CandidateAgreement, Extraction, extract

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
FRI = dt.date(2024, 3, 15)  # a Friday


def one(text: str, published: dt.date = FRI, title: str | None = None) -> CandidateAgreement:
    result = extract(text, published=published, title=title)
    assert len(result.agreements) == 1, result.agreements
    return result.agreements[0]


def roles(result: Extraction) -> dict[str, str]:
    return {m.code: m.role for m in result.mentions}
