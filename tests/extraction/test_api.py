"""The public API, records and scoring, and the seed article end to end.

Plain functions on short sentences written for the purpose: no database, no Django.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from articles.extraction import EXTRACTOR_VERSION, Span, extract
from articles.extraction.records import extract_record, extraction_to_record, read_jsonl
from articles.extraction.scoring import date_matches, format_report, score
from tests.extraction.support import FRI, ROOT, roles


def test_version_and_frozen_results() -> None:
    assert EXTRACTOR_VERSION.startswith("rules-")
    result = extract("Peru and Chile signed a trade agreement on Monday.", published=FRI)
    agreement = result.agreements[0]
    with pytest.raises(AttributeError):
        agreement.status = "proposed"  # type: ignore[misc]
    assert hash(agreement) == hash(agreement)
    assert isinstance(agreement.evidence, Span)
    assert set(agreement.field_evidence) >= {"parties", "type", "status", "date"}


def test_offsets_point_into_the_text_not_the_title() -> None:
    text = "Peru and Chile signed a trade agreement on Monday."
    result = extract(text, published=FRI, title="Andean trade pact")
    for mention in result.mentions:
        assert text[mention.span.start : mention.span.end] == mention.span.text
    agreement = result.agreements[0]
    for span in (agreement.evidence, *agreement.field_evidence.values()):
        assert text[span.start : span.end] == span.text


def test_import_loads_no_django() -> None:
    code = "import sys, articles.extraction; assert not any(m.startswith('django') for m in sys.modules)"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_seed_article_yields_one_bolivia_iran_defence_pact() -> None:
    text = (ROOT / "seeds" / "000_0a938d0a15eb8031.txt").read_text(encoding="utf-8")
    result = extract(text, published=dt.date(2023, 8, 3))
    assert len(result.agreements) == 1
    agreement = result.agreements[0]
    assert agreement.parties == ("BOL", "IRN")
    assert agreement.types[0] in ("defense", "security")
    assert (agreement.status, agreement.date, agreement.date_precision) == ("signed", "2023-07", "month")
    assert roles(result)["ARG"] == "third_party"


def test_record_helpers_round_trip() -> None:
    record = {
        "id": "x1",
        "published": "2024-03-15",
        "text": "Peru and Chile signed a trade agreement on Monday.",
        "other": 1,
    }
    out = extract_record(record)
    assert out == {
        "id": "x1",
        "agreements": [
            {
                "parties": ["CHL", "PER"],
                "type": "economic",
                "status": "signed",
                "date": "2024-03-11",
                "confidence": out["agreements"][0]["confidence"],
                "evidence": "Peru and Chile signed a trade agreement on Monday.",
            }
        ],
    }
    assert 0.0 < out["agreements"][0]["confidence"] <= 1.0
    assert extraction_to_record("x2", extract("Nothing here."))["agreements"] == []
    assert read_jsonl(['{"id": "a"}', "", '{"id": "b"}']) == [{"id": "a"}, {"id": "b"}]


def test_scoring_matches_party_sets_and_prefers_type_agreement() -> None:
    gold = [
        {
            "id": "a",
            "agreements": [
                {"parties": ["FRA", "GBR"], "types": ["nuclear"], "status": "signed", "date": "2010-11"},
                {"parties": ["FRA", "GBR"], "types": ["defense"], "status": "signed", "date": "1947"},
            ],
        },
        {"id": "b", "agreements": []},
    ]
    predicted = {
        "a": [
            {"parties": ["FRA", "GBR"], "type": "defense", "status": "signed", "date": "1947"},
            {"parties": ["FRA", "GBR"], "type": "nuclear", "status": "signed", "date": "2010-11-02"},
        ],
        "b": [{"parties": ["CHN", "RUS"], "type": "defense", "status": "signed", "date": None}],
    }
    report = score(gold, predicted)
    assert (report.overall.tp, report.overall.fp, report.overall.fn) == (2, 1, 0)
    assert report.overall.type_accuracy == 1.0 and report.overall.date_accuracy == 1.0
    assert [m["kind"] for m in report.misses] == ["FP"]
    assert "F1" in format_report(report)
    assert date_matches("2023-07", "2023-07-20") and not date_matches(None, "2023") and date_matches(None, None)
