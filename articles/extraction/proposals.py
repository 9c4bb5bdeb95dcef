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
from .reading import Reading
from .results import CandidateAgreement, Span
from .signals import has_signal

MAX_SET = 12  # a longer list is a region or a summit, not a party set a sentence can support
MAX_PAIRS_FROM = 5  # pairs are proposed from at most this many states (10 pairs)


def _sentence_codes(reading: Reading, index: int) -> list[str]:
    mentions = reading.mentions_by_sentence.get(index, ())
    return sorted({m.code for m in mentions if m.kind != KIND_AGENCY and is_sovereign(m.code)})


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


def _evidence(reading: Reading, index: int) -> Span:
    a, b = reading.sentences[index]
    raw = reading.text[a:b]
    start = a + len(raw) - len(raw.lstrip())
    end = a + len(raw.rstrip())
    return Span(start, end, reading.text[start:end])


def propose(reading: Reading, known: set[tuple[str, ...]]) -> list[CandidateAgreement]:
    """One candidate per new party set, from the first instrument sentence that names it."""
    out: list[CandidateAgreement] = []
    seen = set(known)
    for index, codes in reading.codes_by_sentence.items():
        if len(codes) < 2 or not has_signal(reading.sentence_text(index), "instrument", reading.language):
            continue
        new = [parties for parties in _party_sets(_sentence_codes(reading, index)) if parties not in seen]
        if not new:
            continue  # the sentence's states are paired already: no need to type it
        seen.update(new)
        types = classify.rank(classify.keyword_scores(reading.sentence_text(index), language=reading.language))
        evidence = _evidence(reading, index)
        status = proposed_status(reading.signals(index))
        out.extend(
            CandidateAgreement(
                parties=parties,
                types=types,
                status=status,
                date=None,
                date_precision=None,
                confidence=0.0,
                evidence=evidence,
                field_evidence=MappingProxyType({"parties": evidence}),
            )
            for parties in new
        )
    return out
