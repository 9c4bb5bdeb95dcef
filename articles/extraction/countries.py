"""Country gazetteer and mention finding.

The gazetteer is built once per process from pycountry plus the curated
``tracker/data/country_names.json`` (how news actually names countries).
All matching is case-sensitive: country names are proper nouns, and it keeps
"us", "turkey" or "chad" as ordinary words from becoming countries.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pycountry

# Inline patterns hoisted so each is compiled once, not looked up in re's cache per call.
_CAPITALISED_WORD_BEFORE = re.compile(r"([A-Z][a-z]+) $")
_CAPITALISED_WORD_AFTER = re.compile(r" ([A-Z][a-z]+)")
_SENTENCE_START_WORD_BEFORE = re.compile(r"[.!?:\"“]\s*[A-Z][a-z]+ $")
_LINE_START_WORD_BEFORE = re.compile(r"(?:^|\n)[A-Z][a-z]+ $")

GAZETTEER_PATH = Path(__file__).resolve().parents[2] / "tracker" / "data" / "country_names.json"
# how another language's news names states, added to the English gazetteer for that language only
LANGUAGE_PATHS = {"es": GAZETTEER_PATH.with_name("country_names_es.json")}

KIND_NAME = "name"
KIND_DEMONYM = "demonym"
KIND_CAPITAL = "capital"
KIND_SEAT = "seat"
KIND_AGENCY = "agency"
KIND_OFFICIAL = "official"

# Dependent territories: they appear in news but never sign treaties as states.
NON_SOVEREIGN = frozenset(
    (  # noqa: SIM905 - a word list reads best as text
        "ABW AIA ALA ASM ATA ATF BES BLM BMU BVT CCK CUW CXR CYM ESH FLK FRO GGY GIB GLP GRL GUF GUM HKG HMD "
        "IMN IOT JEY MAC MAF MNP MSR MTQ MYT NCL NFK PCN PRI PYF REU SGS SHN SJM SPM SXM TCA TKL UMI VGB VIR "
        "WLF "
        # Taiwan signs as a party to no instrument between states (TAXONOMY and the labelled sets' conventions)
        "TWN"
    ).split()
)

# Capitals that are also common words, surnames or other cities: matching them would add noise.
AMBIGUOUS_CAPITALS = frozenset(
    {
        "Victoria",
        "Kingston",
        "Hamilton",
        "Georgetown",
        "George Town",
        "Douglas",
        "Plymouth",
        "Stanley",
        "Jamestown",
        "San Juan",
        "Saint-Denis",
        "The Valley",
        "West Island",
        "St. John's",
        "Saint John's",
        "St. George's",
        "Saint George's",
        "Male",
        "Malé",
        "Nassau",
        "Gibraltar",
        "Hong Kong",
        "Macau",
        "Monaco",
        "Singapore",
        "Delhi",
        "Cape Town",
        "Almaty",
        "Abidjan",
        "Dar es Salaam",
        "Yangon",
        "Rangoon",
        "Aden",
        "Bonn",
        "Salisbury",
        "Brades",
        "Kralendijk",
        "Basse-Terre",
        "Saint-Pierre",
    }
)

# Names that double as first names or other places: kept only when not glued to another capitalised word.
PERSON_LIKE = frozenset({"Jordan", "Chad", "Georgia", "Israel", "Kenya", "India", "China", "America", "Samoa"})

# Phrases that contain a country word but do not name the country; matched first so they win.
BLOCKERS = (
    "Latin America",
    "Latin American",
    "Latin Americans",
    "South America",
    "South American",
    "North America",
    "North American",
    "Central America",
    "Central American",
    "Americas",
    "Pan-American",
    "Organization of American States",
    "Inter-American",
    "African-American",
    "South China Sea",
    "East China Sea",
    "South China Morning Post",
    "Indian Ocean",
    "Indian Subcontinent",
    "Gulf of Aden",
    "Gulf of Mexico",
    "Sea of Japan",
    "New Mexico",
    "New England",
    "New South Wales",
    "New Jersey",
    "Washington Post",
    "Washington state",
    "Washington State",
    "Northern Ireland",
    "Jordan River",
    "Jordan Valley",
    "Congo River",
    "Congo Basin",
    "Niger Delta",
    "Niger River",
    "Georgia Tech",
    "Dutch disease",
    "Chinese Taipei",
    "Papua",
    "Guinea pig",
    "Indo-Pacific",
    "Turkish Stream",
    "Korean War",
    "Korean Peninsula",
    "Korean peninsula",
    "Mexico City Policy",
    "Paris Club",
    "Palestine Liberation Organization",
    "Palestine Liberation Organisation",
    "Palestinian Authority",
)

# Former states are only parties for instruments dated inside their lifetime.
FORMER_VALID_TO: dict[str, int] = {}

# Where a surface form is shared, the state news means most often.
PREFERRED = {"Congolese": "COD", "Dominican": "DOM", "Dominicans": "DOM", "Moscow": "RUS", "Kremlin": "RUS"}

# "Anglo-French", "Sino-Russian": combining forms, accepted only before a hyphen and a capital.
COMBINING = {"Anglo": "GBR", "Sino": "CHN", "Franco": "FRA", "Russo": "RUS", "Indo": "IND", "Turco": "TUR"}


@dataclass(frozen=True)
class RawMention:
    code: str
    start: int
    end: int
    text: str
    kind: str


@dataclass(frozen=True)
class Gazetteer:
    by_prefix: dict[str, tuple[str, ...]]  # first word -> surfaces, longest first
    surfaces: dict[str, tuple[str, str] | None]  # surface -> (code, kind); None for blockers
    agencies: dict[str, str]
    former: dict[str, tuple[int, int]]  # alpha3 -> (valid_from, valid_to)
    names: dict[str, str]  # alpha3 -> display name
    # whether a surface may open with a lower-case word: Spanish writes demonyms in lower case ("el canciller ruso")
    lower_case: bool = False


def _load_json(path: Path = GAZETTEER_PATH) -> dict:
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


def _add(table: dict[str, tuple[str, str] | None], surface: str, code: str, kind: str, *, override: bool) -> None:
    surface = surface.strip()
    if not surface or len(surface) < 2:
        return
    if surface in PREFERRED:
        table[surface] = (PREFERRED[surface], kind)
        return
    if override or surface not in table:
        table[surface] = (code, kind)


_FIRST_WORD = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=4)
def gazetteer(language: str = "en") -> Gazetteer:
    """The English gazetteer; for another language, the English one plus that language's names (its own file and
    pycountry's translations of the ISO 3166 names), so English extraction never sees them."""
    if language != "en" and language in LANGUAGE_PATHS:
        return _language_gazetteer(language)
    data = _load_json()
    table: dict[str, tuple[str, str] | None] = {}
    names: dict[str, str] = {}
    # pycountry first, so the curated file can override shared surfaces ("Congo").
    _add_pycountry(table, names)
    former = _add_former_states(data, table, names)
    _add_curated(data, table)
    agencies = dict(data.get("news_agencies", {}))
    for value, code in agencies.items():
        _add(table, value, code, KIND_AGENCY, override=True)
    for value in BLOCKERS:
        table[value] = None
    for value in ("Gulf state", "Gulf State"):
        table.pop(value, None)
    return Gazetteer(by_prefix=_by_first_word(table), surfaces=table, agencies=agencies, former=former, names=names)


def _language_gazetteer(language: str) -> Gazetteer:
    base = gazetteer()
    data = _load_json(LANGUAGE_PATHS[language])
    table = dict(base.surfaces)
    _add_translations(table, language)
    _add_curated(data, table)
    agencies = {**base.agencies, **data.get("news_agencies", {})}
    for value, code in data.get("news_agencies", {}).items():
        _add(table, value, code, KIND_AGENCY, override=True)
    for value in data.get("blockers", []):
        table[value] = None
    return Gazetteer(
        by_prefix=_by_first_word(table, lower_case=True),
        surfaces=table,
        agencies=agencies,
        former=base.former,
        names=base.names,
        lower_case=True,
    )


def _add_translations(table: dict[str, tuple[str, str] | None], language: str) -> None:
    """pycountry's translations of the ISO 3166-1 names ("Federación Rusa"); inverted ones ("Irán, República
    islámica de") are left to the curated file."""
    import gettext

    translation = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True)
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            translated = translation.gettext(value) if value else None
            if translated and translated != value and "," not in translated and "(" not in translated:
                _add(table, translated, country.alpha_3, KIND_NAME, override=True)


def _add_pycountry(table: dict[str, tuple[str, str] | None], names: dict[str, str]) -> None:
    for country in pycountry.countries:
        code = country.alpha_3
        names[code] = getattr(country, "common_name", None) or country.name
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value and "," not in value and "(" not in value:
                _add(table, value, code, KIND_NAME, override=False)


def _add_former_states(
    data: dict, table: dict[str, tuple[str, str] | None], names: dict[str, str]
) -> dict[str, tuple[int, int]]:
    former: dict[str, tuple[int, int]] = {}
    for state in data.get("former_states", []):
        code = state["alpha3"]
        former[code] = (int(state["valid_from"]), int(state["valid_to"]))
        names[code] = state["name"]
        for value in [state["name"], state.get("official_name", ""), *state.get("names", [])]:
            _add(table, value, code, KIND_NAME, override=False)
        for value in state.get("demonyms", []):
            _add(table, value, code, KIND_DEMONYM, override=False)
    return former


def _add_curated(data: dict, table: dict[str, tuple[str, str] | None]) -> None:
    for code, entry in data["countries"].items():
        for value in entry.get("names", []):
            _add(table, value, code, KIND_NAME, override=True)
        for value in entry.get("demonyms", []):
            _add(table, value, code, KIND_DEMONYM, override=False)
        for value in entry.get("capitals", []):
            if value not in AMBIGUOUS_CAPITALS:
                _add(table, value, code, KIND_CAPITAL, override=False)
        for value in entry.get("seats", []):
            _add(table, value, code, KIND_SEAT, override=False)


def _by_first_word(table: dict[str, tuple[str, str] | None], *, lower_case: bool = False) -> dict[str, tuple[str, ...]]:
    """Surfaces by their first word, longest first: a handful of startswith() checks per capitalised word is much
    cheaper than one alternation of ~1,600 names."""
    by_prefix: dict[str, list[str]] = {}
    for surface in sorted(table, key=len, reverse=True):
        first = _FIRST_WORD.match(surface)
        if first and (lower_case or surface[:1].isupper()):
            by_prefix.setdefault(first.group(0), []).append(surface)
    return {k: tuple(v) for k, v in by_prefix.items()}


_CAP_WORD = re.compile(r"[A-Z][a-z]+")
_NOT_NAMEY = frozenset(
    {
        "The",
        "In",
        "On",
        "At",
        "And",
        "But",
        "King",
        "Queen",
        "President",
        "Prime",
        "Minister",
        "Mr",
        "Mrs",
        "Ms",
        "Gen",
        "Both",
        "While",
        "When",
        "For",
        "With",
        "Neighbouring",
        "Neighboring",
        "Northern",
        "Southern",
        "Eastern",
        "Western",
        "Central",
    }
)


def _looks_like_person(text: str, start: int, end: int) -> bool:
    # "Michael Jordan", "Chad Smith": a capitalised word glued on either side.
    before = text[max(0, start - 20) : start]
    m = _CAPITALISED_WORD_BEFORE.search(before)
    starts_sentence = _SENTENCE_START_WORD_BEFORE.search(before) or _LINE_START_WORD_BEFORE.search(before)
    if m and m.group(1) not in _NOT_NAMEY and not starts_sentence:
        return True
    after = text[end : end + 20]
    m2 = _CAPITALISED_WORD_AFTER.match(after)
    return bool(m2 and m2.group(1) not in _NOT_NAMEY and not after.startswith(" and"))


# Only capitalised words can open a country name (Latin-1 capitals cover Élysée, Ålander).
_WORD_START = re.compile(r"(?<!\w)[A-ZÀ-ÖØ-Þ][^\W\d_]*")
_ANY_WORD_START = re.compile(r"(?<!\w)[^\W\d_]+")
_COMBINING_RE = re.compile(r"(?<![\w-])(" + "|".join(COMBINING) + r")(?=-[A-Z])")


def _publisher_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    from . import lexicon  # the lexicon imports nothing from here; imported late to keep module loading simple

    table = lexicon.load("actors")["publishers"]
    after = re.compile(r"\s+(?:" + lexicon.alternation(table["after"]) + r")\b")
    before = re.compile(r"\b(?:" + lexicon.alternation(table["before"]) + r")\s+$")
    return after, before


_PUBLISHER_AFTER, _PUBLISHER_BEFORE = _publisher_patterns()


def _is_publisher(text: str, start: int, end: int) -> bool:
    """ "Pakistan Point News", "Times of India": a newspaper's name, not the state."""
    return bool(_PUBLISHER_AFTER.match(text, end) or _PUBLISHER_BEFORE.search(text, max(0, start - 12), start))


def find_mentions(text: str, masked: list[tuple[int, int]] | None = None, language: str = "en") -> list[RawMention]:
    """All country mentions in ``text``; spans inside ``masked`` ranges are skipped."""
    gaz = gazetteer(language)
    out: list[RawMention] = []
    masked = masked or []
    surfaces = gaz.surfaces
    by_prefix = gaz.by_prefix
    pos_end = -1
    lower_case = gaz.lower_case
    for w in (_ANY_WORD_START if lower_case else _WORD_START).finditer(text):
        start = w.start()
        if start < pos_end or not (lower_case or text[start].isupper()):
            continue
        candidates = by_prefix.get(w.group(0))
        if candidates is None:
            continue
        for surface in candidates:
            end = start + len(surface)
            if text.startswith(surface, start) and not (end < len(text) and (text[end].isalnum() or text[end] == "_")):
                break
        else:
            continue
        pos_end = end
        if any(a <= start < b for a, b in masked):
            continue
        hit = surfaces.get(surface)
        if hit is None:
            continue
        code, kind = hit
        if surface in PERSON_LIKE and _looks_like_person(text, start, end):
            continue
        if kind != KIND_AGENCY and _is_publisher(text, start, end):
            kind = KIND_AGENCY
        out.append(RawMention(code, start, end, surface, kind))
    for m in _COMBINING_RE.finditer(text):
        if not any(a <= m.start() < b for a, b in masked):
            out.append(RawMention(COMBINING[m.group(1)], m.start(), m.end(), m.group(0), KIND_DEMONYM))
    out.sort(key=lambda r: r.start)
    return out


_INTER_KOREAN = re.compile(r"\binter-Korean\b|\b(?:the )?two Koreas\b|\bboth Koreas\b")


def inter_korean_mentions(text: str) -> list[RawMention]:
    """'inter-Korean' and 'the two Koreas' name both Korean states at once."""
    out: list[RawMention] = []
    if "Korea" not in text:
        return out
    for m in _INTER_KOREAN.finditer(text):
        out.append(RawMention("KOR", m.start(), m.end(), m.group(0), KIND_NAME))
        out.append(RawMention("PRK", m.start(), m.end(), m.group(0), KIND_NAME))
    return out


def is_sovereign(code: str) -> bool:
    return code not in NON_SOVEREIGN


def former_range(code: str) -> tuple[int, int] | None:
    return gazetteer().former.get(code)
