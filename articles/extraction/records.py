"""JSON-lines helpers: read labelled files, turn extractions into scoring records."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from pathlib import Path

from .explain import explain
from .pipeline import extract
from .results import Extraction


def read_jsonl(path_or_lines: str | Path | Iterable[str]) -> list[dict]:
    """Records from a path or from an iterable of lines; blank lines are skipped."""
    if isinstance(path_or_lines, (str, Path)):
        with Path(path_or_lines).open(encoding="utf-8") as fh:
            lines = fh.read().splitlines()
    else:
        lines = list(path_or_lines)
    return [json.loads(line) for line in lines if line.strip()]


def extraction_to_record(id: str, extraction: Extraction) -> dict:
    return {
        "id": id,
        "agreements": [
            {
                "parties": sorted(a.parties),
                "type": a.types[0],
                "status": a.status,
                "date": a.date,
                "confidence": a.confidence,
                "evidence": a.evidence.text,
            }
            for a in extraction.agreements
        ],
    }


def _published(record: dict) -> dt.date | None:
    published = record.get("published")
    return dt.date.fromisoformat(published) if published else None


def extract_record(record: dict) -> dict:
    """Run the engine on one ``{"id", "text", "published", "title"?, "lang"?}`` record; other keys are ignored.

    A record's declared ``lang`` is trusted; without one the engine detects the language."""
    extraction = extract(
        record["text"], published=_published(record), title=record.get("title"), language=record.get("lang")
    )
    return extraction_to_record(record["id"], extraction)


def explain_record(record: dict) -> str:
    """The record's id, then per candidate the rule behind each field, then every dropped instrument and why."""
    lines = explain(
        record["text"], published=_published(record), title=record.get("title"), language=record.get("lang")
    )
    return "\n".join([f"# {record['id']}", *lines])
