"""Party sets the rules did not propose: states named together in a sentence about an instrument.

The rules miss instruments whose wording they do not know; these proposals give the learned acceptance a chance to
keep them. Each carries the status its sentence's words suggest and the type its keywords score; the date is
chosen later, like every candidate's.
"""

from __future__ import annotations

import itertools
from types import MappingProxyType

from . import classify
from .countries import KIND_AGENCY, is_sovereign
from .results import CandidateAgreement, Span
from .signals import has_signal
from .story import Story

MAX_SET = 12  # a longer list is a region or a summit, not a party set a sentence can support
MAX_PAIRS_FROM = 5  # pairs are proposed from at most this many states (10 pairs)


def _sentence_codes(story: Story, index: int) -> list[str]:
    a, b = story.sentences[index]
    codes = {m.code for m in story.mentions if a <= m.span.start < b and m.kind != KIND_AGENCY and is_sovereign(m.code)}
    return sorted(codes)


def proposed_status(signals: frozenset[str]) -> str:
    if "terminated" in signals:
        return "terminated"
    if "in_force" in signals:
        return "in_force"
    if "signed" in signals and "proposed" not in signals:
        return "signed"
    return "proposed" if "proposed" in signals else "signed"


def _party_sets(codes: list[str]) -> list[tuple[str, ...]]:
    sets: list[tuple[str, ...]] = []
    if 2 <= len(codes) <= MAX_SET:
        sets.append(tuple(codes))
    if 2 < len(codes) <= MAX_PAIRS_FROM:
        sets.extend(itertools.combinations(codes, 2))
    return sets


def _evidence(story: Story, index: int) -> Span:
    a, b = story.sentences[index]
    raw = story.text[a:b]
    start = a + len(raw) - len(raw.lstrip())
    end = a + len(raw.rstrip())
    return Span(start, end, story.text[start:end])


def propose(story: Story, known: set[tuple[str, ...]]) -> list[CandidateAgreement]:
    """One candidate per new party set, from the first instrument sentence that names it."""
    out: list[CandidateAgreement] = []
    seen = set(known)
    for index, codes in story.codes_by_sentence.items():
        if len(codes) < 2 or not has_signal(story.sentence_text(index), "instrument"):
            continue
        types = classify.rank(classify.keyword_scores(story.sentence_text(index)))
        for parties in _party_sets(_sentence_codes(story, index)):
            if parties in seen:
                continue
            seen.add(parties)
            evidence = _evidence(story, index)
            out.append(
                CandidateAgreement(
                    parties=parties,
                    types=types,
                    status=proposed_status(story.signals(index)),
                    date=None,
                    date_precision=None,
                    confidence=0.0,
                    evidence=evidence,
                    field_evidence=MappingProxyType({"parties": evidence}),
                )
            )
    return out
