"""The learned stage: score every candidate (the rules' and the proposals'), keep the likely ones, date them.

confidence is the calibrated probability that the candidate is one of the article's real agreements.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from types import MappingProxyType

from .features import (
    PROPOSAL,
    RULES,
    DateOption,
    acceptance_features,
    date_features,
    date_options,
    rule_features,
)
from .model import Decisions, LinearModel
from .proposals import propose
from .reading import Reading
from .results import CandidateAgreement, Span


@dataclass(frozen=True)
class Row:
    """A candidate as the learned decisions see it."""

    candidate: CandidateAgreement
    origin: str
    features: dict[str, float]
    rules: dict[str, str] = field(default_factory=dict)  # the rules' account of it (story.decisions), if theirs


def candidate_rows(reading: Reading, rule_candidates: tuple[CandidateAgreement, ...]) -> list[Row]:
    known = {tuple(sorted(c.parties)) for c in rule_candidates}
    tagged = [(c, RULES) for c in rule_candidates] + [(c, PROPOSAL) for c in propose(reading, known)]
    seen: dict[tuple[str, ...], list[CandidateAgreement]] = {}
    rows: list[Row] = []
    decided = list(reading.rule_decisions) + [{}] * (len(tagged) - len(reading.rule_decisions))
    for (candidate, origin), rules in zip(tagged, decided, strict=True):
        earlier = seen.setdefault(tuple(sorted(candidate.parties)), [])
        features = acceptance_features(candidate, origin, reading, list(earlier), len(tagged), rule_candidates)
        features.update(rule_features(rules))
        earlier.append(candidate)
        rows.append(Row(candidate, origin, features, rules))
    return rows


def described_options(row: Row, reading: Reading) -> list[tuple[DateOption, dict[str, float]]]:
    """Every way to date the candidate, each with its features (training and choosing share them)."""
    rules_date = row.rules.get("date", "")
    return [
        (option, date_features(option, row.candidate, row.origin, reading, rules_date))
        for option in date_options(row.candidate, reading)
    ]


def choose_date(row: Row, reading: Reading, model: LinearModel) -> DateOption:
    options = described_options(row, reading)
    scores = [model.score(features) for _, features in options]
    return options[max(range(len(options)), key=scores.__getitem__)][0]


def dated(candidate: CandidateAgreement, option: DateOption) -> CandidateAgreement:
    field_evidence = dict(candidate.field_evidence)
    field_evidence.pop("date", None)
    if option.mention is not None:
        mention = option.mention
        field_evidence["date"] = Span(mention.start, mention.end, mention.text)
    return replace(
        candidate, date=option.value, date_precision=option.precision, field_evidence=MappingProxyType(field_evidence)
    )


def decide(
    reading: Reading, rule_candidates: tuple[CandidateAgreement, ...], decisions: Decisions
) -> tuple[CandidateAgreement, ...]:
    kept: list[CandidateAgreement] = []
    for row in candidate_rows(reading, rule_candidates):
        confidence = decisions.confidence(row.features)
        if confidence < decisions.threshold:
            continue
        candidate = dated(row.candidate, choose_date(row, reading, decisions.dates))
        kept.append(replace(candidate, confidence=round(confidence, 3)))
    return tuple(kept)


def _strongest(features: dict[str, float], model: LinearModel, n: int = 3) -> str:
    contributions = sorted(((model.weights.get(k, 0.0) * v, k) for k, v in features.items()), key=lambda c: -abs(c[0]))
    return ", ".join(f"{value:+.2f} {name}" for value, name in contributions[:n] if value)


def explain_decisions(
    reading: Reading, rule_candidates: tuple[CandidateAgreement, ...], decisions: Decisions
) -> list[str]:
    """Per candidate (the rules' and the proposals'): kept or not, confidence, date, the weightiest features."""
    rows = candidate_rows(reading, rule_candidates)
    lines = [f"learned decisions (kept at confidence >= {decisions.threshold:.3f}):"] if rows else []
    for row in rows:
        confidence = decisions.confidence(row.features)
        verdict = "kept" if confidence >= decisions.threshold else "not kept"
        line = f"  {row.origin} {'+'.join(row.candidate.parties)}: {verdict}, confidence {confidence:.3f}"
        if confidence >= decisions.threshold:
            option = choose_date(row, reading, decisions.dates)
            quote = f' "{option.mention.text}"' if option.mention else ""
            line += f"; date {option.value or 'none'} ({option.source}{quote})"
        lines.append(line)
        lines.append(f"    {_strongest(row.features, decisions.acceptance)}")
    return lines
