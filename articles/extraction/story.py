"""The story context: what one article's stages read and write, passed explicitly from stage to stage.

A stage receives the ``Story`` and the piece it works on (a sentence, a unit, an instrument) and records what it
decides on them, so that ``--explain`` can say afterwards which rule settled each field and why an instrument was
dropped.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from . import classify
from .countries import former_range
from .cues import Cue
from .dates import DateMention, find_dates
from .document import Document, Sentence
from .parties import Mention
from .phrases import NounPhrase, PhraseIndex
from .results import CandidateAgreement


@dataclass
class Evidence:
    """One step of an instrument's history: a status, how strongly the text says it, and the date it took effect."""

    status: str
    strength: int
    date: DateMention | None
    span: tuple[int, int]
    sentence: int
    rule: str = ""  # the cue or rule that read this step

    def copy(self) -> Evidence:
        return Evidence(self.status, self.strength, self.date, self.span, self.sentence, self.rule)

    def dated(self, date: DateMention | None) -> Evidence:
        return Evidence(self.status, self.strength, date, self.span, self.sentence, self.rule)


@dataclass
class Instrument:
    sentence: int
    paragraph: int
    nps: list[NounPhrase]
    parties: tuple[str, ...] = ()
    party_span: tuple[int, int] = (0, 0)
    evidence: list[Evidence] = field(default_factory=list)
    scores: Counter = field(default_factory=Counter)
    type_span: tuple[int, int] = (0, 0)
    name: str | None = None
    group: bool = False
    container: bool = False
    count: int | None = None
    quant_all: bool = False
    member: bool = False
    additional: bool = False
    relation: bool = False
    dropped: str | None = None  # the rule that dropped it; a dropped instrument yields no candidate
    nonstate: bool = False  # dropped because a signer is not a sovereign state
    sentences: set = field(default_factory=set)
    explicit_parties: bool = False
    definite_group: bool = False
    position: int = 0
    year_hint: int | None = None  # earliest year the instrument's own words give ("the 1987 treaty")
    party_rule: str = ""  # the rule that chose the parties
    domain: str | None = None  # the domain its own words name, once the linking stage asks

    @property
    def kind(self) -> str:
        """relation, container (a counted group whose members follow), group, member or single."""
        if self.relation:
            return "relation"
        if self.container:
            return "container"
        if self.group:
            return "group"
        return "member" if self.member else "single"

    def drop(self, reason: str) -> None:
        if self.dropped is None:
            self.dropped = reason


@dataclass
class SentenceContext:
    """One sentence with what the lexicon found in it, and what its units pass on to the next one."""

    index: int
    start: int
    end: int
    paragraph: int
    nps: list[NounPhrase]
    cues: list[Cue]
    dates: list[DateMention]
    mentions: list[Mention]
    assigned: dict[int, list[Cue]]  # phrase index -> the cues that govern it
    units: list[list[int]] = field(default_factory=list)  # phrase indices, one instrument each
    np_date_starts: frozenset[int] = frozenset()  # dates that modify an instrument noun ("a 2018 agreement")
    cue_ends: tuple[int, ...] = ()
    # carried from one unit to the next: "signed a pact with A in 1959 and a water pact with B in 1929"
    region_start: int = 0
    prev_evidence: list[Evidence] = field(default_factory=list)
    prev_container: Instrument | None = None
    prev_parties: list[str] = field(default_factory=list)
    _scores: Counter | None = None

    def scores(self, text: str) -> Counter:
        if self._scores is None:  # only instruments that are created need their sentence's words
            self._scores = classify.keyword_scores(text[self.start : self.end], 1.0)
        return self._scores


@dataclass
class Unit:
    """The noun phrases of one sentence that name one instrument, and what the stages decide about it."""

    sentence: SentenceContext
    position: int  # index among the sentence's units
    phrases: list[NounPhrase]
    lead: NounPhrase
    evidence: list[Evidence]
    np_dates: list[DateMention] = field(default_factory=list)
    coordinated: bool = False
    start: int = 0
    end: int = 0
    individuated: bool = False  # "one on oil", "a second accord", "the first"
    local_scores: Counter = field(default_factory=Counter)
    name: str | None = None
    alias: str | None = None  # "known as ..."
    relation: bool = False
    new_by_relative: bool = False  # "the treaty the two countries signed in 2001": a new instrument
    definite: bool = False
    year: int | None = None  # the earliest year its own steps give
    # set by the partners stage
    parties: list[str] = field(default_factory=list)
    explicit: bool = False
    void: str | None = None  # the rule that found a signer that is not a state
    nonstate: bool = False
    party_rule: str = ""
    distribute: list[tuple[str, ...]] = field(default_factory=list)  # one instrument per party set
    segment_dates: dict[tuple[str, ...], DateMention] = field(default_factory=dict)
    local_codes: set[str] = field(default_factory=set)
    domain: str | None = None  # the domain its own words name, once the linking stage asks

    def allowed(self, code: str) -> bool:
        """A former state cannot sign after it ceased to exist."""
        rng = former_range(code)
        return not (rng and self.year is not None and self.year > rng[1])

    @property
    def next_phrase_start(self) -> int:
        sc = self.sentence
        return sc.nps[sc.units[self.position + 1][0]].start if self.position + 1 < len(sc.units) else sc.end


@dataclass
class Story:
    text: str
    published: dt.date | None
    title: str | None
    document: Document
    mentions: list[Mention] = field(default_factory=list)
    per_sentence: dict[int, list[Mention]] = field(default_factory=dict)
    country_words: set[str] = field(default_factory=set)
    coordination: list[list[str]] = field(default_factory=list)
    frequency: Counter = field(default_factory=Counter)
    phrase_index: PhraseIndex | None = None
    instruments: list[Instrument] = field(default_factory=list)
    skipped: list[Instrument] = field(default_factory=list)  # phrases that never became an instrument, with why
    main_set: list[tuple[str, ...]] = field(default_factory=list)  # the first state pair the story is about
    denials: list[int] = field(default_factory=list)  # sentences with "no such deal"
    candidates: list[CandidateAgreement] = field(default_factory=list)
    decisions: list[dict[str, str]] = field(default_factory=list)  # per candidate: field -> the rule that set it
    _article_scores: Counter | None = None
    _dates: dict[int, list[DateMention]] = field(default_factory=dict)

    @property
    def sentences(self) -> list[Sentence]:
        return self.document.sentences

    @property
    def lower(self) -> str | None:
        return self.document.lower

    @property
    def live(self) -> list[Instrument]:
        return [x for x in self.instruments if x.dropped is None]

    @property
    def dropped(self) -> list[Instrument]:
        return sorted(
            [*self.skipped, *(x for x in self.instruments if x.dropped is not None)], key=lambda x: x.position
        )

    def mentions_in(self, sentence: int) -> list[Mention]:
        return self.per_sentence.get(sentence, [])

    def dates_in(self, sentence: int) -> list[DateMention]:
        """The date expressions of one sentence, found once for every stage that asks (and the learned one)."""
        found = self._dates.get(sentence)
        if found is None:
            start, end, _ = self.sentences[sentence]
            found = self._dates[sentence] = find_dates(self.text, self.published, start=start, end=end)
        return found

    def lead_pair(self) -> tuple[str, ...]:
        """The story's first pair of states with an instrument, else its two most frequent states."""
        if self.main_set:
            return self.main_set[0]
        return tuple(code for code, _ in self.frequency.most_common(2))

    def article_scores(self) -> Counter:
        """Article-wide keyword scores, computed only when an instrument's own words are not enough."""
        if self._article_scores is None:
            body = " ".join(self.text[a:b] for a, b, _ in self.sentences)
            self._article_scores = classify.keyword_scores(body, 0.2)
        return self._article_scores

    def note_pair(self, instrument: Instrument) -> None:
        if len(instrument.parties) >= 2 and instrument.dropped is None and not self.main_set:
            self.main_set.append(instrument.parties)
