"""The document stage: logical lines, page boilerplate masked, the dateline cut off, sentences.

Everything downstream works on character offsets into the original text, so masking never rewrites it: a masked
range is only skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

_LINE = re.compile(r"[^\n]+")
_WRAPPED_END = re.compile(r"[a-z,;:\-–]$")
_NON_WORD = re.compile(r"[\W_]+")
_ENDS_SENTENCE = re.compile(r"[.!?\"”’]$")
_SENTENCE_END = re.compile(r"[.!?][\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9])")
_ABBREV = re.compile(
    r"(?:\b(?:U\.S|U\.K|U\.N|Mr|Mrs|Ms|Dr|Gen|Lt|Col|Maj|Capt|Sgt|Rep|Sen|Gov|St|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|"
    r"Sept|Oct|Nov|Dec|No|Co|Corp|Inc|Ltd|Jr|Sr|vs|etc|approx|Prof|Adm|Rev|Ft|Mt)|\b[A-Z])\.$"
)

_BOILER_LINE = re.compile(
    r"^\s*(?:photo(?:graph)?s?\b|caption\b|image\b|picture\b|pictured\b|related\b|read more\b|more on this\b|"
    r"share this\b|share\b|advertisement\b|sponsored\b|follow us\b|sign up\b|credit:|file photo\b|"
    r"recommended\b|most read\b|see also\b|watch:|listen:|tags?:)",
    re.I,
)
# Applied to the lower-cased line (cheaper than re.I).
_BOILER_ANY = re.compile(
    r"\((?:ap|afp|reuters|xinhua|getty|epa|ap photo)[^)]*\)\s*$|\bap photo\b|\bphoto by\b|\bgetty images\b|"
    r"\bphotograph:|facebook\s*\|\s*twitter"
)
# Substrings that every _BOILER_ANY / _PAYWALL match contains: the regex runs only on lines that have one.
_BOILER_ANY_KEYS = ("(", "ap photo", "photo by", "getty images", "photograph:", "facebook")
_PAYWALL_KEYS = (
    "subscri",
    "sign in",
    "log in",
    "free stories",
    "free articles",
    "keep reading",
    "access",
    "account",
    "paywall",
    "register to continue",
)
_COOKIE = re.compile(r"\b(?:accept|use|consent|browse|browsing)\b")
_PAYWALL = re.compile(
    r"\b(?:subscribe|subscriber|subscription|sign in|log in|free stories|free articles|keep reading|full access|"
    r"unlimited access|already have an account|create an account|paywall|register to continue)\b"
)
_DATELINE = re.compile(
    r"^(?:[A-Z][A-Z.'’/-]*(?:\s+[A-Z][A-Z.'’/-]*)*)(?:,\s+[A-Z][\w.'’ -]{1,40}?)?\s*"
    r"(?:\((?:AP|AFP|Reuters)\)\s*)?[—–-]{1,2}\s+"
)


class Sentence(NamedTuple):
    start: int
    end: int
    paragraph: int


@dataclass
class Document:
    text: str
    lower: str | None  # text.lower() when its offsets line up with the text's, else None
    paragraphs: list[tuple[int, int]]
    masked: list[tuple[int, int]]
    sentences: list[Sentence]


def normalised(s: str) -> str:
    return _NON_WORD.sub(" ", s).strip().lower()


def read_document(text: str, title: str | None = None) -> Document:
    paragraphs, masked = _mask_boilerplate(text, title)
    lowered = text.lower()
    lower = lowered if len(lowered) == len(text) else None
    return Document(text, lower, paragraphs, masked, split_sentences(text, paragraphs))


def logical_lines(text: str) -> list[tuple[int, int]]:
    """Lines, with hard-wrapped paragraphs joined back (a long line that stops mid-sentence continues below).

    Headlines and captions stay apart: they are short, or end in punctuation or a capitalised word.
    """
    lines: list[tuple[int, int]] = []
    for m in _LINE.finditer(text):
        a, b = m.span()
        if lines:
            prev_a, prev_b = lines[-1]
            previous = text[prev_a:prev_b].rstrip()
            if prev_b + 1 == a and len(previous) >= 50 and _WRAPPED_END.search(previous) and text[a:b].strip():
                lines[-1] = (prev_a, b)
                continue
        lines.append((a, b))
    return lines


def _is_boilerplate(stripped: str, low: str, words: int, title_key: str | None) -> bool:
    return (
        bool(_BOILER_LINE.match(stripped))
        or (any(k in low for k in _BOILER_ANY_KEYS) and bool(_BOILER_ANY.search(low)))
        or ("cookie" in low and bool(_COOKIE.search(low)))
        or (title_key is not None and normalised(stripped) == title_key)
        or (words < 16 and not _ENDS_SENTENCE.search(stripped))
    )


def _is_paywall(low: str, words: int) -> bool:
    return words < 80 and any(k in low for k in _PAYWALL_KEYS) and bool(_PAYWALL.search(low))


def _mask_boilerplate(text: str, title: str | None) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Paragraphs to read and ranges to skip; everything after a paywall notice is skipped."""
    paragraphs: list[tuple[int, int]] = []
    masked: list[tuple[int, int]] = []
    title_key = normalised(title) if title else None
    paywalled = False
    for a, b in logical_lines(text):
        line = text[a:b]
        stripped = line.strip()
        if not stripped:
            continue
        words = len(stripped.split())
        low = stripped.lower()
        boiler = paywalled or _is_boilerplate(stripped, low, words, title_key)
        if not boiler and _is_paywall(low, words):
            boiler = paywalled = True
        if boiler:
            masked.append((a, b))
            continue
        paragraphs.append(_cut_dateline(text, a, b, masked))
    return paragraphs, masked


def _cut_dateline(text: str, a: int, b: int, masked: list[tuple[int, int]]) -> tuple[int, int]:
    """A dateline ("LA PAZ — Peru and Chile signed ..."): the dateline is masked, the paragraph starts after it."""
    line = text[a:b]
    lead = len(line) - len(line.lstrip())
    dm = _DATELINE.match(line[lead:])
    if dm and dm.end() < 80:
        masked.append((a + lead, a + lead + dm.end()))
        a = a + lead + dm.end()
    return a, b


# Longer than any sentence news prints: a run-on "sentence" (a list, a table, an attack) is cut into pieces of at most
# this many characters, at a clause break where there is one. Every later stage works sentence by sentence, so
# bounded sentences keep the whole engine linear in the length of the text.
MAX_SENTENCE = 1200
_CLAUSE_BREAK = re.compile(r"[;,:]\s|\s")


def split_sentences(text: str, paragraphs: list[tuple[int, int]]) -> list[Sentence]:
    out: list[Sentence] = []
    for pi, (a, b) in enumerate(paragraphs):
        start = a
        for m in _SENTENCE_END.finditer(text, a, b):
            if _ABBREV.search(text[max(a, m.start() - 12) : m.start() + 1]):
                continue
            out.extend(_bounded(text, start, m.end(), pi))
            start = m.end()
        if start < b:
            out.extend(_bounded(text, start, b, pi))
    return out


def _bounded(text: str, start: int, end: int, paragraph: int) -> list[Sentence]:
    pieces: list[Sentence] = []
    while end - start > MAX_SENTENCE:
        window = text[start + MAX_SENTENCE // 2 : start + MAX_SENTENCE]
        found = [(m.group(0)[0] in ";,:", m.end()) for m in _CLAUSE_BREAK.finditer(window)]
        clauses = [end for is_clause, end in found if is_clause]
        words = [end for _, end in found]
        cut = start + MAX_SENTENCE // 2 + (clauses or words or [len(window)])[-1]
        pieces.append(Sentence(start, cut, paragraph))
        start = cut
    pieces.append(Sentence(start, end, paragraph))
    return pieces
