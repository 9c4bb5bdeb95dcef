"""The units stage: one sentence's instrument phrases, cues and dates, grouped into units (one instrument each).

A unit carries the steps its cues give (status, strength, date). Skip rules set a unit aside before it becomes an
instrument; evidence fallbacks give a cue-less unit the steps its neighbours or its own words imply.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

from . import classify
from .cues import PROPOSED, SIGNED, Cue, assign_cues, cue_statuses, find_cues
from .dates import DAY, DateMention
from .parties import clause_bounds
from .phrases import NounPhrase, name_key, np_date, sentence_phrases
from .story import Evidence, Instrument, SentenceContext, Story, Unit

_TRAILING_CONJUNCTION = re.compile(r"(?:\band|\balong with|\bas well as|\bplus|\bor)\s*$")
_COMMA_ONLY = re.compile(r"\s*,\s*")
_NEW_PREDICATE = re.compile(
    r"\band\s+(?:has|have|had|also|later|then)?\s*\w+(?:ed|en|s)?\s+(?:\w+\s+)?$"
    r"|\band\s+(?:also\s+|then\s+|later\s+)?(?:said|agreed|announced|decided|pledged|vowed|plan|plans|planned)\b"
)
_INTENT_BEFORE = re.compile(
    r"\b(?:agreed|agree|agrees|will|decided|announced|move|moving|moved|plan|plans|planned|set|"
    r"pledged|committed)\b[^.;]{0,30}$"
)
_RELATIONS_VERB = re.compile(r"(?:restored|re-?established|established|normali[sz]ed)\b")
_FUTURE_BEFORE = re.compile(r"\b(?:to|will|would)\s+(?:\w+\s+){0,2}$")
_LIST_CONTINUATION = re.compile(r"(?:\band|\balong with|\bas well as|\bplus|[:;])\s*(?:the\s+)?$")
# "No such deal exists", "said no such agreement existed": a denial voids a reported, planned instrument nearby
_NO_SUCH = re.compile(r"\bno\s+such\s+$", re.I)
_RELATIVE_NEW = re.compile(
    r"^\s*(?:that\s+|which\s+)?(?:the\s+|both\s+)?(?:(?:two|three|four|five|six|seven|eight|nine|ten)\s+)?"
    r"(?:countries|governments|nations|sides|neighbours|neighbors|leaders|states|parties|Koreas|allies|"
    r"[A-Z][\w.'’-]+(?:\s+[A-Z][\w'’-]+)?)\s+(?:had\s+|have\s+|has\s+)?(?:first\s+|already\s+|previously\s+|once\s+)?"
    r"(?:signed|struck|concluded|reached|agreed|operated|negotiated|adopted|inked|sealed)\b"
)
_REPORTING = re.compile(
    r"\b(?:said|says|say|announced|announce|told|reported|published|confirmed|declared|stated|added|according|"
    r"unveiled|disclosed|revealed)\b"
)
_OTHER_EVENT = re.compile(
    r"\b(?:passed|approved|started|began|begun|broke|severed|elected|visited|arrived|met|killed|held|convened|"
    r"founded|closed|born|died|attacked|expelled|voted|vetoed|imposed|raised|launched|opened|seceded|ousted|"
    r"invaded|annexed|fled|arrested|took office|sworn|floated|first proposed|proposed at|conceived|joined|"
    r"tested|detonated|shut|fought)\b"
)


# ---------------------------------------------------------------------------------------------------------------
# A sentence's phrases, cues and dates


def sentences_with_phrases(story: Story) -> list[int]:
    """Indices of the sentences in which anything may open an instrument phrase."""
    positions = story.phrase_index.positions() if story.phrase_index else []
    if not positions:
        return []
    return [
        i
        for i, (start, end, _) in enumerate(story.sentences)
        if bisect.bisect_left(positions, start) != bisect.bisect_left(positions, end)
    ]


def read_sentence(story: Story, index: int) -> SentenceContext | None:
    text = story.text
    start, end, paragraph = story.sentences[index]
    assert story.phrase_index is not None
    nps = sentence_phrases(text, start, end, story.country_words, story.lower, story.phrase_index)
    if not nps:
        return None
    cues = find_cues(text, start, end)
    dates = story.dates_in(index)
    sc = SentenceContext(
        index, start, end, paragraph, nps, cues, dates, story.mentions_in(index), assign_cues(text, nps, cues)
    )
    sc.np_date_starts = frozenset(d.start for d in (np_date(text, n, dates) for n in nps) if d)
    sc.cue_ends = tuple(c.end - 1 for c in cues)
    sc.units = split_units(text, nps)
    sc.region_start = start
    return sc


def split_units(text: str, nps: list[NounPhrase]) -> list[list[int]]:
    units: list[list[int]] = []
    for i, np in enumerate(nps):
        if units and not distinct(text, nps[units[-1][-1]], np):
            units[-1].append(i)
        else:
            units.append([i])
    return units


def distinct(text: str, prev: NounPhrase, np: NounPhrase) -> bool:
    """Whether ``np`` names another instrument than the phrase before it in the sentence."""
    if np.relation:
        return False
    if np.elliptic or np.additional or np.ordinal:
        return True
    if prev.relation:
        return False
    between = text[prev.head_end : np.start]
    if prev.det == "count" and ":" in between:
        return True
    if ";" in between:
        return True
    if np.det in ("indef", "", "count") and _TRAILING_CONJUNCTION.search(between):
        return True
    if np.det == "indef" and _NEW_PREDICATE.search(between):
        return True  # "concluded a deal with Canberra and has had a pact with Washington since 2012"
    if np.name and prev.name and name_key(np.name) != name_key(prev.name):
        return True
    return bool(np.name and not prev.name and np.det == "def" and not _COMMA_ONLY.fullmatch(between))


# ---------------------------------------------------------------------------------------------------------------
# Dates owned by cues


def clause_date(
    text: str,
    dates: list[DateMention],
    s_start: int,
    s_end: int,
    pos: int,
    *,
    skip: frozenset[int] = frozenset(),
    other_cues: tuple[int, ...] = (),
    clause_only: bool = False,
) -> DateMention | None:
    """The date a status cue owns: same clause first, else one bound to a reporting verb, else an unclaimed one.

    ``skip`` holds starts of dates that modify an instrument noun ("a 2018 agreement": a signing year);
    ``other_cues`` are positions of the sentence's other status cues, which own the dates of their clauses.
    """
    lo, hi = clause_bounds(text, s_start, s_end, pos)
    dates = [d for d in dates if d.start not in skip]
    best: tuple[int, DateMention] | None = None
    for d in dates:
        if d.future or not lo <= d.start < hi or _other_event_before(text, s_start, d):
            continue
        dist = abs(d.start - pos)
        if best is None or dist < best[0]:
            best = (dist, d)
    if best:
        return best[1]
    if clause_only:
        return None
    for d in dates:
        if d.future:
            continue
        before = " ".join(text[max(s_start, d.start - 60) : d.start].split()[-6:])
        if _REPORTING.search(before) and not _OTHER_EVENT.search(before):
            return d
    # last resort: an unclaimed date elsewhere in the sentence, nearest first ("In 2007, the two ... signed")
    claimed = [clause_bounds(text, s_start, s_end, c) for c in other_cues if c != pos]
    free = [
        d
        for d in dates
        if not d.future and not _other_event_before(text, s_start, d) and not any(a <= d.start < b for a, b in claimed)
    ]
    if free:
        return min(free, key=lambda d: abs(d.start - pos))
    return None


def _other_event_before(text: str, s_start: int, d: DateMention) -> bool:
    """A date governed by another event verb ("elected in 2019"): the date belongs to another event verb."""
    return bool(_OTHER_EVENT.search(" ".join(text[max(s_start, d.start - 45) : d.start].split()[-5:])))


def background_date(text: str, dates: list[DateMention], s_start: int) -> DateMention | None:
    """A past year or month in the sentence that no other event verb claims ("in 2005 through a memorandum")."""
    for d in dates:
        if d.future or d.precision == DAY:
            continue
        if not _other_event_before(text, s_start, d):
            return d
    return None


# ---------------------------------------------------------------------------------------------------------------
# One unit


def read_unit(story: Story, sc: SentenceContext, position: int) -> Unit | None:
    """The unit at ``position`` with its steps and its own words, or None when a skip rule sets it aside."""
    text = story.text
    indices = sc.units[position]
    phrases = [sc.nps[i] for i in indices]
    governed = [sc.nps[i] for i in indices if sc.assigned[i] and not sc.nps[i].relation]
    lead = governed[0] if governed else next((n for n in phrases if not n.relation), phrases[0])
    head_low = " ".join(n.head.lower() for n in phrases)
    evidence: list[Evidence] = []
    for i in indices:
        evidence += _cue_evidence(story, sc, sc.nps[i], sc.assigned[i], head_low)
        evidence += _relation_evidence(story, sc, sc.nps[i])
    unit = Unit(sc, position, phrases, lead, evidence)
    if all(n.weak for n in phrases if not n.relation) and not any(n.relation for n in phrases):
        unit.evidence = [e for e in evidence if _close_to(lead, e)]  # weak heads need a close governing cue
    for rule in SKIP_RULES:
        reason = rule(unit, story)
        if reason:
            story.skipped.append(_set_aside(unit, reason))
            return None
    unit.np_dates = [d for d in (np_date(text, n, sc.dates) for n in phrases) if d]
    unit.coordinated = position > 0 and bool(
        _LIST_CONTINUATION.search(text[sc.nps[sc.units[position - 1][-1]].head_end : lead.start])
        or lead.elliptic
        or sc.prev_container is not None
    )
    for fallback in EVIDENCE_FALLBACKS:
        fallback(unit, story)
    _own_words(story, unit)
    return unit


def _cue_evidence(story: Story, sc: SentenceContext, np: NounPhrase, cues: list[Cue], head_low: str) -> list[Evidence]:
    out: list[Evidence] = []
    for status, strength, cue in cue_statuses(cues, head_low):
        if np.relation and cue.status == SIGNED and cue.strength < 2:
            continue
        date = clause_date(
            story.text,
            sc.dates,
            sc.start,
            sc.end,
            cue.end - 1,
            skip=sc.np_date_starts,
            other_cues=sc.cue_ends,
            clause_only=status == PROPOSED and strength < 2,
        )
        rule = cue.rule if status == cue.status else f"{cue.rule} read as {status}"
        out.append(Evidence(status, strength, date, (cue.start, cue.end), sc.index, rule))
    return out


def _relation_evidence(story: Story, sc: SentenceContext, np: NounPhrase) -> list[Evidence]:
    """Relation phrases: "restored diplomatic relations": signed; "agreed to restore relations": proposed; "had hoped
    to": nothing."""
    if not np.relation:
        return []
    text = story.text
    verb = text[np.start : np.head_end].lower()
    before = text[max(sc.start, np.start - 40) : np.start]
    realis = _RELATIONS_VERB.match(verb) and not _FUTURE_BEFORE.search(before)
    if not realis and not _INTENT_BEFORE.search(before):
        return []
    status = SIGNED if realis else PROPOSED
    date = clause_date(text, sc.dates, sc.start, sc.end, np.start)
    return [
        Evidence(
            status, 1, date, (np.start, np.head_end), sc.index, "relations_restored" if realis else "relations_intent"
        )
    ]


def _close_to(lead: NounPhrase, e: Evidence) -> bool:
    return min(abs(e.span[0] - lead.head_end), abs(lead.start - e.span[1])) <= 60 or lead.start <= e.span[0] < lead.end


def _set_aside(unit: Unit, reason: str) -> Instrument:
    sc = unit.sentence
    return Instrument(
        sentence=sc.index,
        paragraph=sc.paragraph,
        nps=unit.phrases,
        type_span=(unit.lead.start, unit.lead.end),
        dropped=reason,
        sentences={sc.index},
        position=unit.lead.start,
    )


# Skip rules: a unit that one of them names is never an instrument.


def skip_if_no_such(unit: Unit, story: Story) -> str | None:
    """A denial, "No such deal exists": the sentence denies an instrument (planned ones nearby are voided later)."""
    lead, sc = unit.lead, unit.sentence
    if _NO_SUCH.search(story.text[max(sc.start, lead.head_start - 12) : lead.head_start]):
        story.denials.append(sc.index)
        return "skip_if_no_such"
    return None


def skip_if_negative_determiner(unit: Unit, story: Story) -> str | None:
    """A negative determiner: "no intergovernmental agreement is planned", "any agreements"."""
    return "skip_if_negative_determiner" if unit.lead.det == "neg" else None


SKIP_RULES: list[Callable[[Unit, Story], str | None]] = [skip_if_no_such, skip_if_negative_determiner]


# Evidence fallbacks, in order: each may give steps to a unit whose own cues gave too few.


def share_coordinated_steps(unit: Unit, story: Story) -> None:
    """A coordinated phrase shares its predecessor's steps, with its own date: "signed a trade pact with A in 1959
    and a water pact with B in 1929"."""
    sc = unit.sentence
    if unit.evidence or not unit.coordinated or not sc.prev_evidence:
        return
    lead, np_dates = unit.lead, unit.np_dates
    next_lo = unit.next_phrase_start
    own_date = next(
        (d for d in sc.dates if lead.head_end <= d.start < next_lo and not d.future and d not in np_dates),
        None,
    )
    unit.evidence = [
        Evidence(e.status, e.strength, None if np_dates else (own_date or e.date), e.span, e.sentence, e.rule)
        for e in sc.prev_evidence
    ]


def date_of_the_phrase(unit: Unit, story: Story) -> None:
    """A date inside the phrase, "a 1974 land boundary agreement": a dated instrument was signed then."""
    if unit.np_dates and not any(e.date for e in unit.evidence):
        d = unit.np_dates[0]
        unit.evidence.append(Evidence(SIGNED, 2, d, (d.start, d.end), unit.sentence.index, "date_of_the_phrase"))


def background_date_of_the_sentence(unit: Unit, story: Story) -> None:
    """A past year or month elsewhere in the sentence, "in 2005, through a memorandum ...": an indefinite instrument
    takes the sentence's past year or month."""
    lead, sc = unit.lead, unit.sentence
    if unit.evidence or lead.det not in ("indef", "") or lead.weak:
        return
    bg = background_date(story.text, sc.dates, sc.start)
    if bg is not None:
        unit.evidence.append(Evidence(SIGNED, 2, bg, (bg.start, bg.end), sc.index, "background_date_of_the_sentence"))


EVIDENCE_FALLBACKS: list[Callable[[Unit, Story], None]] = [
    share_coordinated_steps,
    date_of_the_phrase,
    background_date_of_the_sentence,
]


def _own_words(story: Story, unit: Unit) -> None:
    """Name, domain words, definiteness and earliest year: what the unit's own phrases say about it."""
    text, phrases, lead = story.text, unit.phrases, unit.lead
    unit.end = max(n.end for n in phrases)
    unit.start = min(n.start for n in phrases)
    unit.individuated = any(n.elliptic or n.additional or n.ordinal for n in phrases)
    if unit.evidence or lead.det == "indef" or unit.individuated:
        unit.local_scores = classify.keyword_scores(
            " ".join(" ".join(n.modifiers) + " " + n.head + " " + n.complement for n in phrases), 3.0
        )
    unit.name = next((n.name for n in phrases if n.name and not n.known_as), None)
    unit.alias = next((n.name for n in phrases if n.name and n.known_as), None)
    unit.relation = all(n.relation for n in phrases)
    unit.new_by_relative = any(
        _RELATIVE_NEW.match(text[n.head_end : n.head_end + 90]) for n in phrases if n.det in ("def", "poss")
    )
    unit.definite = lead.det in ("def", "poss", "all", "neg") and not unit.individuated
    # the instrument's earliest dated step places it in time ("the 1987 treaty ... collapsed in 2019")
    years = [int(d.value[:4]) for d in [*(e.date for e in unit.evidence if e.date), *unit.np_dates]]
    unit.year = min(years, default=None)
