"""What the learned decisions see of an article: its text, sentences, country mentions and dates."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from .dates import DateMention, find_dates
from .results import CountryMention
from .signals import signals_in


@dataclass(frozen=True)
class Reading:
    text: str
    title: str | None
    published: dt.date | None
    sentences: tuple[tuple[int, int], ...]
    mentions: tuple[CountryMention, ...]
    title_codes: frozenset[str] = frozenset()
    _starts: tuple[int, ...] = field(default=(), repr=False)
    # per rule candidate, the rule behind each field and the instrument's kind (story.decisions)
    rule_decisions: tuple[dict[str, str], ...] = field(default=(), repr=False, compare=False)
    # the rules' own per-sentence dates, when the reading comes from their story: found once for both stages
    date_lookup: Callable[[int], Sequence[DateMention]] | None = field(default=None, repr=False, compare=False)
    # the article's language: which lexicon its word groups and dates are read with
    language: str = "en"

    def sentence_of(self, offset: int) -> int:
        """Index of the sentence holding ``offset`` (the nearest one before it, between sentences)."""
        starts = self._starts or tuple(a for a, _ in self.sentences)
        return max(0, bisect.bisect_right(starts, offset) - 1)

    def sentence_text(self, index: int) -> str:
        if not 0 <= index < len(self.sentences):
            return ""
        a, b = self.sentences[index]
        return self.text[a:b]

    @cached_property
    def _signals(self) -> dict[int, frozenset[str]]:
        return {}

    def signals(self, index: int) -> frozenset[str]:
        """The signal groups of sentence ``index``, computed once per sentence."""
        cached = self._signals.get(index)
        if cached is None:
            cached = self._signals[index] = signals_in(self.sentence_text(index), self.language)
        return cached

    @cached_property
    def mentions_by_sentence(self) -> dict[int, tuple[CountryMention, ...]]:
        out: dict[int, list[CountryMention]] = {}
        for mention in self.mentions:
            out.setdefault(self.sentence_of(mention.span.start), []).append(mention)
        return {index: tuple(mentions) for index, mentions in out.items()}

    @cached_property
    def codes_by_sentence(self) -> dict[int, frozenset[str]]:
        return {index: frozenset(m.code for m in ms) for index, ms in self.mentions_by_sentence.items()}

    @cached_property
    def roles_by_code(self) -> dict[str, frozenset[str]]:
        out: dict[str, set[str]] = {}
        for mention in self.mentions:
            out.setdefault(mention.code, set()).add(mention.role)
        return {code: frozenset(roles) for code, roles in out.items()}

    @cached_property
    def mention_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for mention in self.mentions:
            counts[mention.code] = counts.get(mention.code, 0) + 1
        return counts

    @cached_property
    def _dates(self) -> dict[int, tuple[DateMention, ...]]:
        return {}

    def dates_in(self, index: int) -> tuple[DateMention, ...]:
        """Date expressions of sentence ``index``, found once per sentence and only where asked for."""
        cached = self._dates.get(index)
        if cached is None:
            if self.date_lookup is not None:
                cached = tuple(self.date_lookup(index))
            else:
                a, b = self.sentences[index]
                cached = tuple(find_dates(self.text, self.published, start=a, end=b, language=self.language))
            self._dates[index] = cached
        return cached


def make_reading(
    text: str,
    *,
    title: str | None,
    published: dt.date | None,
    sentences: list[tuple[int, int]],
    mentions: tuple[CountryMention, ...],
    title_codes: frozenset[str] = frozenset(),
    date_lookup: Callable[[int], Sequence[DateMention]] | None = None,
    rule_decisions: Sequence[dict[str, str]] = (),
    language: str = "en",
) -> Reading:
    spans = tuple(sentences)
    starts = tuple(a for a, _ in spans)
    return Reading(
        text, title, published, spans, mentions, title_codes, starts, tuple(rule_decisions), date_lookup, language
    )
