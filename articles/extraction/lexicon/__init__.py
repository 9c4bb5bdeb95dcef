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
LANGUAGES = ("en",)


@cache
def load(name: str, language: str = "en") -> dict:
    with (HERE / language / f"{name}.toml").open("rb") as fh:
        return tomllib.load(fh)


def alternation(forms: Iterable[str], *, space: str = r"\s+") -> str:
    """A regex alternation of literal forms, longest first (so the longest form wins at a position); a space in a
    form matches ``space``."""
    ordered = sorted(dict.fromkeys(forms), key=lambda f: (-len(f), f))
    return "|".join(space.join(re.escape(word) for word in form.split(" ")) for form in ordered)


def first_letters(forms: Iterable[str]) -> str:
    """A lookahead on the letters the forms can start with: most positions are skipped without the alternation."""
    letters = sorted({form[0] for form in forms})
    return "(?=[" + "".join(re.escape(c) for c in letters) + "])"
