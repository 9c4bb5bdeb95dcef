"""Domain type of an instrument from weighted keywords.

Words inside the instrument's own noun phrase weigh most, then its sentence, then the
article; ties go to the order of the closed type list.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

from . import lexicon
from .results import TYPES


@dataclass(frozen=True)
class _Table:
    """One language's keywords (lexicon/<language>/types.toml) and the lookups made from them."""

    keywords: dict[str, tuple[str, float]]
    token: re.Pattern[str]
    titles: frozenset[str]
    max_words: int
    phrase_starts: frozenset[str]
    single: dict[str, tuple[str, float] | None] = field(default_factory=dict)  # one word's keyword, remembered


def _keywords(data: dict) -> dict[str, tuple[str, float]]:
    """phrase -> (type, weight); a neutral name scores nothing but consumes its words."""
    keywords: dict[str, tuple[str, float]] = {}
    for type_ in TYPES:
        for phrase, weight in data[type_].items():
            if phrase in keywords:
                raise ValueError(f"types.toml: {phrase!r} is listed under {keywords[phrase][0]} and {type_}")
            keywords[phrase] = (type_, float(weight))
    for phrase in data["neutral"]:
        keywords[phrase] = ("", 0.0)
    return keywords


# English tokens are ASCII words; other languages keep their letters ("energía", "ejército")
_TOKENS = {"en": re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")}
_ANY_TOKEN = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*")


@cache
def _table(language: str = "en") -> _Table:
    data = lexicon.load("types", language)
    keywords = _keywords(data)
    return _Table(
        keywords=keywords,
        token=_TOKENS.get(language, _ANY_TOKEN),
        titles=frozenset(data["titles"]),
        max_words=max(len(k.split()) for k in keywords),
        phrase_starts=frozenset(k.split()[0] for k in keywords if " " in k),
    )


_ORDER = {t: i for i, t in enumerate(TYPES)}
_MISSING = object()


def keyword_scores(text: str, weight: float = 1.0, language: str = "en") -> Counter[str]:
    """Longest keyword phrases first, over lower-cased word tokens (no giant alternation regex)."""
    table = _table(language)
    keywords, phrase_starts, titles, single = table.keywords, table.phrase_starts, table.titles, table.single
    scores: Counter[str] = Counter()
    words: list[str] = []
    for token in table.token.findall(text.lower()):
        # "intelligence-sharing" scores as its parts unless the whole compound is a keyword
        if "-" in token and token not in keywords and token not in phrase_starts:
            words.extend(token.split("-"))
        else:
            words.append(token)
    i, n = 0, len(words)
    while i < n:
        word = words[i]
        if word not in phrase_starts:
            # the common case, one word: a memo of its keyword (or its singular's), no joins or slices
            hit = single.get(word, _MISSING)
            if hit is _MISSING:
                hit = keywords.get(word) or (keywords.get(word[:-1]) if word.endswith("s") else None)
                if len(single) < 100_000:  # bounded: news vocabulary, not unbounded input
                    single[word] = hit
            if hit and hit[1]:
                title = i + 1 < n and words[i + 1] in titles
                scores[hit[0]] += hit[1] * weight * (0.25 if title else 1.0)
            i += 1
            continue
        longest = min(table.max_words, n - i)
        for size in range(longest, 0, -1):
            key = " ".join(words[i : i + size])
            hit = keywords.get(key) or (keywords.get(key[:-1]) if size == 1 and key.endswith("s") else None)
            if hit:
                if not hit[1]:  # a neutral name ("military rule", "European Union") consumes its words
                    i += size
                    break
                # "security adviser", "energy minister": a title names a person's brief, not the instrument's domain
                title = i + size < n and words[i + size] in titles
                scores[hit[0]] += hit[1] * weight * (0.25 if title else 1.0)
                i += size
                break
        else:
            i += 1
    return scores


def rank(scores: Counter[str]) -> tuple[str, ...]:
    """Types by descending score; secondaries must reach half the primary's score."""
    if not scores:
        return ("other",)
    ordered = sorted(scores.items(), key=lambda kv: (-kv[1], _ORDER[kv[0]]))
    top = ordered[0][1]
    return tuple(t for t, s in ordered if s >= top * 0.5 and s > 0)[:3]
