"""The assembly stage: each live instrument's latest status and its date, its parties, type and confidence.

``candidates(story)`` is the seam where the engine's final candidates are produced; a later stage (a rescoring
model, say) takes its list and the story. ``mention_roles`` then reads every country's role off those candidates.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable
from types import MappingProxyType

from . import classify
from .countries import KIND_AGENCY, former_range, is_sovereign
from .cues import PROPOSED, RANK, SIGNED
from .dates import DAY, MONTH, DateMention
from .parties import HOST_WORDS, OCCASION_WORDS, REACTION_WORDS, Mention, clause_bounds
from .phrases import KNOWN_NAMES
from .results import CandidateAgreement, CountryMention, Span
from .story import Evidence, Instrument, Story

_KNOWN_NAME_RES = [
    (re.compile(rf"(?<![\w-]){re.escape(known)}(?![\w-])"), known, type_) for known, type_ in KNOWN_NAMES.items()
]
# Continuing states: the Soviet Union's treaties are Russia's after 1991, and Russia before 1992 was the USSR.
SUCCESSOR = {
    "SUN": "RUS",
    "YUG": "SRB",
    "SCG": "SRB",
    "DDR": "DEU",
    "ZAR": "COD",
    "DHY": "BEN",
    "RHO": "ZWE",
    "YMD": "YEM",
    "VDR": "VNM",
}
PREDECESSOR = {"RUS": "SUN", "COD": "ZAR", "BEN": "DHY"}

# "Ottawa is also negotiating with Japan and India." after a story about one of Ottawa's trade deals: the same kind
# of instrument is under negotiation with each listed state. The whole sentence must be subject, verb and the list.
_NEGOTIATING_WITH = re.compile(
    r"^(?P<subj>[A-Z][\w.'’ -]{1,40}?)\s+(?:is|are|has been|have been)\s+(?:also\s+|now\s+|still\s+)?"
    r"(?:negotiating|in (?:talks|negotiations))\s+(?:similar (?:deals|pacts|agreements|accords)\s+)?"
    r"with\s+(?P<list>[^.;:]{2,120}?)(?:\s+as well|\s+too)?\.?$"
)
_CLAUSE_JOIN = re.compile(r"(?:,\s+(?:and|while|but|whereas)\s+|;\s+)(?=[A-Z])")
_LIST_GLUE = re.compile(r"^(?:\s*,\s*(?:and\s+)?|\s+and\s+)(?:the\s+)?$")


def candidates(story: Story) -> list[CandidateAgreement]:
    """The story's candidate agreements, in text order of their instruments, with the rule behind every field."""
    story.candidates, story.decisions = [], []
    lead_date = _lead_date(story)
    day_dated: list[tuple[Instrument, DateMention, int]] = []  # earlier candidates dated to the day
    for inst in story.live:
        if not inst.evidence:
            inst.drop("no_status")
            continue
        status, chosen = latest_step(inst)
        date, date_rule = _date(inst, status, chosen, day_dated)
        parties = _parties_at_the_time(inst, date)
        if len(parties) < 2 or not all(is_sovereign(p) or former_range(p) for p in parties):
            inst.drop("fewer_than_two_state_parties")
            continue
        if date is None and _dated_by_the_lede(inst, status, lead_date):
            # wire copy dates the day's signing once, in the lede; later sentences describe the same event
            date, date_rule = lead_date, "date_of_the_lede"
        types, type_rule = _types(story, inst)
        story.candidates.append(_candidate(story, inst, parties, types, status, chosen, date))
        story.decisions.append(
            {
                "parties": inst.party_rule + (" (as the state of the time)" if parties != sorted(inst.parties) else ""),
                "type": type_rule,
                "status": chosen.rule,
                "date": date_rule if date is not None else "",
                "kind": inst.kind,
            }
        )
        if date is not None and date.precision == DAY:
            day_dated.append((inst, date, chosen.sentence))
    for extra in negotiating_with(story):
        story.candidates.append(extra)
        story.decisions.append(
            {
                "parties": "negotiating_with_a_list",
                "type": "type_of_the_subject's_earlier_instrument",
                "status": "negotiating_with_a_list",
                "date": "",
                "kind": "single",
            }
        )
    return list(story.candidates)


def _lead_date(story: Story) -> DateMention | None:
    if not story.sentences or story.published is None:
        return None
    return next((d for d in story.dates_in(0) if d.precision == DAY), None)


def latest_step(inst: Instrument) -> tuple[str, Evidence]:
    """The latest status the text gives, and its step: the strongest dated one, earliest in the text on ties."""
    status = max((e.status for e in inst.evidence), key=lambda s: RANK[s])
    of_status = [e for e in inst.evidence if e.status == status]
    dated = sorted((e for e in of_status if e.date), key=lambda e: (-e.strength, e.sentence, e.span[0]))
    return status, dated[0] if dated else of_status[0]


DayDated = list[tuple[Instrument, DateMention, int]]


def date_of_the_latest_step(inst: Instrument, status: str, chosen: Evidence, day_dated: DayDated) -> DateMention | None:
    return chosen.date


def date_of_an_earlier_step(inst: Instrument, status: str, chosen: Evidence, day_dated: DayDated) -> DateMention | None:
    """A signed or proposed instrument with no date of its own takes its first day- or month-dated earlier step."""
    if status not in (SIGNED, PROPOSED):
        return None
    lower = sorted(
        (e for e in inst.evidence if e.date and RANK[e.status] <= RANK[status] and e.date.precision in (DAY, MONTH)),
        key=lambda e: (e.sentence, e.span[0]),
    )
    return lower[0].date if lower else None


def date_of_the_previous_candidate(
    inst: Instrument, status: str, chosen: Evidence, day_dated: DayDated
) -> DateMention | None:
    """An undated instrument that follows the same pair's day-dated one shares its day: "signed a trade pact on
    Monday ... also signed a visa deal": the same pair's undated instrument that follows
    shares the day."""
    if status not in (SIGNED, PROPOSED) or not day_dated or any(e.date for e in inst.evidence):
        return None
    prev_inst, prev_date, prev_sentence = day_dated[-1]
    same_para = prev_inst.paragraph == inst.paragraph or abs(prev_sentence - inst.sentence) <= 1
    if set(prev_inst.parties) == set(inst.parties) and (status == SIGNED or same_para):
        return prev_date
    return None


DATE_RULES: list[Callable[[Instrument, str, Evidence, DayDated], DateMention | None]] = [
    date_of_the_latest_step,
    date_of_an_earlier_step,
    date_of_the_previous_candidate,
]


def _date(inst: Instrument, status: str, chosen: Evidence, day_dated: DayDated) -> tuple[DateMention | None, str]:
    for rule in DATE_RULES:
        date = rule(inst, status, chosen, day_dated)
        if date is not None:
            return date, rule.__name__
    return None, ""


def _dated_by_the_lede(inst: Instrument, status: str, lead_date: DateMention | None) -> bool:
    return (
        status == SIGNED
        and lead_date is not None
        and not lead_date.future
        and not inst.group
        and inst.year_hint is None
        and not any(e.date for e in inst.evidence)
        and min(inst.sentences) <= 4
    )


def _parties_at_the_time(inst: Instrument, date: DateMention | None) -> list[str]:
    """The states that signed, judged by the instrument's earliest dated step, not its latest status."""
    years = [int(e.date.value[:4]) for e in inst.evidence if e.date]
    if inst.year_hint is not None:
        years.append(inst.year_hint)
    year = min(years) if years else (int(date.value[:4]) if date else None)
    fixed: list[str] = []
    for code in inst.parties:
        rng = former_range(code)
        if rng and year is not None and year > rng[1]:
            code = SUCCESSOR.get(code, "")
        elif rng and year is None:
            code = ""  # a former state with no date to place it in time
        elif year is not None and code in PREDECESSOR and year <= former_range(PREDECESSOR[code])[1]:
            code = PREDECESSOR[code]
        if code:
            fixed.append(code)
    return sorted(set(fixed))


def _types(story: Story, inst: Instrument) -> tuple[tuple[str, ...], str]:
    """Domain types from the instrument's own words, the article's when those are weak, and a known name's domain."""
    scores = Counter(inst.scores)
    rule = "own_words"
    if not scores:
        scores = Counter(story.article_scores())
        rule = "article_words"
    elif max(scores.values()) < 2.5:
        scores += story.article_scores()
        rule = "own_and_article_words"
    if inst.name:
        for known_re, known, type_ in _KNOWN_NAME_RES:
            if known_re.search(inst.name):
                scores[type_] += 6.0  # a named instrument's domain is general knowledge
                rule += f" + known_name:{known}"
                break
    return classify.rank(scores), rule


def _candidate(
    story: Story,
    inst: Instrument,
    parties: list[str],
    types: tuple[str, ...],
    status: str,
    chosen: Evidence,
    date: DateMention | None,
) -> CandidateAgreement:
    text = story.text
    s_start, s_end, _ = story.sentences[chosen.sentence]
    raw_sentence = text[s_start:s_end]
    ev_start = s_start + len(raw_sentence) - len(raw_sentence.lstrip())
    ev_end = s_start + len(raw_sentence.rstrip())
    fe = {
        "parties": _span(text, inst.party_span),
        "type": _span(text, inst.type_span),
        "status": _span(text, chosen.span),
    }
    if date is not None:
        fe["date"] = Span(date.start, date.end, date.text)
    return CandidateAgreement(
        parties=tuple(parties),
        types=types,
        status=status,
        date=date.value if date else None,
        date_precision=date.precision if date else None,
        confidence=_confidence(inst, chosen, date),
        evidence=Span(ev_start, ev_end, text[ev_start:ev_end]),
        name=inst.name,
        field_evidence=MappingProxyType(fe),
    )


def _span(text: str, span: tuple[int, int]) -> Span:
    return Span(span[0], span[1], text[span[0] : span[1]])


def _confidence(inst: Instrument, chosen: Evidence, date: DateMention | None) -> float:
    confidence = 0.45
    confidence += 0.2 if chosen.strength >= 2 else 0.05
    confidence += 0.1 if date is not None else 0.0
    confidence += 0.15 if inst.explicit_parties else 0.0
    confidence += 0.05 if inst.name else 0.0
    return round(min(confidence, 0.95), 2)


# ---------------------------------------------------------------------------------------------------------------
# "Hanoi is negotiating with Peru and Colombia": one proposed instrument per listed state


def negotiating_with(story: Story) -> list[CandidateAgreement]:
    out: list[CandidateAgreement] = []
    if not story.candidates:
        return out
    for idx, (s_start, s_end, _) in enumerate(story.sentences):
        raw = story.text[s_start:s_end].strip()
        if "negotiat" not in raw and "talks" not in raw:
            continue
        found = _negotiating_clause(story.text, s_start, s_end)
        if found is None:
            continue
        m, offset, raw = found
        listed = _listed_states(story, idx, m, offset)
        if listed:
            out += _negotiated_pairs(story, listed, s_start, offset, raw, out)
    return out


def _negotiating_clause(text: str, s_start: int, s_end: int) -> tuple[re.Match[str], int, str] | None:
    """The sentence or its last clause: "A pact with Pakistan took effect, and Beijing is negotiating with ..."."""
    raw = text[s_start:s_end].strip()
    lead = s_start + (len(text[s_start:s_end]) - len(text[s_start:s_end].lstrip()))
    m = _NEGOTIATING_WITH.match(raw)
    if m is not None:
        return m, lead, raw
    for c in _CLAUSE_JOIN.finditer(raw):
        m = _NEGOTIATING_WITH.match(raw[c.end() :])
        if m is not None:
            return m, lead + c.end(), raw[c.end() :]
    return None


def _listed_states(story: Story, idx: int, m: re.Match[str], offset: int) -> list[Mention]:
    """The listed states, when the subject is one state and the list holds nothing but state names."""
    text = story.text
    in_sent = [x for x in story.mentions if x.sentence == idx and not x.excluded and not x.attribute]
    subj = [x for x in in_sent if 0 <= x.start - offset < m.end("subj")]
    listed = [x for x in in_sent if x.start - offset >= m.start("list")]
    if len(subj) != 1 or subj[0].start - offset != 0 or subj[0].end - offset != m.end("subj") or not listed:
        return []
    if text[offset + m.start("list") : listed[0].start].strip() not in ("", "the"):
        return []
    if not all(_LIST_GLUE.match(text[a.end : b.start]) for a, b in itertools.pairwise(listed)):
        return []
    if text[listed[-1].end : offset + m.end("list")].strip():
        return []
    return [subj[0], *listed]


def _negotiated_pairs(
    story: Story, listed: list[Mention], s_start: int, offset: int, raw: str, found: list[CandidateAgreement]
) -> list[CandidateAgreement]:
    code = listed[0].code
    prior = [r for r in story.candidates if code in r.parties and r.evidence.start < s_start]
    if not prior or not is_sovereign(code):
        return []
    types = prior[-1].types
    ev = Span(offset, offset + len(raw), raw)
    out: list[CandidateAgreement] = []
    for partner in dict.fromkeys(x.code for x in listed[1:]):
        if partner == code or not is_sovereign(partner):
            continue
        pair = tuple(sorted((code, partner)))
        if any(r.parties == pair and r.status == PROPOSED for r in (*story.candidates, *found, *out)):
            continue
        out.append(
            CandidateAgreement(
                parties=pair,
                types=types,
                status=PROPOSED,
                date=None,
                date_precision=None,
                confidence=0.5,
                evidence=ev,
                field_evidence=MappingProxyType({"parties": ev, "status": ev}),
            )
        )
    return out


# ---------------------------------------------------------------------------------------------------------------
# Roles


def _in_own_clause(story: Story, m: Mention, words: re.Pattern[str]) -> bool:
    """Whether the country's clause holds one of ``words`` and its sentence names an occasion (the instrument, the
    talks, the ceremony)."""
    s_start, s_end, _ = story.sentences[m.sentence]
    lo, hi = clause_bounds(story.text, s_start, s_end, m.start)
    return bool(words.search(story.text[lo:hi])) and bool(OCCASION_WORDS.search(story.text[s_start:s_end]))


def _reacting(story: Story, m: Mention) -> bool:
    """ "Somalia expressed concern over the deal": a reaction to an instrument, in the country's own clause."""
    return _in_own_clause(story, m, REACTION_WORDS)


def _hosts(story: Story, party_codes: set[str], evidence_sentences: set[int], any_agreement: bool) -> set[str]:
    """Countries hosting or mediating: in an evidence sentence's clause, or hosting the talks anywhere else."""
    hosts = set()
    for m in story.mentions:
        if m.code in party_codes or m.sentence < 0 or m.kind == KIND_AGENCY:
            continue
        if m.sentence in evidence_sentences:
            s_start, s_end, _ = story.sentences[m.sentence]
            lo, hi = clause_bounds(story.text, s_start, s_end, m.start)
            if HOST_WORDS.search(story.text[lo:hi]):
                hosts.add(m.code)
        elif any_agreement and _in_own_clause(story, m, HOST_WORDS):
            hosts.add(m.code)
    return hosts


def mention_roles(story: Story, agreements: list[CandidateAgreement]) -> list[CountryMention]:
    """Party, host or mediator, third party (in an evidence sentence, or reacting to an instrument anywhere) or
    merely mentioned."""
    sentences = story.sentences
    party_codes = {p for a in agreements for p in a.parties}
    evidence_sentences = {i for i, (a, b, _) in enumerate(sentences) for r in agreements if a <= r.evidence.start < b}
    hosts = _hosts(story, party_codes, evidence_sentences, bool(agreements))
    # a news agency or a newspaper named after a state reports the story; it does not react to it
    third = {
        m.code
        for m in story.mentions
        if m.code not in party_codes
        and m.kind != KIND_AGENCY
        and m.sentence >= 0
        and (m.sentence in evidence_sentences or (agreements and _reacting(story, m)))
    }
    out: list[CountryMention] = []
    for m in story.mentions:
        if m.code in party_codes:
            role = "party"
        elif m.code in hosts:
            role = "host_or_mediator"
        elif m.code in third:
            role = "third_party"
        else:
            role = "mentioned"
        out.append(CountryMention(m.code, Span(m.start, m.end, m.text), m.kind, role))
    return out
