"""Absolute and relative dates with their precision.

Relative dates resolve against the publication date, never today: the engine
has no clock, so re-running it on an old article gives the same answer.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from . import lexicon

DAY = "day"
MONTH = "month"
YEAR = "year"

_LEXICON = lexicon.load("dates")
_FULL_MONTHS: dict[str, int] = _LEXICON["months"]["full"]
_MONTHS: dict[str, int] = {**_FULL_MONTHS, **_LEXICON["months"]["abbreviated"]}
_WEEKDAYS: dict[str, int] = _LEXICON["weekdays"]


def _relative_rows(data: dict) -> dict[str, tuple[str, int, str, bool]]:
    """phrase -> (what it shifts: day, month or year; by how much; the precision it gives; whether it lies ahead)"""
    return {
        phrase: (row["shift"], row["by"], row["precision"], row.get("future", False))
        for phrase, row in data["relative"].items()
    }


_RELATIVE: dict[str, tuple[str, int, str, bool]] = _relative_rows(_LEXICON)


def _capitalised(words: dict[str, int]) -> list[str]:
    return [w.capitalize() for w in words]


_ABBREVIATED = sorted(_capitalised(_LEXICON["months"]["abbreviated"]), key=len, reverse=True)
# full names first: "June 5" is not "Jun" and a stray "e"
_MON = "(?:" + lexicon.alternation(_capitalised(_FULL_MONTHS)) + "|" + "|".join(a + r"\.?" for a in _ABBREVIATED) + ")"
_FULL_MON = "(?:" + lexicon.alternation(_capitalised(_FULL_MONTHS)) + ")"
_WD = "(?:" + lexicon.alternation(_capitalised(_WEEKDAYS)) + ")"
_REL = lexicon.alternation(_RELATIVE, space=" ")
_YEAR = re.compile(r"(?<![$£€\d.,-])\b(?P<year>(?:19|20)\d\d)\b(?!s\b|-\d|,\d|\.\d| percent| per cent|[A-Za-z])")

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
    ("year", _YEAR),
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
class DateLanguage:
    """One language's date vocabulary and the patterns made from it (lexicon/<language>/dates.toml)."""

    months: dict[str, int]
    weekdays: dict[str, int]
    relative: dict[str, tuple[str, int, str, bool]]
    modifiers: dict[str, str]  # a word before or after a weekday or month -> the English modifier it stands for
    patterns: list[tuple[str, re.Pattern[str]]]
    rel_lower: re.Pattern[str]
    month_hint: re.Pattern[str]
    weekday_hint: str | re.Pattern[str]
    rel_words: tuple[str, ...]
    future_hint: re.Pattern[str]

    def modifier(self, word: str | None) -> str:
        word = (word or "").lower().strip()
        return self.modifiers.get(word, word)


ENGLISH = DateLanguage(
    _MONTHS, _WEEKDAYS, _RELATIVE, {}, _PATTERNS, _REL_LOWER, _MONTH_HINT, "day", _REL_WORDS, _FUTURE_HINT
)

# Spanish: "15 de marzo de 2023", "marzo de 2023", "el 15 de marzo", "el pasado viernes", "en marzo del año pasado"
_SPANISH_FUTURE = (
    r"\b(?:firmar[áa]n?|suscribir[áa]n?|prev[ée]n?|se espera|est[áa] previst[oa]|ser[áa]n?|van? a|planean|"
    r"pr[óo]xim[oa])\b[^.;]{0,40}$"
)


def _spanish() -> DateLanguage:
    data = lexicon.load("dates", "es")
    full = data["months"]["full"]
    months = {**full, **data["months"]["abbreviated"]}
    weekdays = data["weekdays"]
    relative = _relative_rows(data)
    mods = data["modifiers"]
    mon = "(?:" + lexicon.alternation(full) + "|" + "|".join(a + r"\.?" for a in data["months"]["abbreviated"]) + ")"
    full_mon = "(?:" + lexicon.alternation(full) + ")"
    wd = "(?:" + lexicon.alternation(weekdays) + ")"
    wd_mod = lexicon.alternation([m for m in mods["weekday"] if m not in ("pasado", "próximo")])
    mon_mod = lexicon.alternation([m for m in mods["month"] if m not in ("pasado",)])
    year_mod = lexicon.alternation(mods["year"])
    rel = lexicon.alternation(relative, space=" ")
    i = re.IGNORECASE
    patterns = [
        ("dmy", re.compile(rf"\b(?P<day>\d{{1,2}})(?:º|°)? de (?P<mon>{mon})(?: (?:de|del) (?P<year>\d{{4}})\b)?", i)),
        ("my", re.compile(rf"\b(?P<mon>{mon}),? (?:de |del )?(?P<year>(?:1[89]|20)\d\d)\b", i)),
        ("mon_rel", re.compile(rf"\b(?P<pre>{mon_mod}) (?P<mon>{full_mon})\b(?: (?P<ly>{year_mod}))?", i)),
        (
            "wd",
            re.compile(
                rf"\b(?:(?P<mod>{wd_mod})\s+)?(?P<wd>{wd})(?:\s+(?P<post>pasado|próximo))?"
                rf"(?:\s+(?:y|o|al?)\s+(?:el\s+)?(?P<wd2>{wd}))?\b",
                i,
            ),
        ),
        ("rel", re.compile(rf"(?<!\w)(?P<rel>{rel})(?!\w)", i)),
        ("year", _YEAR),
    ]
    return DateLanguage(
        months=months,
        weekdays=weekdays,
        relative=relative,
        modifiers={k: v for table in mods.values() for k, v in table.items()},
        patterns=patterns,
        rel_lower=re.compile(next(p.pattern for k, p in patterns if k == "rel")),
        month_hint=re.compile("|".join(sorted({m[:3] for m in full})), i),
        weekday_hint=re.compile("|".join(sorted({w[:3] for w in weekdays})), i),
        rel_words=tuple(sorted({phrase.split()[-1] for phrase in relative})),
        future_hint=re.compile(_SPANISH_FUTURE, i),
    )


@cache
def date_language(language: str = "en") -> DateLanguage:
    """The date vocabulary of ``language``; English for a language that has none."""
    return _spanish() if language == "es" else ENGLISH


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


def _month_num(token: str, lang: DateLanguage) -> int:
    return lang.months[token.lower().rstrip(".")]


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _resolve_day(m: re.Match[str], pub: dt.date, future_hint: bool, lang: DateLanguage) -> tuple[str, str, bool] | None:
    """A day: "Nov. 24", "24 November 2011"."""
    month = _month_num(m.group("mon"), lang)
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


def _resolve_month_year(
    m: re.Match[str], pub: dt.date, future_hint: bool, lang: DateLanguage
) -> tuple[str, str, bool] | None:
    """A month of a year: "November 2011"."""
    year = int(m.group("year"))
    month = _month_num(m.group("mon"), lang)
    text, prec = _fmt(year, month)
    return text, prec, (year, month) > (pub.year, pub.month)


def _resolve_month(
    m: re.Match[str], pub: dt.date, future_hint: bool, lang: DateLanguage
) -> tuple[str, str, bool] | None:
    """A month without its year: "in March", "last November", "next June", "in May last year"."""
    month = _month_num(m.group("mon"), lang)
    pre = lang.modifier(m.group("pre"))
    ly = lang.modifier(m.group("ly"))
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


def _resolve_weekday(
    m: re.Match[str], pub: dt.date, future_hint: bool, lang: DateLanguage
) -> tuple[str, str, bool] | None:
    """A weekday: "on Tuesday", "last Friday", "next Monday"; "on Friday and Saturday" pins no single day."""
    wd = lang.weekdays[m.group("wd").lower()]
    groups = m.groupdict()
    mod = lang.modifier(groups.get("post") if groups.get("post") and not groups["mod"] else groups["mod"])
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


def _resolve_relative(
    m: re.Match[str], pub: dt.date, future_hint: bool, lang: DateLanguage
) -> tuple[str, str, bool] | None:
    """A relative phrase: "late last month", "two years ago", "yesterday": a shift of the publication date."""
    entry = lang.relative.get(re.sub(r"\s+", " ", m.group("rel").lower()))
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


def _resolve_year(
    m: re.Match[str], pub: dt.date, future_hint: bool, lang: DateLanguage
) -> tuple[str, str, bool] | None:
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


def find_dates(
    text: str, published: dt.date | None, *, start: int = 0, end: int | None = None, language: str = "en"
) -> list[DateMention]:
    """Date expressions in ``text[start:end]``, resolved against ``published``.

    Without a publication date only absolute dates (with a year) are returned.
    """
    lang = date_language(language)
    end = len(text) if end is None else end
    segment = text[start:end]
    taken: list[tuple[int, int]] = []
    out: list[DateMention] = []
    # Cheap substring tests first: a pattern runs only where the words it needs occur (same results, less regex).
    digit = _DIGIT.search(segment) is not None
    month = lang.month_hint.search(segment) is not None
    low = segment.lower()
    hint = lang.weekday_hint
    weekday = hint in low if isinstance(hint, str) else hint.search(low) is not None
    relative = any(word in low for word in lang.rel_words)
    needs = {
        "mdy": digit and month,
        "dmy": digit and month,
        "my": digit and month,
        "mon_rel": month,
        "wd": weekday,
        "rel": relative,
        "year": digit,
    }
    for kind, pattern in lang.patterns:
        if not needs[kind]:
            continue
        # "rel" runs on the lower-cased copy when offsets line up: the same matches without slow re.I
        rel_low = kind == "rel" and len(low) == len(segment)
        matches = lang.rel_lower.finditer(low) if rel_low else pattern.finditer(segment)
        for m in matches:
            a, b = m.span()
            if any(x < b and a < y for x, y in taken):
                continue
            future_hint = bool(lang.future_hint.search(segment[max(0, a - 60) : a]))
            if published is None:
                if kind in ("mdy", "dmy") and not m.group("year"):
                    continue
                if kind in ("wd", "rel", "mon_rel"):
                    continue
                pub = dt.date(9999, 12, 31)
            else:
                pub = published
            resolved = _RESOLVE[kind](m, pub, future_hint, lang)
            if resolved is None:
                continue
            value, prec, future = resolved
            taken.append((a, b))
            out.append(DateMention(start + a, start + b, segment[a:b], value, prec, future))
    out.sort(key=lambda d: d.start)
    return out


# A story's opening that dates it: "16 March 2023 – …", "LIMA, 16 March 2023 (Reuters) — …", "La Paz, 21 de julio de
# 2023 (ABI).- …": a place, a date and an agency, then a dash.
_DATELINE_END = re.compile(r"\s[—–-]{1,2}\s|\s?[—–]\s?|\)\s*\.?\s*[—–-]{1,2}|:\s")
_AGENCY = re.compile(r"\([^()]{1,30}\)")
# what a dateline holds besides its date: capitalised place names, their short particles ("Ciudad de México"), D.C.
_PLACE_WORDS = re.compile(r"^(?:[\s,.;/—–'’-]++|\b[A-ZÀ-Þ]\w*+|\b[a-zß-ÿ]{1,3}\b)*+$")
DATELINE_REACH = 80  # characters: a dateline is a place and a date, never a clause


def dateline_date(text: str, *, language: str = "en") -> dt.date | None:
    """The day a story's dateline gives, for a document that carries no publication date; None when it gives none.

    Only a full date (day, month and year) with nothing but a place and an agency around it, before the dateline's
    dash, counts: it dates the report, never the events in it, and relative dates in the text resolve against it.
    """
    opening = text.lstrip()[: DATELINE_REACH + 4]
    for cut in _DATELINE_END.finditer(opening):
        if cut.start() > DATELINE_REACH:
            return None
        end = cut.start() + cut.group().startswith(")")  # an agency's closing bracket belongs to the dateline
        days = [d for d in find_dates(opening, None, end=end, language=language) if d.precision == DAY]
        if len(days) != 1:
            continue
        rest = opening[: days[0].start] + " " + opening[days[0].end : end]
        if _PLACE_WORDS.match(_AGENCY.sub(" ", rest)):
            return dt.date.fromisoformat(days[0].value)
        return None
    return None
