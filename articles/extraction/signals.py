"""Word groups the learned decisions see, read from lexicon/<language>/signals.toml.

A sentence is split into lower-cased words once; whole words are looked up in a table, "word*" entries by prefix and
phrases by substring, all derived from the data, so a word added there is found here.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LEXICON = Path(__file__).resolve().parent / "lexicon"
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")


@dataclass(frozen=True)
class SignalIndex:
    words: dict[str, frozenset[str]]  # whole word → groups
    prefixes: dict[str, tuple[tuple[str, str], ...]]  # first letter → (prefix, group)
    phrases: tuple[tuple[str, str], ...]  # " several words " → group


@cache
def words(language: str = "en") -> dict[str, tuple[str, ...]]:
    with (LEXICON / language / "signals.toml").open("rb") as fh:
        data = tomllib.load(fh)
    return {name: tuple(entry.lower() for entry in entries) for name, entries in data["groups"].items()}


@cache
def index(language: str = "en") -> SignalIndex:
    whole: dict[str, set[str]] = {}
    prefixes: dict[str, list[tuple[str, str]]] = {}
    phrases: list[tuple[str, str]] = []
    for group, entries in words(language).items():
        for entry in entries:
            if " " in entry:
                phrases.append((f" {entry} ", group))
            elif entry.endswith("*"):
                stem = entry.removesuffix("*")
                prefixes.setdefault(stem[0], []).append((stem, group))
            else:
                whole.setdefault(entry, set()).add(group)
    return SignalIndex(
        words={w: frozenset(g) for w, g in whole.items()},
        prefixes={letter: tuple(entries) for letter, entries in prefixes.items()},
        phrases=tuple(phrases),
    )


_TOKEN_GROUPS: dict[str, dict[str, frozenset[str]]] = {}


def _token_groups(token: str, language: str) -> frozenset[str]:
    table = index(language)
    found = set(table.words.get(token, ()))
    found.update(group for stem, group in table.prefixes.get(token[0], ()) if token.startswith(stem))
    return frozenset(found)


def signals_in(text: str, language: str = "en") -> frozenset[str]:
    """The names of the groups with a word or phrase in ``text``."""
    # words are looked up once and remembered: news repeats its vocabulary (bounded all the same)
    memo = _TOKEN_GROUPS.setdefault(language, {})
    tokens = _WORD.findall(text.lower().replace("’", "'"))
    found: set[str] = set()
    for token in set(tokens):
        groups = memo.get(token)
        if groups is None:
            groups = _token_groups(token, language)
            if len(memo) < 100_000:
                memo[token] = groups
        if groups:
            found.update(groups)
    joined = f" {' '.join(tokens)} "
    found.update(group for phrase, group in index(language).phrases if group not in found and phrase in joined)
    return frozenset(found)


@cache
def _group_pattern(group: str, language: str) -> re.Pattern[str]:
    alternatives = []
    for entry in words(language)[group]:
        body = r"\s+".join(re.escape(part) for part in entry.removesuffix("*").split())
        alternatives.append(body + (r"\w*" if entry.endswith("*") else ""))
    alternatives.sort(key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


def has_signal(text: str, group: str, language: str = "en") -> bool:
    """Whether ``text`` holds a word of one group: one search, for a cheap first look at every sentence."""
    return _group_pattern(group, language).search(text.replace("’", "'")) is not None
