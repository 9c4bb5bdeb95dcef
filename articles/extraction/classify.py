"""Domain type of an instrument from weighted keywords.

Words inside the instrument's own noun phrase weigh most, then its sentence, then the
article; ties go to the order of the closed type list.
"""

from __future__ import annotations

import re
from collections import Counter

from .results import TYPES

# phrase -> (type, weight); longer phrases are matched first so "legal assistance" beats "assistance".
_KEYWORDS: dict[str, tuple[str, float]] = {}


def _kw(type_: str, weight: float, *phrases: str) -> None:
    for phrase in phrases:
        _KEYWORDS[phrase] = (type_, weight)


_kw(
    "defense",
    2.0,
    "defence",
    "defense",
    "military",
    "armed forces",
    "troops",
    "naval",
    "navy",
    "fleet",
    "warships",
    "air base",
    "air bases",
    "military bases",
    "bases",
    "basing",
    "garrison",
    "arms sales",
    "arms deal",
    "weapons",
    "mutual defence",
    "mutual defense",
    "non-aggression",
    "missile",
    "missiles",
    "fighter jets",
    "soldiers",
    "defence industry",
    "warplanes",
    "submarines",
    "submarine",
    "military cooperation",
    "forces",
    "base",
    "buffer zone",
    "demilitarised",
    "demilitarized",
    "military assistance",
    "army",
    "alliance",
    "deployment",
)
_kw(
    "security",
    2.0,
    "counter-terrorism",
    "counterterrorism",
    "terrorism",
    "counter-narcotics",
    "anti-drug",
    "drug",
    "narcotics",
    "trafficking",
    "smuggling",
    "border security",
    "intelligence",
    "spy",
    "spying",
    "espionage",
    "surveillance",
    "extradition",
    "extradite",
    "extradited",
    "legal assistance",
    "mutual legal assistance",
    "crime",
    "criminal",
    "law enforcement",
    "police",
    "policing",
    "cyber",
    "cyber-security",
    "cybersecurity",
    "deportation",
    "deportees",
    "patrols",
    "patrol",
    "fugitives",
    "security arrangements",
    "security cooperation",
    "security",
)
_kw(
    "economic",
    2.0,
    "trade",
    "free trade",
    "free-trade",
    "tariff",
    "tariffs",
    "customs",
    "investment",
    "investors",
    "finance",
    "financing",
    "financial",
    "loan",
    "loans",
    "credit",
    "bank",
    "banking",
    "currency",
    "swap",
    "swaps",
    "aid",
    "assistance",
    "economic",
    "economy",
    "common market",
    "debt",
    "development bank",
    "reserves",
    "economic assistance",
    "economic cooperation",
    "compensation",
    "exports",
    "imports",
    "duty-free",
    "market",
    "economic integration",
    "economic union",
    "payments",
    "fund",
    "monetary",
    "single market",
    "commerce",
)
_kw(
    "energy",
    2.0,
    "oil",
    "gas",
    "pipeline",
    "pipelines",
    "electricity",
    "power",
    "energy",
    "renewable",
    "renewables",
    "solar",
    "wind power",
    "hydropower",
    "hydroelectric",
    "coal",
    "mining",
    "minerals",
    "mineral resources",
    "hydrocarbon",
    "hydrocarbons",
    "critical minerals",
    "lithium",
    "crude",
    "lng",
    "petroleum",
    "megawatts",
    "power plant",
    "grid",
    "refinery",
)
_kw(
    "nuclear",
    3.0,
    "nuclear",
    "atomic",
    "uranium",
    "enrichment",
    "enriched",
    "enrich",
    "reactor",
    "warhead",
    "warheads",
    "non-proliferation",
    "nonproliferation",
    "arms control",
    "strategic arms",
    "disarmament",
    "plutonium",
    "fuel swap",
    "123 agreement",
    "nuclear energy",
    "civil nuclear",
)
_kw(
    "diplomatic",
    2.0,
    "diplomatic relations",
    "relations",
    "normalisation",
    "normalization",
    "peace treaty",
    "peace",
    "friendship",
    "strategic partnership",
    "visa",
    "visas",
    "visa-free",
    "visa waiver",
    "boundary",
    "border demarcation",
    "demarcation",
    "embassy",
    "embassies",
    "reconciliation",
    "diplomatic",
    "bilateral relations",
    "cooperation agreement",
    "comprehensive partnership",
    "partnership",
    "travel",
    "good-neighbourly",
)
_kw(
    "technology",
    2.5,
    "space",
    "outer space",
    "satellite",
    "satellites",
    "satellite navigation",
    "lunar",
    "moon",
    "mars",
    "science",
    "scientific",
    "research",
    "telecom",
    "telecoms",
    "telecommunications",
    "digital",
    "artificial intelligence",
    "technology",
    "cosmodrome",
    "launch",
    "rocket",
    "semiconductor",
    "semiconductors",
    "5g",
    "internet",
    "space station",
    "spacecraft",
    "cosmonaut",
    "astronaut",
    "gps",
    "chips",
)
_kw(
    "other",
    2.0,
    "health",
    "medical",
    "vaccine",
    "education",
    "educational",
    "student",
    "students",
    "university",
    "universities",
    "culture",
    "cultural",
    "climate",
    "climate change",
    "emissions",
    "greenhouse",
    "environment",
    "environmental",
    "water",
    "waters",
    "river",
    "rivers",
    "agriculture",
    "agricultural",
    "farm",
    "fisheries",
    "fishing",
    "migration",
    "migrants",
    "refugees",
    "refugee",
    "asylum",
    "resettle",
    "resettlement",
    "resettled",
    "transport",
    "navigation",
    "railway",
    "railways",
    "rail",
    "aviation",
    "air services",
    "direct flights",
    "direct flight",
    "commercial flights",
    "road",
    "roads",
    "tourism",
    "nationals",
    "labour",
    "labor",
    "sport",
    "sports",
    "food",
    "pandemic",
    "vaccines",
    "vocational",
    "vocational training",
    "hospital",
    "hospitals",
    "disease",
    "schools",
    "scholarships",
)
_kw(
    "security",
    2.0,
    "maritime security",
    "coast guard",
    "coast guards",
    "coastguard",
    "piracy",
    "incident prevention",
    "hotline",
    "search-and-rescue",
    "search and rescue",
    "counter-piracy",
)

# Lower a few ambiguous words.
_KEYWORDS["security"] = ("security", 1.0)
_KEYWORDS["forces"] = ("defense", 1.0)
_KEYWORDS["base"] = ("defense", 1.0)
_KEYWORDS["power"] = ("energy", 0.8)
_KEYWORDS["relations"] = ("diplomatic", 1.0)
_KEYWORDS["market"] = ("economic", 1.0)
_KEYWORDS["assistance"] = ("economic", 1.0)
_KEYWORDS["research"] = ("technology", 1.0)
_KEYWORDS["travel"] = ("diplomatic", 1.0)
_KEYWORDS["partnership"] = ("diplomatic", 0.5)
_KEYWORDS.pop("alliance", None)
_KEYWORDS["military alliance"] = ("defense", 3.0)
_KEYWORDS["launch"] = ("technology", 1.0)
_KEYWORDS["peace"] = ("diplomatic", 1.5)
_KEYWORDS["military technology"] = ("defense", 3.0)
_KEYWORDS["legal assistance"] = ("security", 3.0)
_KEYWORDS["mutual legal assistance"] = ("security", 3.0)
_KEYWORDS["commercial navigation"] = ("other", 3.0)
# Instruments' own domain words that the lists above lacked.
_kw("technology", 2.0, "communications", "broadcasting", "broadcast")
_kw("energy", 2.0, "dam", "dams", "hydroelectric dam")
_kw("other", 2.0, "sea route", "sea routes", "shipping", "shipping route", "freight", "cargo")
_kw("defense", 2.0, "fighter", "fighters", "fighter aircraft", "combat aircraft")
_kw("diplomatic", 1.0, "dispute", "disputes", "bloc", "regional bloc", "union")
# boundary treaties are diplomatic: "ending a border dispute"
_kw("diplomatic", 2.0, "border dispute", "border disputes", "boundary dispute", "boundary disputes")
_kw(
    "diplomatic",
    2.0,
    "exclusive economic zone",
    "exclusive economic zones",
    "delimitation",
    "delimiting",
    "maritime boundary",
    "maritime border",
    "sea border",
    "territorial waters",
)
_kw("economic", 2.0, "trade bloc", "customs union", "economic bloc")
# Names of bodies and regimes that carry a domain word but say nothing about an instrument's domain.
_NEUTRAL = (
    "military rule",
    "military regime",
    "military junta",
    "military government",
    "military coup",
    "european union",
    "african union",
    "security council",
    "soviet union",
)
for _phrase in _NEUTRAL:
    _KEYWORDS[_phrase] = ("", 0.0)

_TOKEN = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
_TITLES = frozenset(
    (  # noqa: SIM905 - a word list reads best as text
        "minister ministers ministry official officials adviser advisers advisor chief chiefs secretary envoy "
        "council spokesman spokeswoman commissioner correspondent analyst analysts"
    ).split()
)
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
