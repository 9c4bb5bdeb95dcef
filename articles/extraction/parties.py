"""Who is a party: location, attendance and attribution contexts, collective phrases, roles."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

from . import lexicon
from .countries import KIND_AGENCY, KIND_CAPITAL, KIND_DEMONYM, KIND_NAME, KIND_OFFICIAL, KIND_SEAT, is_sovereign

# Inline patterns hoisted so each is compiled once, not looked up in re's cache per call.
_LIST_SEPARATOR = re.compile(r"(?:'s|’s)?(?:\s*,\s*|\s+and\s+|\s*,\s*and\s+|\s+and\s+the\s+|\s*,\s*the\s+|\s+or\s+)")
_POSSESSIVE_NEXT = re.compile(r"^(?:'s|’s)")
_PLACE_PREPOSITION_BEFORE = re.compile(r"\b(?:in|at|near|outside|to|from)\s+the\s+$")
_ROLES = lexicon.load("roles")
_NON_SIGNER_CLAUSE = re.compile(
    r"^[^.;]{0,60}?\b(?:" + lexicon.alternation(_ROLES["non_signers_after"]["forms"], space=" ") + r")\b"
)


# "brokered by Qatar", "under the auspices of Egypt": the state that mediates, hosts or witnesses is not a party.
_MEDIATOR_BEFORE = re.compile(r"\b(?:" + lexicon.alternation(_ROLES["mediators"]["forms"]) + r")\s+(?:the\s+)?$")
# "negotiated by French President Nicolas Sarkozy": one state's leader who negotiated for others.
_NEGOTIATED_BY = re.compile(r"\bnegotiated\s+by\s+(?:the\s+)?$")
# "fly troops and weapons across Russian territory to Afghanistan", "exports to China": a destination, not a party.
_DESTINATION_BEFORE = re.compile(
    r"(?:\b(?:fly|flying|flown|flights?|overflights?|transit|transiting|ferry|ferrying|airlift|airlifting)\b"
    r"[^.;:]{0,80}?|\b(?:exports?|exporting|re-exports?|shipments?)\s+(?:[a-z-]+\s+){0,3})\bto\s+(?:the\s+)?$"
)


@dataclass
class Mention:
    code: str
    start: int
    end: int
    text: str
    kind: str
    sentence: int = -1
    location: bool = False  # "signed in Prague", "in the Ethiopian capital"
    attribute: bool = False  # "Moscow-backed", "Russian-supplied"
    excluded: bool = False  # attended, observed, did not sign, alarmed...

    @property
    def eligible(self) -> bool:
        return not (self.location or self.attribute or self.excluded or self.kind == KIND_AGENCY) and is_sovereign(
            self.code
        )


_LOC_BEFORE = re.compile(
    r"(?:\b(?:in|at|near|outside|inside|across|throughout|around|via|across|visit to|visits to|trip to|tour of|"
    r"flew to|flying to|arrived in|travelled to|traveled to|deported to|flown to|returned to|headquarters in)"
    r"(?:\s+the)?(?:\s+(?:eastern|western|northern|southern|central|north-eastern|south-eastern|north-western|"
    r"south-western|suburban|neighbouring|neighboring))?\s+"
    r"|\b(?:in|at|near|outside)\s+(?:[A-Z][\w'’-]+\s+){0,2}(?:and|or)\s+"
    r"|\bof\s+(?:the\s+)?(?:eastern|western|northern|southern|central|north-eastern|south-eastern|north-western|"
    r"south-western)\s+)$"
)
_PLACE_NOUN = re.compile(
    r"^\s+(?:capital|city|port|town|village|soil|territory|coast|island|islands|border town|region|province|"
    r"waters|embassy|mission|parliament)\b"
)
_ATTRIBUTE_AFTER = re.compile(
    r"^-(?:backed|based|led|born|made|funded|run|style|leaning|brokered|owned|supplied|flagged)\b"
)
_OFFICIAL_AFTER = re.compile(
    r"^\s+(?:president|leader|prime minister|premier|minister|foreign minister|defen[cs]e minister|counterpart|"
    r"counterparts|ambassador|envoy|officials?|government|delegation|king|chancellor|head of state|diplomats?|"
    r"negotiators?|authorities|cabinet|side)\b",
    re.I,
)
# "China's Sinopec", "France's Naval Group": the country names a company's nationality, not a signatory.
_COMPANY_AFTER = re.compile(r"^(?:'s|’s)\s+([A-Z][\w&.-]*)")
_STATE_WORDS = frozenset(
    (  # noqa: SIM905 - a word list reads best as text
        "Ministry Minister Agency Space Central Bank Foreign Defence Defense Government Parliament Senate "
        "Congress Navy Army Air State National President Prime Premier Embassy Cabinet Federal Supreme Home "
        "Interior Finance Trade Energy Economy King Queen Emperor Chancellor Vice Deputy Security Office "
        "Department Coast Border Armed Military Treasury Council Assembly Duma Diet Mission Permanent "
        "Ambassador Envoy Commerce Industry Water Health Education Transport Justice Attorney Chief Leader "
        "Crown Royal Exim Export-Import Development First Second Top Special Communist"
    ).split()
)
# "the Oslo accords", "the Minsk agreements": a capital naming an instrument is not a party.
_INSTRUMENT_AFTER = re.compile(
    r"^\s+(?:accords?|agreements?|protocols?|treat(?:y|ies)|process|format|declaration|convention|peace deal)\b"
)
# "US and Chinese companies signed deals": the country qualifies firms, it does not sign.
_COMPANY_NOUN_AFTER = re.compile(
    r"^\s+(?:(?:and|or)\s+[A-Z][\w-]+\s+)?(?:state-owned\s+|private\s+|energy\s+|oil\s+)?"
    r"(?:" + lexicon.alternation(lexicon.load("actors")["firms"]["nationality_of"]) + r")\b"
)
# "the first such pact Tokyo has concluded with any country other than the United States": an exception, not a party
# "Somalia's breakaway region of Somaliland", "Iraq's Kurdistan region": the signer is the region, not the state
_REGION_AFTER = re.compile(
    r"^(?:'s|’s)\s+(?:(?:breakaway|autonomous|semi-autonomous|separatist|northern|southern|eastern|western|"
    r"north-eastern|north-western|south-eastern|south-western|central)\s+)*(?:[A-Z][\w-]+\s+)?"
    r"(?:region|province|enclave|territory|state of)\b"
)
_EXCEPT_BEFORE = re.compile(r"\b(?:other than|except(?: for)?|apart from|excluding)\s+(?:the\s+)?$")
_CLAUSE_BREAK = re.compile(r"[,;:()—–]|\s(?:but|while|although|though|whereas|which|who|whose)\s")


@lru_cache(maxsize=512)
def _breaks(text: str, lo: int, hi: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    found = [m.span() for m in _CLAUSE_BREAK.finditer(text, lo, hi)]
    return tuple(a for a, _ in found), tuple(b for _, b in found)


def clause_bounds(text: str, lo: int, hi: int, pos: int) -> tuple[int, int]:
    """The comma/semicolon/dash-delimited clause around ``pos`` inside ``[lo, hi)``.

    Break positions are found once per range (sentence) and cached; a break counts on the left when it ends by
    ``pos`` and on the right when it starts at or after ``pos``.
    """
    starts, ends = _breaks(text, lo, hi)
    i = bisect_right(ends, pos)  # breaks wholly left of pos
    j = bisect_left(starts, pos)  # first break at or after pos
    return (ends[i - 1] if i else lo), (starts[j] if j < len(starts) else hi)


# The word right before a location mention must be one _LOC_BEFORE can end with (a cheap exact pre-test).
_LOC_LAST_WORDS = frozenset(
    (  # noqa: SIM905 - a word list reads best as text
        "in at near outside inside across throughout around via to of the and or eastern western northern southern "
        "central north-eastern south-eastern north-western south-western suburban neighbouring neighboring"
    ).split()
)
# Any of the non-signer words after a mention: the sentence is worth the clause test above.
_TAIL_WORDS = re.compile(r"\b(?:" + lexicon.alternation(_ROLES["non_signers_after"]["forms"], space=" ") + r")\b")


def annotate(text: str, mentions: list[Mention], sentences: list[tuple[int, int, int]]) -> None:
    """Mark location, attribute and excluded mentions; upgrade demonyms before titles to officials."""
    exclusions = _SentenceExclusions(text, sentences)
    for mention in mentions:
        before = text[max(0, mention.start - 60) : mention.start]
        after = text[mention.end : mention.end + 40]
        _mark_attribute(mention, after)
        if before.endswith(" ") and _EXCEPT_BEFORE.search(before):
            mention.excluded = True  # "any country other than Iceland"
        if mention.kind == KIND_DEMONYM and _OFFICIAL_AFTER.match(after):
            mention.kind = KIND_OFFICIAL
        last = before.rsplit(None, 1)[-1] if before and before[-1:].isspace() and before.strip() else ""
        _mark_mediator(mention, before, last)
        _mark_location(mention, before, after, last)
        if mention.sentence >= 0 and exclusions.excludes(mention):
            mention.excluded = True
    _spread_over_lists(text, mentions)


def _mark_attribute(mention: Mention, after: str) -> None:
    """A country word that qualifies something else: "Moscow-backed", "US and Chinese companies", "the Oslo accords",
    "China's Sinopec"."""
    first = after[:1]  # each pattern below needs a particular first character: test it before the regex
    if (first == "-" and _ATTRIBUTE_AFTER.match(after)) or (first == " " and _COMPANY_NOUN_AFTER.match(after)):
        mention.attribute = True
    if first.isspace() and mention.kind in (KIND_CAPITAL, KIND_SEAT) and _INSTRUMENT_AFTER.match(after):
        mention.attribute = True
    company = _COMPANY_AFTER.match(after) if first in ("'", "’") else None
    if company and company.group(1) not in _STATE_WORDS and not company.group(1).isupper():
        mention.attribute = True
    if first in ("'", "’") and _REGION_AFTER.match(after):
        mention.attribute = True


def _mark_mediator(mention: Mention, before: str, last: str) -> None:
    """Mediators: "brokered by Qatar", "negotiated by French President Nicolas Sarkozy"."""
    if last in ("by", "of", "the") and (
        _MEDIATOR_BEFORE.search(before)
        or (mention.kind in (KIND_OFFICIAL, KIND_DEMONYM) and _NEGOTIATED_BY.search(before))
    ):
        mention.excluded = True


def _mark_location(mention: Mention, before: str, after: str, last: str) -> None:
    """Places: "signed in Prague", "flights to Afghanistan", "in the Ethiopian capital"."""
    if last in ("to", "the") and mention.kind in (KIND_NAME, KIND_CAPITAL) and _DESTINATION_BEFORE.search(before):
        mention.location = True
    if mention.kind in (KIND_NAME, KIND_CAPITAL, KIND_SEAT) and last in _LOC_LAST_WORDS and _LOC_BEFORE.search(before):
        if not _POSSESSIVE_NEXT.match(after):
            mention.location = True
    elif mention.kind == KIND_DEMONYM and _PLACE_NOUN.match(after) and _PLACE_PREPOSITION_BEFORE.search(before):
        mention.location = True


class _SentenceExclusions:
    """Per sentence, found once: where exclusion words occur, and whether any trailing "did not sign" wording does."""

    def __init__(self, text: str, sentences: list[tuple[int, int, int]]) -> None:
        self.text = text
        self.sentences = sentences
        self.hits: dict[int, list[tuple[int, int]]] = {}
        self.tail_words: dict[int, bool] = {}

    def excludes(self, mention: Mention) -> bool:
        text, idx = self.text, mention.sentence
        s_start, s_end, _ = self.sentences[idx]
        hits = self.hits.get(idx)
        if hits is None:
            hits = self.hits[idx] = [m.span() for m in EXCLUSION.finditer(text, s_start, s_end)]
            self.tail_words[idx] = _TAIL_WORDS.search(text, s_start, s_end) is not None
        if hits:
            c_lo, c_hi = clause_bounds(text, s_start, s_end, mention.start)
            if any(c_lo <= a and b <= c_hi for a, b in hits):
                return True
        # the clause, widened to the end of the sentence for trailing "... did not sign."
        return bool(self.tail_words[idx] and _NON_SIGNER_CLAUSE.match(text[mention.end : s_end]))


def _spread_over_lists(text: str, mentions: list[Mention]) -> None:
    """Lists share a role: "with the United States, Britain, France and Germany as witnesses": the role covers the
    whole list."""
    run: list[Mention] = []
    for mention in [*mentions, None]:
        if (
            mention is not None
            and run
            and mention.sentence == run[-1].sentence
            and _LIST_SEPARATOR.fullmatch(text[run[-1].end : mention.start])
        ):
            run.append(mention)
            continue
        if len(run) >= 3 and (run[0].excluded or run[-1].excluded):
            for member in run:
                member.excluded = True
        run = [mention] if mention is not None else []


_COLLECTIVE = re.compile(
    r"\b(?:[Tt]he|[Bb]oth|[Aa]ll)\s+(?:(?P<n>two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen)\s+)?"
    r"(?:(?:world|major|great|neighbouring|neighboring|member|founding)\s+)?"
    r"(?P<noun>countries|governments|nations|neighbours|neighbors|sides|leaders|presidents|states|Koreas|allies|"
    r"capitals|powers|signatories|parties|economies)\b"
    r"|\b(?P<n2>two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen)\s+"
    r"(?:world\s+|major\s+|(?:[A-Z][\w-]+\s+){1,2})?(?P<noun2>powers|nations|countries|governments)\b"
    r"|\b(?:[Tt]he|[Bb]oth|[Aa]ll)\s+(?P<n3>two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen)\s+(?:[A-Z][\w-]+\s+){1,2}"
    r"(?:countries|governments|nations|states|monarchies|republics|members|neighbours|neighbors|powers)\b"
    r"|\b(?P<bi>bilateral|each other's|one another's)\b"
)
_NUM = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
}


def collective_size(region: str) -> int | None:
    """0 = "the countries" with no number; None when no collective phrase is present."""
    best: int | None = None
    for m in _COLLECTIVE.finditer(region):
        if m.group("bi"):
            size = 2
        elif m.group("n"):
            size = _NUM[m.group("n")]
        elif m.group("n2"):
            size = _NUM[m.group("n2")]
        elif m.group("n3"):
            size = _NUM[m.group("n3")]
        elif m.group("noun") in ("Koreas", "neighbours", "neighbors") or m.group(0).lower().startswith("both"):
            size = 2
        else:
            size = 0
        best = size if best is None else max(best, size)
    return best


def coordination_lists(text: str, mentions: list[Mention]) -> list[list[str]]:
    """Runs of eligible country mentions joined by commas and "and": "China, Laos, Burma and Thailand"."""
    runs: list[list[str]] = []
    current: list[Mention] = []
    for mention in mentions:
        if mention.kind == KIND_AGENCY or not is_sovereign(mention.code):
            continue
        if current:
            gap = text[current[-1].end : mention.start]
            if _LIST_SEPARATOR.fullmatch(gap):
                current.append(mention)
                continue
            runs.append([m.code for m in current])
        current = [mention]
    if current:
        runs.append([m.code for m in current])
    out: list[list[str]] = []
    for run in runs:
        uniq = list(dict.fromkeys(run))
        if len(uniq) >= 2:
            out.append(uniq)
    return out


HOST_WORDS = re.compile(r"\b(?:" + lexicon.alternation(_ROLES["hosts"]["forms"]) + r")\b")
REACTION_WORDS = re.compile(r"\b(?:" + lexicon.alternation(_ROLES["reactions"]["forms"]) + r")\b")
OCCASION_WORDS = re.compile(r"\b(?:" + lexicon.alternation(_ROLES["occasions"]["forms"]) + r")\b", re.I)


# Countries in the same clause as these words attend, host or oppose; they do not sign.
EXCLUSION = re.compile(
    lexicon.first_letters(_ROLES["non_signers"]["forms"])
    + r"\b(?:"
    + lexicon.alternation(_ROLES["non_signers"]["forms"], space=" ")
    + r")\b"
)
