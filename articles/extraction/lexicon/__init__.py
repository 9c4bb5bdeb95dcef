"""The engine's vocabularies as data: one TOML file per concept and language, ``lexicon/<language>/<name>.toml``.

The files are plain data next to the code, read with the standard library's tomllib once per process. Every fast
path (anchor regexes, first-letter lookaheads, substring pre-tests) is derived from the same rows at import time,
so a shortcut can never drift from the vocabulary it stands for.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
LANGUAGES = ("en", "es")  # the languages the engine reads; English alone has rules


@cache
def load(name: str, language: str = "en") -> dict:
    with (HERE / language / f"{name}.toml").open("rb") as fh:
        return tomllib.load(fh)


def alternation(forms: Iterable[str], *, space: str = r"\s+") -> str:
    """A regex alternation of literal forms in which the longest form wins at a position; a space in a form
    matches ``space``.

    The forms are laid out as a trie ("agreement", "agreements" -> ``agreement(?:s)?``): a shared prefix is tried
    once, and at every branch the longer continuations come before stopping, as in a longest-first alternation.
    """
    trie: dict = {}
    for form in dict.fromkeys(forms):
        node = trie
        for token in _tokens(form, space):
            node = node.setdefault(token, {})
        node[""] = {}  # a form ends here
    return _trie_regex(trie)


def _tokens(form: str, space: str) -> list[str]:
    return [space if ch == " " else re.escape(ch) for ch in form]


def _trie_regex(node: dict) -> str:
    ends = "" in node
    branches = [token + _trie_regex(child) for token, child in sorted(node.items()) if token != ""]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends:
        return ("(?:" + body + ")?") if len(branches) == 1 and len(body) > 1 else body + "?"
    return body


def first_letters(forms: Iterable[str]) -> str:
    """A lookahead on the letters the forms can start with: most positions are skipped without the alternation."""
    letters = sorted({form[0] for form in forms})
    return "(?=[" + "".join(re.escape(c) for c in letters) + "])"


def opening_literals(pattern: str, limit: int = 8) -> set[str]:
    """The literal strings, up to ``limit`` characters, that every match of ``pattern`` starts with one of.

    Read off the parsed pattern: alternations branch, optional parts may be skipped, zero-width assertions are
    passed over, and the walk stops at the first part that is not a literal. A match of the pattern can only start
    where one of these strings does, so an anchor built from them never misses a match.
    """
    found = _openings(list(_parser.parse(pattern)), limit)
    # a string that extends another adds nothing: keep the shortest
    return {p for p in found if not any(q != p and p.startswith(q) for q in found)}


def starts_at_word_boundary(pattern: str) -> bool:
    items = list(_parser.parse(pattern))
    return bool(items) and items[0] == (_c.AT, _c.AT_BOUNDARY)


try:  # the standard library's own regex parser: the grammar is Python's, not a reimplementation of it
    from re import _constants as _c
    from re import _parser
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _parser  # type: ignore[no-redef]

_ZERO_WIDTH = {_c.AT, _c.ASSERT, _c.ASSERT_NOT}
_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", _c.MAX_REPEAT)}


def _openings(items: list, budget: int) -> set[str]:
    if not items or budget <= 0:
        return {""}
    op, av = items[0]
    rest = items[1:]
    if op in _ZERO_WIDTH:
        return _openings(rest, budget)
    if op == _c.LITERAL:
        return {chr(av) + tail for tail in _openings(rest, budget - 1)}
    if op == _c.IN and av and all(kind == _c.LITERAL for kind, _ in av) and len(av) <= 4:
        return {chr(ch) + tail for _, ch in av for tail in _openings(rest, budget - 1)}
    if op == _c.BRANCH:
        return {p for branch in av[1] for p in _openings(list(branch) + rest, budget)}
    if op == _c.SUBPATTERN:
        if av[1] & _c.SRE_FLAG_IGNORECASE:
            return {""}  # a case-insensitive part has no one literal spelling
        return _openings(list(av[-1]) + rest, budget)
    if op in _REPEATS:
        low, _high, body = av
        through = _openings(list(body), budget)  # the repeated part once, then stop: still a true opening
        return through | _openings(rest, budget) if low == 0 else through
    return {""}
