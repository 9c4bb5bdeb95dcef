"""Named features of the learned decisions: is a candidate a real agreement of the article, and which date is its own.

Every feature is a name and a number; the trained weights (model/decisions.json) are keyed by these names, so a
feature that is renamed or removed simply stops counting.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .dates import DateMention
from .reading import Reading
from .results import CandidateAgreement

RULES = "rules"
PROPOSAL = "proposal"


def _bucket(value: int, edges: tuple[int, ...]) -> str:
    for edge in edges:
        if value <= edge:
            return str(edge)
    return f">{edges[-1]}"


def _position(index: int) -> str:
    return "lead" if index <= 1 else ("early" if index <= 4 else ("middle" if index <= 12 else "late"))


def _age(candidate: CandidateAgreement, reading: Reading) -> str:
    if candidate.date is None or reading.published is None:
        return "undated"
    years = reading.published.year - int(candidate.date[:4])
    if years < 0:
        return "future"
    return _bucket(years, (0, 2, 10))


# how firmly a sentence names a state, weakest last: "Iran" over "Tehran" over "Iranian"
KIND_STRENGTH = {"name": 4, "official": 3, "seat": 2, "capital": 2, "demonym": 1, "agency": 0}


def _weakest_kind(parties: set[str], reading: Reading, index: int) -> str:
    best: dict[str, int] = {}
    for m in reading.mentions_by_sentence.get(index, ()):
        if m.code in parties:
            best[m.code] = max(best.get(m.code, -1), KIND_STRENGTH.get(m.kind, 0))
    if len(best) < len(parties):
        return "absent"
    weakest = min(best.values())
    return next(kind for kind, strength in KIND_STRENGTH.items() if strength == weakest)


def _party_features(candidate: CandidateAgreement, reading: Reading, index: int) -> dict[str, float]:
    parties = set(candidate.parties)
    in_sentence = reading.codes_by_sentence.get(index, frozenset())
    counts = [reading.mention_counts.get(code, 0) for code in parties]
    roles = frozenset().union(*(reading.roles_by_code.get(code, frozenset()) for code in parties))
    others = len(in_sentence - parties)
    return {
        f"parties:{_bucket(len(parties), (2, 3, 5))}": 1.0,
        "parties_all_in_sentence": float(parties <= in_sentence),
        "parties_none_in_sentence": float(not parties & in_sentence),
        f"others_in_sentence:{_bucket(others, (0, 1, 3))}": 1.0,
        "min_mentions": math.log1p(min(counts)),
        "max_mentions": math.log1p(max(counts)),
        "all_in_title": float(bool(reading.title_codes) and parties <= reading.title_codes),
        "any_in_title": float(bool(parties & reading.title_codes)),
        "role_party": float("party" in roles),
        f"weakest_party:{_weakest_kind(parties, reading, index)}": 1.0,
    }


def _sentence_features(reading: Reading, index: int) -> dict[str, float]:
    features = {f"sentence:{name}": 1.0 for name in reading.signals(index)}
    features.update({f"previous:{name}": 1.0 for name in reading.signals(index - 1)})
    features[f"position:{_position(index)}"] = 1.0
    return features


def _duplicate_features(
    candidate: CandidateAgreement, earlier: list[CandidateAgreement], reading: Reading, index: int
) -> dict[str, float]:
    """A second candidate with the same parties is another instrument, or the same one told again."""
    if not earlier:
        return {}
    near = [reading.sentence_of(c.evidence.start) for c in earlier]
    return {
        "same_parties:same_type": float(any(c.types[0] == candidate.types[0] for c in earlier)),
        "same_parties:same_status": float(any(c.status == candidate.status for c in earlier)),
        "same_parties:same_date": float(any(c.date and c.date == candidate.date for c in earlier)),
        "same_parties:other_date": float(
            candidate.date is not None and all(c.date and c.date[:4] != candidate.date[:4] for c in earlier)
        ),
        "same_parties:same_sentence": float(index in near),
        "same_parties:next_sentence": float(any(abs(index - i) == 1 for i in near)),
        "same_parties:both_named": float(candidate.name is not None and any(c.name for c in earlier)),
    }


def _relation_features(candidate: CandidateAgreement, others: list[CandidateAgreement]) -> dict[str, float]:
    """Party sets nested in one another: one of them usually names a bystander, or leaves out a signer."""
    parties = set(candidate.parties)
    sets = [set(c.parties) for c in others if set(c.parties) != parties]
    return {
        "inside_another_set": float(any(parties < other for other in sets)),
        "holds_another_set": float(any(other < parties for other in sets)),
    }


def acceptance_features(
    candidate: CandidateAgreement,
    origin: str,
    reading: Reading,
    earlier: list[CandidateAgreement],
    article_candidates: int,
    rule_candidates: tuple[CandidateAgreement, ...] = (),
) -> dict[str, float]:
    """Why a candidate would be, or would not be, a real agreement of the article.

    ``earlier`` are the candidates before it with the same parties.
    """
    index = reading.sentence_of(candidate.evidence.start)
    duplicate_rank = len(earlier)
    features = {
        f"origin:{origin}": 1.0,
        "rule_confidence": candidate.confidence if origin == RULES else 0.0,
        f"status:{candidate.status}": 1.0,
        f"type:{candidate.types[0]}": 1.0,
        f"age:{_age(candidate, reading)}": 1.0,
        f"same_parties_before:{min(duplicate_rank, 2)}": 1.0,
        "article_candidates": math.log1p(article_candidates),
        "named": float(candidate.name is not None),
    }
    features.update(_party_features(candidate, reading, index))
    features.update(_sentence_features(reading, index))
    features.update(_duplicate_features(candidate, earlier, reading, index))
    features.update(
        {f"{k}|origin:{origin}": v for k, v in _relation_features(candidate, list(rule_candidates)).items()}
    )
    return {name: value for name, value in features.items() if value}


def rule_features(decided: dict[str, str]) -> dict[str, float]:
    """Which rule chose the parties and the date, and what kind of instrument the rules saw ("member" of a list,
    "single" …): the rules' own account of how sure a reading is."""
    features = {f"rules_kind:{decided['kind']}": 1.0} if "kind" in decided else {}
    if "parties" in decided:
        features[f"rules_parties:{decided['parties'].split(' (')[0]}"] = 1.0
        features[f"rules_date:{decided.get('date') or 'none'}"] = 1.0
    return features


# --- dates ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DateOption:
    """One way to date a candidate: no date, a date the text gives, or the publication date."""

    source: str  # "none", "text", "published"
    value: str | None
    precision: str | None
    mention: DateMention | None = None


WINDOW_BEFORE = 3
WINDOW_AFTER = 2


def _window(reading: Reading, index: int) -> list[int]:
    near = range(max(0, index - WINDOW_BEFORE), min(len(reading.sentences), index + WINDOW_AFTER + 1))
    return sorted({*range(min(2, len(reading.sentences))), *near})


def date_options(candidate: CandidateAgreement, reading: Reading) -> list[DateOption]:
    """No date, each date the text gives near the evidence or in the lead, and the publication date."""
    options = [DateOption("none", None, None)]
    seen: set[tuple[str, str]] = set()
    for where in _window(reading, reading.sentence_of(candidate.evidence.start)):
        for mention in reading.dates_in(where):
            if (mention.value, mention.precision) not in seen:
                seen.add((mention.value, mention.precision))
                options.append(DateOption("text", mention.value, mention.precision, mention))
    if reading.published is not None:
        day = reading.published.isoformat()
        options.append(DateOption("published", day, "day"))
        options.append(DateOption("published", day[:7], "month"))
    return options


def _relation_to_published(option: DateOption, reading: Reading) -> str:
    if reading.published is None or option.value is None:
        return "unknown"
    published = reading.published.isoformat()[: len(option.value)]
    if option.value > published:
        return "after"
    if option.value == published:
        return "same"
    return "before:" + _bucket(reading.published.year - int(option.value[:4]), (0, 1, 5))


def _text_date_features(option: DateOption, candidate: CandidateAgreement, reading: Reading) -> dict[str, float]:
    mention = option.mention
    assert mention is not None
    index = reading.sentence_of(candidate.evidence.start)
    where = reading.sentence_of(mention.start)
    distance = max(-WINDOW_BEFORE, min(WINDOW_AFTER, where - index))
    codes = reading.codes_by_sentence.get(where, frozenset())
    signals = reading.signals(where)
    features = {
        f"distance:{distance}": 1.0,
        f"distance:{distance}|status:{candidate.status}": 1.0,
        "date_in_lead": float(where <= 1),
        "date_sentence_has_party": float(bool(codes & set(candidate.parties))),
        "date_sentence_has_all_parties": float(set(candidate.parties) <= codes),
        "future": float(mention.future),
        f"future|status:{candidate.status}": float(mention.future),
        "relative": float(not any(ch.isdigit() for ch in mention.text)),
        "chosen_by_rules": float(candidate.date == option.value),
        "in_evidence": float(candidate.evidence.start <= mention.start < candidate.evidence.end),
        "before_evidence_in_sentence": float(where == index and mention.start < candidate.evidence.start),
    }
    features.update({f"date_sentence:{name}": 1.0 for name in signals})
    status_word = {"in_force": "in_force", "terminated": "terminated", "proposed": "proposed"}.get(
        candidate.status, "signed"
    )
    features["status_word_in_date_sentence"] = float(status_word in signals)
    return features


def date_features(
    option: DateOption, candidate: CandidateAgreement, origin: str, reading: Reading, rules_date: str = ""
) -> dict[str, float]:
    """Why ``option`` would be the date of the candidate's latest status; ``rules_date`` names the rule that dated
    it, if the rules did."""
    base = {
        f"source:{option.source}": 1.0,
        f"source:{option.source}|rules_date:{rules_date or 'none'}": 1.0,
        f"source:{option.source}|status:{candidate.status}": 1.0,
        f"source:{option.source}|origin:{origin}": 1.0,
        f"source:{option.source}|rules_dated:{candidate.date is not None}": 1.0,
    }
    if option.source == "none":
        index = reading.sentence_of(candidate.evidence.start)
        evidence = candidate.evidence
        dated_in_evidence = any(evidence.start <= m.start < evidence.end for m in reading.dates_in(index))
        base["none|dated_in_evidence"] = float(dated_in_evidence)
        return {name: value for name, value in base.items() if value}
    base[f"precision:{option.precision}"] = 1.0
    base[f"precision:{option.precision}|status:{candidate.status}"] = 1.0
    relation = _relation_to_published(option, reading)
    base[f"published:{relation}"] = 1.0
    base[f"published:{relation}|status:{candidate.status}"] = 1.0
    if option.source == "text":
        base.update(_text_date_features(option, candidate, reading))
    else:
        base["evidence:today"] = float("today" in reading.signals(reading.sentence_of(candidate.evidence.start)))
    return {name: value for name, value in base.items() if value}
