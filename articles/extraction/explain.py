"""Why the engine decided what it did: per candidate, the rule or cue behind each field; per dropped instrument, why.

For "Peru and Chile signed a trade agreement on Monday." (published on a Friday)::

    candidate 1: CHL+PER · economic · signed · 2024-03-11 (confidence 0.9)
      parties  named_in_the_clause
      type     own_words                           "a trade agreement on Monday"
      status   signed                              "signed"
      date     date_of_the_latest_step             "on Monday"

and a dropped instrument reads ``dropped: "deals worth $2 billion ..." (sentence 1, group): void_if_company_signer``.
"""

from __future__ import annotations

import datetime as dt

from .decide import explain_decisions
from .language import detect_language
from .lexicon import LANGUAGES
from .model import load_decisions
from .pipeline import read_story, read_without_rules, reading_of, rules_extraction
from .story import Instrument, Story

FIELDS = ("parties", "type", "status", "date")
_QUOTE_MAX = 80


def explain(
    text: str, *, published: dt.date | None = None, title: str | None = None, language: str | None = None
) -> list[str]:
    """The rules' decisions, then the learned stage's verdict on each candidate (the proposals alone, in a language
    the rules do not read)."""
    language = language or detect_language(text)
    if language != "en":
        if language not in LANGUAGES:
            return [f"language {language}: not read"]
        decisions = load_decisions(language)
        ruled, reading = read_without_rules(text, published=published, title=title, language=language)
        lines = [f"language {language}: no rules, the proposals alone"]
        return lines + (explain_decisions(reading, ruled.agreements, decisions) if decisions else [])
    story = read_story(text, published=published, title=title)
    lines = explain_story(story)
    decisions = load_decisions()
    if decisions is not None:
        ruled = rules_extraction(story)
        lines += explain_decisions(reading_of(story, ruled), ruled.agreements, decisions)
    return lines


def explain_story(story: Story) -> list[str]:
    lines: list[str] = []
    for i, (candidate, decided) in enumerate(zip(story.candidates, story.decisions, strict=True), start=1):
        lines.append(
            f"candidate {i}: {'+'.join(candidate.parties)} · {candidate.types[0]} · {candidate.status} · "
            f"{candidate.date or 'no date'} (confidence {candidate.confidence})"
        )
        for name in FIELDS:
            span = candidate.field_evidence.get(name) if name != "parties" else None
            quote = f"  {_quote(span.text)}" if span is not None else ""
            lines.append(f"  {name:<8} {(decided.get(name) or '-'):<34}{quote}".rstrip())
    for inst in story.dropped:
        lines.append(f"dropped: {_phrase(story, inst)} (sentence {inst.sentence + 1}, {inst.kind}): {inst.dropped}")
    return lines or ["no instrument phrase"]


def _phrase(story: Story, inst: Instrument) -> str:
    a, b = inst.type_span
    return _quote(story.text[a:b])


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return '"' + (text if len(text) <= _QUOTE_MAX else text[: _QUOTE_MAX - 1] + "…") + '"'
