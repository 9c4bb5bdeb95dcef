"""Domain type of an instrument from weighted keywords.

Words inside the instrument's own noun phrase weigh most, then its sentence, then the
article; ties go to the order of the closed type list.
"""

from __future__ import annotations

import re
from collections import Counter

from . import lexicon
from .results import TYPES

_LEXICON = lexicon.load("types")


def _keywords() -> dict[str, tuple[str, float]]:
    """phrase -> (type, weight); a neutral name scores nothing but consumes its words."""
    keywords: dict[str, tuple[str, float]] = {}
    for type_ in TYPES:
        for phrase, weight in _LEXICON[type_].items():
            if phrase in keywords:
                raise ValueError(f"types.toml: {phrase!r} is listed under {keywords[phrase][0]} and {type_}")
            keywords[phrase] = (type_, float(weight))
    for phrase in _LEXICON["neutral"]:
        keywords[phrase] = ("", 0.0)
    return keywords


_KEYWORDS = _keywords()
_TOKEN = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
_TITLES = frozenset(_LEXICON["titles"])
_MAX_WORDS = max(len(k.split()) for k in _KEYWORDS)
_PHRASE_STARTS = frozenset(k.split()[0] for k in _KEYWORDS if " " in k)

_ORDER = {t: i for i, t in enumerate(TYPES)}


_SINGLE: dict[str, tuple[str, float] | None] = {}
_MISSING = object()


def keyword_scores(text: str, weight: float = 1.0) -> Counter[str]:
    """Longest keyword phrases first, over lower-cased word tokens (no giant alternation regex)."""
    scores: Counter[str] = Counter()
    words: list[str] = []
    for token in _TOKEN.findall(text.lower()):
        # "intelligence-sharing" scores as its parts unless the whole compound is a keyword
        if "-" in token and token not in _KEYWORDS and token not in _PHRASE_STARTS:
            words.extend(token.split("-"))
        else:
            words.append(token)
    i, n = 0, len(words)
    while i < n:
        word = words[i]
        if word not in _PHRASE_STARTS:
            # the common case, one word: a memo of its keyword (or its singular's), no joins or slices
            hit = _SINGLE.get(word, _MISSING)
            if hit is _MISSING:
                hit = _KEYWORDS.get(word) or (_KEYWORDS.get(word[:-1]) if word.endswith("s") else None)
                if len(_SINGLE) < 100_000:  # bounded: news vocabulary, not unbounded input
                    _SINGLE[word] = hit
            if hit and hit[1]:
                title = i + 1 < n and words[i + 1] in _TITLES
                scores[hit[0]] += hit[1] * weight * (0.25 if title else 1.0)
            i += 1
            continue
        longest = min(_MAX_WORDS, n - i)
        for size in range(longest, 0, -1):
            key = " ".join(words[i : i + size])
            hit = _KEYWORDS.get(key) or (_KEYWORDS.get(key[:-1]) if size == 1 and key.endswith("s") else None)
            if hit:
                if not hit[1]:  # a neutral name ("military rule", "European Union") consumes its words
                    i += size
                    break
                # "security adviser", "energy minister": a title names a person's brief, not the instrument's domain
                title = i + size < n and words[i + size] in _TITLES
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
