"""Absolute and relative dates with their precision.

Relative dates resolve against the publication date, never today: the engine
has no clock, so re-running it on an old article gives the same answer.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from . import lexicon

DAY = "day"
MONTH = "month"
YEAR = "year"

_LEXICON = lexicon.load("dates")
_FULL_MONTHS: dict[str, int] = _LEXICON["months"]["full"]
_MONTHS: dict[str, int] = {**_FULL_MONTHS, **_LEXICON["months"]["abbreviated"]}
_WEEKDAYS: dict[str, int] = _LEXICON["weekdays"]
# phrase -> (what it shifts: day, month or year; by how much; the precision it gives; whether it lies ahead)
_RELATIVE: dict[str, tuple[str, int, str, bool]] = {
    phrase: (row["shift"], row["by"], row["precision"], row.get("future", False))
    for phrase, row in _LEXICON["relative"].items()
}


def _capitalised(words: dict[str, int]) -> list[str]:
    return [w.capitalize() for w in words]


_ABBREVIATED = sorted(_capitalised(_LEXICON["months"]["abbreviated"]), key=len, reverse=True)
# full names first: "June 5" is not "Jun" and a stray "e"
_MON = "(?:" + lexicon.alternation(_capitalised(_FULL_MONTHS)) + "|" + "|".join(a + r"\.?" for a in _ABBREVIATED) + ")"
_FULL_MON = "(?:" + lexicon.alternation(_capitalised(_FULL_MONTHS)) + ")"
_WD = "(?:" + lexicon.alternation(_capitalised(_WEEKDAYS)) + ")"
_REL = lexicon.alternation(_RELATIVE, space=" ")

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("mdy", re.compile(rf"\b(?P<mon>{_MON}) (?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,? (?P<year>\d{{4}})\b)?")),
    ("dmy", re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)? (?:of )?(?P<mon>{_MON})(?:,? (?P<year>\d{{4}})\b)?")),
    ("my", re.compile(rf"\b(?P<mon>{_MON})(?: of)?,? (?P<year>(?:1[89]|20)\d\d)\b")),
    (
        "mon_rel",
        re.compile(
            rf"\b(?P<pre>in|since|last|early|late|mid-|by|until|from|earlier in|later in|next|this|of|during)"
            rf" (?P<mon>{_FULL_MON})\b(?P<ly> last year| this year| next year)?"
        ),
    ),
    (
        "wd",
        re.compile(
            rf"\b(?:(?P<mod>last|this past|next|this|on|early on|late on|from|until|by)\s+)?(?P<wd>{_WD})"
            rf"(?:\s+(?:and|or|to|through|into)\s+(?P<wd2>{_WD}))?\b"
        ),
    ),
    (
        "rel",
        re.compile(rf"\b(?P<rel>{_REL})\b", re.I),
    ),
    ("year", re.compile(r"(?<![$£€\d.,-])\b(?P<year>(?:19|20)\d\d)\b(?!s\b|-\d|,\d|\.\d| percent| per cent|[A-Za-z])")),
]

_REL_LOWER = re.compile(next(p.pattern for k, p in _PATTERNS if k == "rel"))
_DIGIT = re.compile(r"\d")
# Substrings every match of a pattern contains: a pattern runs only on sentences that have one.
_MONTH_HINT = re.compile("|".join(sorted({m[:3].capitalize() for m in _FULL_MONTHS})))
_REL_WORDS = tuple(sorted({phrase.split()[-1] for phrase in _RELATIVE}))
_FUTURE_HINT = re.compile(
    r"\b(?:will|would|shall|due to|is to|are to|expected to|scheduled|set to|plans? to|next)\b[^.;]{0,40}$"
)


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    value: str
    precision: str
    future: bool


def _fmt(year: int, month: int | None = None, day: int | None = None) -> tuple[str, str]:
    if month is None:
        return f"{year:04d}", YEAR
    if day is None:
        return f"{year:04d}-{month:02d}", MONTH
    return f"{year:04d}-{month:02d}-{day:02d}", DAY


def _month_num(token: str) -> int:
    return _MONTHS[token.lower().rstrip(".")]


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _resolve_day(m: re.Match[str], pub: dt.date, future_hint: bool) -> tuple[str, str, bool] | None:
    """A day: "Nov. 24", "24 November 2011"."""
    month = _month_num(m.group("mon"))
    day = int(m.group("day"))
    if not 1 <= day <= 31:
        return None
    if m.group("year"):
        year = int(m.group("year"))
    else:
        year = pub.year
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            return None
        # A bare "Nov. 24" in a January story is last November unless the verb looks ahead.
        if candidate > pub and not future_hint:
            year -= 1
    try:
        value = dt.date(year, month, day)
    except ValueError:
        return None
    text, prec = _fmt(value.year, value.month, value.day)
    return text, prec, value > pub


def _resolve_month_year(m: re.Match[str], pub: dt.date, future_hint: bool) -> tuple[str, str, bool] | None:
    """A month of a year: "November 2011"."""
    year = int(m.group("year"))
    month = _month_num(m.group("mon"))
    text, prec = _fmt(year, month)
    return text, prec, (year, month) > (pub.year, pub.month)


def _resolve_month(m: re.Match[str], pub: dt.date, future_hint: bool) -> tuple[str, str, bool] | None:
    """A month without its year: "in March", "last November", "next June", "in May last year"."""
    month = _month_num(m.group("mon"))
    pre = m.group("pre")
    ly = (m.group("ly") or "").strip()
    year = pub.year
    if ly == "last year":
        year -= 1
    elif ly == "next year":
        year += 1
    elif ly == "this year":
        pass
    elif pre == "last":
        if month >= pub.month:
            year -= 1
    elif pre == "next":
        if month <= pub.month:
            year += 1
    elif month > pub.month and not future_hint:
        year -= 1
    text, prec = _fmt(year, month)
    return text, prec, (year, month) > (pub.year, pub.month)


def _resolve_weekday(m: re.Match[str], pub: dt.date, future_hint: bool) -> tuple[str, str, bool] | None:
    """A weekday: "on Tuesday", "last Friday", "next Monday"; "on Friday and Saturday" pins no single day."""
    wd = _WEEKDAYS[m.group("wd").lower()]
    mod = (m.group("mod") or "").lower()
    if mod == "next" or (future_hint and mod in ("", "on", "this", "by", "until")):
        ahead = (wd - pub.weekday()) % 7 or 7
        value = pub + dt.timedelta(days=ahead)
        future = True
    else:
        back = (pub.weekday() - wd) % 7
        if mod in ("last", "this past") and back == 0:
            back = 7
        value = pub - dt.timedelta(days=back)
        future = False
    if m.group("wd2"):
        text, prec = _fmt(value.year, value.month)
        return text, prec, future
    text, prec = _fmt(value.year, value.month, value.day)
    return text, prec, future


def _resolve_relative(m: re.Match[str], pub: dt.date, future_hint: bool) -> tuple[str, str, bool] | None:
    """A relative phrase: "late last month", "two years ago", "yesterday": a shift of the publication date."""
    entry = _RELATIVE.get(m.group("rel").lower())
    if entry is None:
        return None
    unit, shift, precision, future = entry
    if unit == "day":
        value = pub + dt.timedelta(days=shift)
        year, month, day = value.year, value.month, value.day
    elif unit == "month":
        (year, month), day = _shift_month(pub.year, pub.month, shift), pub.day
    else:
        year, month, day = pub.year + shift, pub.month, pub.day
    if precision == YEAR:
        return (*_fmt(year), future)
    if precision == MONTH:
        return (*_fmt(year, month), future)
    return (*_fmt(year, month, day), future)


def _resolve_year(m: re.Match[str], pub: dt.date, future_hint: bool) -> tuple[str, str, bool] | None:
    year = int(m.group("year"))
    if year < 1800 or year > pub.year + 30:
        return None
    return (*_fmt(year), year > pub.year)


_RESOLVE = {
    "mdy": _resolve_day,
    "dmy": _resolve_day,
    "my": _resolve_month_year,
    "mon_rel": _resolve_month,
    "wd": _resolve_weekday,
    "rel": _resolve_relative,
    "year": _resolve_year,
}


def find_dates(text: str, published: dt.date | None, *, start: int = 0, end: int | None = None) -> list[DateMention]:
    """Date expressions in ``text[start:end]``, resolved against ``published``.

    Without a publication date only absolute dates (with a year) are returned.
    """
    end = len(text) if end is None else end
    segment = text[start:end]
    taken: list[tuple[int, int]] = []
    out: list[DateMention] = []
    # Cheap substring tests first: a pattern runs only where the words it needs occur (same results, less regex).
    digit = _DIGIT.search(segment) is not None
    month = _MONTH_HINT.search(segment) is not None
    low = segment.lower()
    weekday = "day" in low
    relative = any(word in low for word in _REL_WORDS)
    needs = {
        "mdy": digit and month,
        "dmy": digit and month,
        "my": digit and month,
        "mon_rel": month,
        "wd": weekday,
        "rel": relative,
        "year": digit,
    }
    for kind, pattern in _PATTERNS:
        if not needs[kind]:
            continue
        # "rel" runs on the lower-cased copy when offsets line up: the same matches without slow re.I
        rel_low = kind == "rel" and len(low) == len(segment)
        matches = _REL_LOWER.finditer(low) if rel_low else pattern.finditer(segment)
        for m in matches:
            a, b = m.span()
            if any(x < b and a < y for x, y in taken):
                continue
            future_hint = bool(_FUTURE_HINT.search(segment[max(0, a - 60) : a]))
            if published is None:
                if kind in ("mdy", "dmy") and not m.group("year"):
                    continue
                if kind in ("wd", "rel", "mon_rel"):
                    continue
                pub = dt.date(9999, 12, 31)
            else:
                pub = published
            resolved = _RESOLVE[kind](m, pub, future_hint)
            if resolved is None:
                continue
            value, prec, future = resolved
            taken.append((a, b))
            out.append(DateMention(start + a, start + b, segment[a:b], value, prec, future))
    out.sort(key=lambda d: d.start)
    return out
