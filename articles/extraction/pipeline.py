"""extract(): article text in, agreements and country mentions out.

Steps: strip page boilerplate, split sentences, find country mentions, find instrument noun
phrases with their status cues and dates, group phrases into instruments (new, anaphoric,
group members), choose parties, then settle each instrument's latest status and its date.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from types import MappingProxyType

from . import classify
from .countries import find_mentions, former_range, inter_korean_mentions, is_sovereign
from .cues import IN_FORCE, PROPOSED, RANK, SIGNED, TERMINATED, Cue, find_cues
from .dates import DAY, MONTH, DateMention, find_dates
from .document import normalised, read_document
from .parties import HOST_WORDS, Mention, annotate, clause_bounds, collective_size, coordination_lists
from .phrases import KNOWN_NAMES, NounPhrase, PhraseIndex, find_noun_phrases
from .results import CandidateAgreement, CountryMention, Extraction, Span

# Patterns compiled once at import rather than looked up in re's cache on every call.
_NAME_KEY_NOISE = re.compile(r"\b(?:the|so called|treaty|agreement|accord|pact|deal)\b")
_TRAILING_CONJUNCTION = re.compile(r"(?:\band|\balong with|\bas well as|\bplus|\bor)\s*$")
_JOINT_INSTRUMENT = re.compile(r"joint|declaration|statement|announcement|communiqu")
_DATE_GAP = re.compile(r"(?:\s+of\s+[A-Z][\w'’-]+)?\s+(?:of|in|from|dating from)\s+")
_BETWEEN_PARTIES = re.compile(
    r"\bbetween\s+(.{0,120}?)(?=\s+(?:came|took|entered|was|were|has|have|had|is|are|that|which|"
    r"expired|lapsed|signed|allots|gives|giving|allowing|allows)\b|[,;.]|$)"
)
_WITH_PARTNERS = re.compile(r"\bwith\s+(.{0,80}?)(?=\s+(?:to|earlier|last|in|on|that|which|for)\b|[,;.]|$)")
_COMMA_ONLY = re.compile(r"\s*,\s*")
_NEAR_WITH_PARTNER = re.compile(r"\s*(?:\S+\s+){0,3}?with\s+((?:\S+(?:\s+|$)){0,6})")
_INTENT_BEFORE = re.compile(
    r"\b(?:agreed|agree|agrees|will|decided|announced|move|moving|moved|plan|plans|planned|set|"
    r"pledged|committed)\b[^.;]{0,30}$"
)
_COLON_LIST_LEAD = re.compile(r"[^.;]{0,200}?:")
_RELATIONS_VERB = re.compile(r"(?:restored|re-?established|established|normali[sz]ed)\b")
_LIST_CONTINUATION = re.compile(r"(?:\band|\balong with|\bas well as|\bplus|[:;])\s*(?:the\s+)?$")
_FUTURE_BEFORE = re.compile(r"\b(?:to|will|would)\s+(?:\w+\s+){0,2}$")


class _LazyScores:
    """Article-wide keyword scores, computed only when an instrument's own words are not enough."""

    def __init__(self, text: str, sentences: list[tuple[int, int, int]]) -> None:
        self._text = text
        self._sentences = sentences
        self._scores: Counter | None = None

    def get(self) -> Counter:
        if self._scores is None:
            body = " ".join(self._text[a:b] for a, b, _ in self._sentences)
            self._scores = classify.keyword_scores(body, 0.2)
        return self._scores


# ---------------------------------------------------------------------------------------------------------------
# Instruments


@dataclass
class _Evidence:
    status: str
    strength: int
    date: DateMention | None
    span: tuple[int, int]
    sentence: int


@dataclass
class _Instrument:
    sentence: int
    paragraph: int
    nps: list[NounPhrase]
    parties: tuple[str, ...] = ()
    party_span: tuple[int, int] = (0, 0)
    evidence: list[_Evidence] = field(default_factory=list)
    scores: Counter = field(default_factory=Counter)
    type_span: tuple[int, int] = (0, 0)
    name: str | None = None
    group: bool = False
    container: bool = False
    count: int | None = None
    quant_all: bool = False
    member: bool = False
    additional: bool = False
    relation: bool = False
    invalid: bool = False
    nonstate: bool = False  # void because a signer is not a sovereign state
    absorbed: bool = False
    sentences: set = field(default_factory=set)
    explicit_parties: bool = False
    definite_group: bool = False
    position: int = 0
    year_hint: int | None = None  # earliest year the instrument's own words give ("the 1987 treaty")


_RELATIVE_NEW = re.compile(
    r"^\s*(?:that\s+|which\s+)?(?:the\s+|both\s+)?(?:(?:two|three|four|five|six|seven|eight|nine|ten)\s+)?"
    r"(?:countries|governments|nations|sides|neighbours|neighbors|leaders|states|parties|Koreas|allies|"
    r"[A-Z][\w.'’-]+(?:\s+[A-Z][\w'’-]+)?)\s+(?:had\s+|have\s+|has\s+)?(?:first\s+|already\s+|previously\s+|once\s+)?"
    r"(?:signed|struck|concluded|reached|agreed|operated|negotiated|adopted|inked|sealed)\b"
)
_REPORTING = re.compile(
    r"\b(?:said|says|say|announced|announce|told|reported|published|confirmed|declared|stated|added|according|"
    r"unveiled|disclosed|revealed)\b"
)
_OTHER_EVENT = re.compile(
    r"\b(?:passed|approved|started|began|begun|broke|severed|elected|visited|arrived|met|killed|held|convened|"
    r"founded|closed|born|died|attacked|expelled|voted|vetoed|imposed|raised|launched|opened|seceded|ousted|"
    r"invaded|annexed|fled|arrested|took office|sworn|floated|first proposed|proposed at|conceived|joined|"
    r"tested|detonated|shut|fought)\b"
)
_NONSTATE = re.compile(
    r"\b(?:IAEA|International Atomic Energy Agency|EU|European Union|European Commission|NATO|UN|United Nations|"
    r"World Bank|IMF|WTO|African Union|ASEAN|OPEC|rebels?|insurgents?|militants?|separatists?|compan(?:y|ies)|"
    r"firms?|owners?|family|consortium|corporation|Corp|group|movement|leaders of the peninsula|peninsula)\b"
)
_ORG_SUBJECT = re.compile(
    r"\b(?:ASEAN|Association of Southeast Asian Nations|EU|European Union|European Commission|NATO|IAEA|"
    r"International Atomic Energy Agency|African Union|Mercosur|ECOWAS|OPEC|World Bank|IMF|WTO|UN|United Nations|"
    r"G20|G7|Group of 20|Group of Seven)\b"
)
# Signers that are not sovereign states: sub-national governments, breakaway regions, liberation movements.
_NONSTATE_NAMES = (
    r"Palestinian Authority|Palestine Liberation Organi[sz]ation|PLO|Hamas|Taliban|Liberation Front|"
    r"Liberation Army|Regional Government|regional government|provincial government|state government|"
    r"the (?:state|province|region|emirate|canton) of [A-Z]|breakaway|separatist|rebel|"
    r"Abkhazia|South Ossetia|Transnistria|Somaliland|Puntland|Nagorno-Karabakh|Northern Cyprus|Kurdistan|"
    r"Quebec|Québec|Ontario|Alberta|British Columbia|Catalonia|Scotland|Flanders|Wallonia|Bavaria|California|"
    r"Texas|Queensland|New South Wales|Western Australia|Aceh|Zanzibar|Crimea|Donetsk|Luhansk"
)
_NONSTATE_SIGNER = re.compile(r"\b(?:" + _NONSTATE_NAMES + r")\b")
# "US and Chinese companies signed deals", "China Energy Investment Corp. signed a preliminary deal": firms sign
_COMPANY_SIGNER = re.compile(
    r"\b(?:compan(?:y|ies)|firms?|corporations?|Corp\.?|conglomerates|businesses|Inc\.?|Ltd\.?)\s+(?:also\s+)?"
    r"(?:signed|inked|struck|sealed|clinched)\s+(?:\S+\s+){0,3}$"
)
# "No such deal exists", "said no such agreement existed": a denial voids a reported, planned instrument nearby
_NO_SUCH = re.compile(r"\bno\s+such\s+$", re.I)
# a new clause with its own subject and verb: ", and Beijing is negotiating with ..."
_NEXT_CLAUSE = re.compile(
    r"(?:[,;]\s+(?:and|but|while|whereas)\s+|;\s+)(?:the\s+)?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}\s+"
    r"(?:is|are|was|were|has|have|had|will|would|also|[a-z]+ed|[a-z]+s)\b"
)
# "signed separate memorandums: one on flights and one on visas": the plural opens its list of members
_LIST_OPENS = re.compile(r"\s*:\s*one\s+(?:on|for|covering|about|to)\b[^.;]{0,120}?\band\s+(?:one|another|the other)\b")
# "the United States withdrew from it in June 2002": a pronoun object ends the instrument just named
_IT_TERMINATED = re.compile(
    r"\b(?:withdrew|withdrawn|pulled out|walked away)\s+from\s+it\b"
    r"|\b(?:scrapped|abandoned|suspended|terminated|cancell?ed|abrogated|denounced|tore up|torn up)\s+it\b"
)
_RELATIVE_AFTER = re.compile(r",\s+(?:which|who|whose)\s+")
_NEW_PREDICATE = re.compile(
    r"\band\s+(?:has|have|had|also|later|then)?\s*\w+(?:ed|en|s)?\s+(?:\w+\s+)?$"
    r"|\band\s+(?:also\s+|then\s+|later\s+)?(?:said|agreed|announced|decided|pledged|vowed|plan|plans|planned)\b"
)
# "signed two agreements, one governing troops and the other setting out ties": the members follow in the sentence
_ONE_THE_OTHER = re.compile(r"(?:\s+of understanding)?[^.;:]{0,60}?,\s+one\s+(?!of\b)[^.;]{0,160}?\bthe other\b")
_VERB_OBJECT_GAP = re.compile(r"\s+(?:(?:on|for|towards?|of)\s+)?(?:a|an|the)?\s*")
_ASIDE = re.compile(r",\s+(?:which|who|whose)\b[^,;.]{0,120},")
_WITH_NP = re.compile(r"\bwith\s+[^,;.]{0,80}")
_OWN_WITH = re.compile(r"\s*(?:[a-z]\S*\s+){0,2}?with\s+([^,;.]{0,60})")
# "the Oslo accords, signed by Israel and the PLO": a participle clause naming the signers
_SIGNED_BY = re.compile(
    r",?\s*(?:signed|concluded|agreed|struck|reached)\s+(?:\w+\s+){0,4}?(?:by|between)\s+[^;.]{0,80}"
)
# "agreements that the state of Victoria had signed": the signer of a relative clause is not a state
_NONSTATE_SUBJECT = re.compile(
    r"\s+(?:that|which)\s+(?:" + _NONSTATE_NAMES + r")[\w'’ -]{0,30}?\s+(?:had\s+|has\s+|have\s+)?"
    r"(?:signed|concluded|struck|agreed|sealed|inked)\b"
)
_SIDE_CLAUSE = re.compile(r"\b(?:after|before|following|amid|despite|since|during|over|against)\b")
_FRIENDLY = re.compile(
    r"\b(?:neighbou?rs?|counterparts?|partners?|allies|ally|each other|one another|government|"
    r"any (?:other )?(?:country|nation|state))\b"
)
_ORDINAL_BEFORE = re.compile(r"\b[Tt]he (?:first|second|third|latter|former),\s*$")


def _clause_date(
    text: str,
    dates: list[DateMention],
    s_start: int,
    s_end: int,
    pos: int,
    *,
    skip: frozenset[int] = frozenset(),
    other_cues: tuple[int, ...] = (),
    clause_only: bool = False,
) -> DateMention | None:
    """The date a status cue owns: same clause first, else one bound to a reporting verb, else an unclaimed one.

    ``skip`` holds starts of dates that modify an instrument noun ("a 2018 agreement": a signing year);
    ``other_cues`` are positions of the sentence's other status cues, which own the dates of their clauses.
    """
    lo, hi = clause_bounds(text, s_start, s_end, pos)
    dates = [d for d in dates if d.start not in skip]
    best: tuple[int, DateMention] | None = None
    for d in dates:
        if d.future:
            continue
        before = text[max(s_start, d.start - 45) : d.start]
        governed_other = bool(_OTHER_EVENT.search(" ".join(before.split()[-5:])))
        if lo <= d.start < hi:
            if governed_other:
                continue
            dist = abs(d.start - pos)
            if best is None or dist < best[0]:
                best = (dist, d)
    if best:
        return best[1]
    if clause_only:
        return None
    for d in dates:
        if d.future:
            continue
        before = " ".join(text[max(s_start, d.start - 60) : d.start].split()[-6:])
        if _REPORTING.search(before) and not _OTHER_EVENT.search(before):
            return d
    # last resort: an unclaimed date elsewhere in the sentence, nearest first ("In 2007, the two ... signed")
    claimed = [clause_bounds(text, s_start, s_end, c) for c in other_cues if c != pos]
    free = [
        d
        for d in dates
        if not d.future
        and not _OTHER_EVENT.search(" ".join(text[max(s_start, d.start - 45) : d.start].split()[-5:]))
        and not any(a <= d.start < b for a, b in claimed)
    ]
    if free:
        return min(free, key=lambda d: abs(d.start - pos))
    return None


def _background_date(text: str, dates: list[DateMention], s_start: int, s_end: int) -> DateMention | None:
    """A past year or month in the sentence that no other event verb claims ("in 2005 through a memorandum")."""
    for d in dates:
        if d.future or d.precision == DAY:
            continue
        before = " ".join(text[max(s_start, d.start - 45) : d.start].split()[-5:])
        if not _OTHER_EVENT.search(before):
            return d
    return None


def _np_date(text: str, np: NounPhrase, dates: list[DateMention]) -> DateMention | None:
    for d in dates:
        if d.future or (d.precision != "year" and d.precision != MONTH and d.precision != DAY):
            continue
        if np.start <= d.start < np.head_start:
            return d  # "a 1974 land boundary agreement"
        gap = text[np.head_end : d.start]
        if 0 <= d.start - np.head_end <= 40 and _DATE_GAP.fullmatch(gap):
            return d
    return None


def _distinct(text: str, prev: NounPhrase, np: NounPhrase) -> bool:
    if np.relation:
        return False
    if np.elliptic or np.additional or np.ordinal:
        return True
    if prev.relation:
        return False
    between = text[prev.head_end : np.start]
    if prev.det == "count" and ":" in between:
        return True
    if ";" in between:
        return True
    if np.det in ("indef", "", "count") and _TRAILING_CONJUNCTION.search(between):
        return True
    if np.det == "indef" and _NEW_PREDICATE.search(between):
        return True  # "concluded a deal with Canberra and has had a pact with Washington since 2012"
    if np.name and prev.name and _name_key(np.name) != _name_key(prev.name):
        return True
    return bool(np.name and not prev.name and np.det == "def" and not _COMMA_ONLY.fullmatch(between))


def _np_words_kind(words: str) -> str:
    scores = classify.keyword_scores(words, 1.0)
    # a title's brief ("national security adviser" scores a quarter) or a lone weak word does not name a domain
    return classify.rank(scores)[0] if scores and max(scores.values()) >= 1.5 else ""


def _np_kind(nps: list[NounPhrase]) -> str:
    """The domain an instrument's own noun phrase names ("free trade agreement": economic), or "" when it names none."""
    words = " ".join(" ".join(n.modifiers) + " " + n.head + " " + n.complement for n in nps if not n.relation)
    return _np_words_kind(words)


def _name_key(name: str) -> str:
    key = normalised(name)
    key = _NAME_KEY_NOISE.sub(" ", key)
    return " ".join(key.split())


def _build_status(np_cues: list[Cue], np: NounPhrase, head_low: str) -> list[tuple[str, int, Cue]]:
    out: list[tuple[str, int, Cue]] = []
    joint = bool(_JOINT_INSTRUMENT.search(head_low))
    for cue in np_cues:
        status, strength = cue.status, cue.strength
        if strength == 0 and not joint:
            continue
        if status == SIGNED:
            if cue.negated:
                continue
            if cue.irrealis:
                status, strength = PROPOSED, 1
        elif status == IN_FORCE:
            if cue.negated:
                status, strength = SIGNED, 1
            elif cue.irrealis:
                continue
        elif status == TERMINATED and (cue.negated or cue.irrealis):
            continue
        out.append((status, max(strength, 1), cue))
    return out


_WITH_SEG = re.compile(r"\bwith\s+(?:the\s+)?[A-Z][^,;.]{0,40}?(?=\s+(?:in|on|last|earlier|since|and)\b|[,;.]|$)")
_WITH_GAP = re.compile(r"(?:\s+(?:in|on|last|earlier|since)\s+[^,;.]{1,30}?)?,?\s+and\s+(?:also\s+)?$")


def _with_segments(text: str, lo: int, hi: int) -> list[tuple[int, int, int]]:
    """Chained partner phrases after a plural instrument: "with Egypt in 2003 and with Lebanon in 2007".

    Returns (partner start, partner end, segment end) per phrase; a segment runs up to the next "with".
    """
    found = [m.span() for m in _WITH_SEG.finditer(text, lo, min(hi, lo + 260))]
    if len(found) < 2 or found[0][0] - lo > 40:
        return []
    chain = [found[0]]
    for a, b in found[1:]:
        if not _WITH_GAP.fullmatch(text[chain[-1][1] : a]):
            break
        chain.append((a, b))
    if len(chain) < 2:
        return []
    out = []
    for i, (a, b) in enumerate(chain):
        seg_end = chain[i + 1][0] if i + 1 < len(chain) else min(hi, b + 35)
        out.append((a, b, seg_end))
    return out


_TOPIC_LIST = re.compile(
    r"\s+(?:of understanding\s+)?(?:were\s+signed\s+|was\s+signed\s+)?(?:on|covering)\s+"
    r"((?:[a-z][\w-]*(?:\s+(?!and\b|on\b)[a-z][\w-]*){0,4})"
    r"(?:,\s+(?!and\b)[a-z][\w-]*(?:\s+(?!and\b|on\b)[a-z][\w-]*){0,4})*"
    r",?\s+and\s+(?:on\s+)?[a-z][\w-]*(?:\s+(?!and\b|on\b)[a-z][\w-]*){0,4})"
)
_TOPIC_SPLIT = re.compile(r",\s+and\s+(?:on\s+)?|,\s+|\s+and\s+(?:on\s+)?")
_TOPIC_TAIL = re.compile(r"\s+(?:cooperation|co-operation|matters|issues|sectors?|fields?)$")


def _topic_list(text: str, head_end: int, s_end: int, country_words: set[str]) -> list[str]:
    """The domains listed after a plural instrument noun: "accords on trade, tourism and health cooperation"."""
    m = _TOPIC_LIST.match(text, head_end, min(s_end, head_end + 200))
    if m is None:
        return []
    items = [_TOPIC_TAIL.sub("", x.strip()) for x in _TOPIC_SPLIT.split(m.group(1))]
    items = [x for x in items if x]
    if not 2 <= len(items) <= 6 or len(set(items)) != len(items):
        return []
    kinds = [classify.rank(classify.keyword_scores(x, 3.0))[0] if classify.keyword_scores(x, 3.0) else x for x in items]
    if len(items) == 2 and (
        not re.search(r"\band\s+on\b", m.group(1))
        or (len(set(kinds)) < 2 and all(classify.keyword_scores(x, 3.0) for x in items))
    ):
        return []  # "memorandums on water management and finance": one group unless the preposition repeats
    return items


def _eligible_codes(mentions: list[Mention], lo: int, hi: int) -> list[str]:
    return list(dict.fromkeys(m.code for m in mentions if lo <= m.start < hi and m.eligible))


def extract(
    text: str, *, published: dt.date | None = None, title: str | None = None, language: str = "en"
) -> Extraction:
    """Agreements between states reported in ``text`` (English news), with country mentions and their roles."""
    doc = read_document(text, title)
    sentences = doc.sentences
    raw = find_mentions(text, doc.masked) + [
        m for m in inter_korean_mentions(text) if not any(a <= m.start < b for a, b in doc.masked)
    ]
    mentions = [Mention(r.code, r.start, r.end, r.text, r.kind) for r in sorted(raw, key=lambda r: r.start)]
    si = 0
    for mention in mentions:
        while si < len(sentences) and sentences[si][1] <= mention.start:
            si += 1
        if si < len(sentences) and sentences[si][0] <= mention.start < sentences[si][1]:
            mention.sentence = si
    annotate(text, mentions, sentences)
    country_words = {m.text for m in mentions}
    coord = coordination_lists(text, [m for m in mentions if m.sentence >= 0])
    freq = Counter(m.code for m in mentions if m.eligible and m.sentence >= 0)
    if title:
        for r in find_mentions(title):
            if is_sovereign(r.code) and r.kind != "agency":
                freq[r.code] += 1
    article_scores = _LazyScores(text, sentences)

    instruments: list[_Instrument] = []
    main_set: list[tuple[str, ...]] = []
    denials: list[int] = []
    lower = doc.lower
    per_sentence: dict[int, list[Mention]] = {}
    for mention in mentions:
        per_sentence.setdefault(mention.sentence, []).append(mention)

    def by_sentence(idx: int) -> list[Mention]:
        return per_sentence.get(idx, [])

    def fallback_main() -> tuple[str, ...]:
        if main_set:
            return main_set[0]
        return tuple(code for code, _ in freq.most_common(2))

    def fill(
        parties: list[str], size: int, sent_idx: int, s_mentions: list[Mention], allowed, subject_end: int = -1
    ) -> list[str]:
        """Complete a party list to ``size`` from the sentence's places, the previous sentence, then the lead pair."""
        out = list(parties)
        if size > 2:
            for run in coord:
                if len(run) == size and set(out) <= set(run):
                    return list(run)
                if len(run) == size - len(out) and not set(run) & set(out):
                    return out + list(run)
        if not out and (size in (0, 2) or size == len(fallback_main())):
            return list(fallback_main())
        target = max(size, 2)
        pools = [
            [m.code for m in s_mentions if m.location and not m.attribute and is_sovereign(m.code)]
            if len(out) == 1
            else [],
            # a later instrument of the sentence shares its subject: "Seoul signed X with A and has had Y with B"
            [m.code for m in s_mentions if m.eligible and m.start < subject_end] if len(out) == 1 else [],
            [m.code for m in by_sentence(sent_idx - 1) if m.eligible] if out else [],
            list(fallback_main()),
        ]
        for pool in pools:
            for code in pool:
                if len(out) >= target:
                    return out
                if code not in out and allowed(code):
                    out.append(code)
        return out

    index = PhraseIndex.build(text, lower)
    candidates = index.positions()
    for s_idx, (s_start, s_end, p_idx) in enumerate(sentences):
        if not candidates or bisect.bisect_left(candidates, s_start) == bisect.bisect_left(candidates, s_end):
            continue
        nps = find_noun_phrases(text, s_start, s_end, country_words, lower, index)
        if not nps:
            continue
        for i in range(len(nps) - 1):
            if nps[i].end > nps[i + 1].start > nps[i].head_end:
                nps[i].end = nps[i + 1].start
                nps[i].complement = text[nps[i].head_end : nps[i].end]
        for np in nps:
            if not np.relation and _ORDINAL_BEFORE.search(text[max(s_start, np.start - 20) : np.start]):
                np.ordinal = 1
        cues = find_cues(text, s_start, s_end, lower)
        dates = find_dates(text, published, start=s_start, end=s_end)
        s_mentions = by_sentence(s_idx)
        np_date_starts = frozenset(d.start for d in (_np_date(text, n, dates) for n in nps) if d)
        cue_ends = tuple(c.end - 1 for c in cues)
        # cues go to the nearest instrument phrase
        assigned: dict[int, list[Cue]] = {i: [] for i in range(len(nps))}
        for cue in cues:
            best_i, best_d = None, None
            for i, np in enumerate(nps):
                if np.start <= cue.start < np.end:
                    d = 0
                else:
                    d = min(abs(cue.start - np.end), abs(np.start - cue.end))
                    if cue.start >= np.end:
                        d += 1  # ties go to the phrase after the verb ("signed a treaty")
                if best_d is None or d < best_d:
                    best_i, best_d = i, d
            if (
                best_i is not None
                and best_d == 0
                and best_i + 1 < len(nps)
                and nps[best_i + 1].det == "indef"
                and not nps[best_i + 1].plural
                and nps[best_i].head_end <= cue.start
                and 0 <= nps[best_i + 1].start - cue.end <= 30
                and _VERB_OBJECT_GAP.fullmatch(text[cue.end : nps[best_i + 1].start])
            ):
                best_i += 1  # "signed a pact on Sunday and said they would launch talks on a trade deal"
            if best_i is not None and best_d is not None and best_d <= 160:
                assigned[best_i].append(cue)
        # split the sentence's phrases into units (one instrument each)
        units: list[list[int]] = []
        for i, np in enumerate(nps):
            if units and not _distinct(text, nps[units[-1][-1]], np):
                units[-1].append(i)
            else:
                units.append([i])
        region_start = s_start
        prev_evid: list[_Evidence] = []
        prev_container: _Instrument | None = None
        prev_parties: list[str] = []
        sent_scores_cache: Counter | None = None
        for u_idx, unit in enumerate(units):
            unit_nps = [nps[i] for i in unit]
            governed = [nps[i] for i in unit if assigned[i] and not nps[i].relation]
            lead = governed[0] if governed else next((n for n in unit_nps if not n.relation), unit_nps[0])
            head_low = " ".join(n.head.lower() for n in unit_nps)
            evid: list[_Evidence] = []
            for i in unit:
                np = nps[i]
                for status, strength, cue in _build_status(assigned[i], np, head_low):
                    if np.relation and cue.status == SIGNED and cue.strength < 2:
                        continue
                    date = _clause_date(
                        text,
                        dates,
                        s_start,
                        s_end,
                        cue.end - 1,
                        skip=np_date_starts,
                        other_cues=cue_ends,
                        clause_only=status == PROPOSED and strength < 2,
                    )
                    evid.append(_Evidence(status, strength, date, (cue.start, cue.end), s_idx))
                if np.relation:
                    verb = text[np.start : np.head_end].lower()
                    before = text[max(s_start, np.start - 40) : np.start]
                    realis = _RELATIONS_VERB.match(verb) and not _FUTURE_BEFORE.search(before)
                    intent = _INTENT_BEFORE.search(
                        before,
                    )
                    if not realis and not intent:
                        continue  # "had hoped to normalise relations": a wish, not an instrument
                    status = SIGNED if realis else PROPOSED
                    date = _clause_date(text, dates, s_start, s_end, np.start)
                    evid.append(_Evidence(status, 1, date, (np.start, np.head_end), s_idx))
            # weak heads need a close governing cue
            if all(n.weak for n in unit_nps if not n.relation) and not any(n.relation for n in unit_nps):
                evid = [
                    e
                    for e in evid
                    if min(abs(e.span[0] - lead.head_end), abs(lead.start - e.span[1])) <= 60
                    or lead.start <= e.span[0] < lead.end
                ]
            if _NO_SUCH.search(text[max(s_start, lead.head_start - 12) : lead.head_start]):
                denials.append(s_idx)
                continue
            if lead.det == "neg":
                continue  # "no intergovernmental agreement is planned", "any agreements"
            np_dates = [d for d in (_np_date(text, n, dates) for n in unit_nps) if d]
            coordinated = u_idx > 0 and bool(
                _LIST_CONTINUATION.search(
                    text[nps[units[u_idx - 1][-1]].head_end : lead.start],
                )
                or lead.elliptic
                or prev_container is not None
            )
            if not evid and coordinated and prev_evid:
                # "signed a trade pact with A in 1959 and a water pact with B in 1929": the phrase's own date wins
                next_lo = nps[units[u_idx + 1][0]].start if u_idx + 1 < len(units) else s_end
                own_date = next(
                    (d for d in dates if lead.head_end <= d.start < next_lo and not d.future and d not in np_dates),
                    None,
                )
                evid = [
                    _Evidence(e.status, e.strength, None if np_dates else (own_date or e.date), e.span, e.sentence)
                    for e in prev_evid
                ]
            if np_dates and not any(e.date for e in evid):
                evid.append(_Evidence(SIGNED, 2, np_dates[0], (np_dates[0].start, np_dates[0].end), s_idx))
            if not evid and lead.det in ("indef", "") and not lead.weak:
                bg = _background_date(text, dates, s_start, s_end)
                if bg is not None:
                    evid.append(_Evidence(SIGNED, 2, bg, (bg.start, bg.end), s_idx))
            unit_end = max(n.end for n in unit_nps)
            unit_start = min(n.start for n in unit_nps)
            individuated = any(n.elliptic or n.additional or n.ordinal for n in unit_nps)
            local_scores: Counter = Counter()
            if evid or lead.det == "indef" or individuated:
                local_scores = classify.keyword_scores(
                    " ".join(" ".join(n.modifiers) + " " + n.head + " " + n.complement for n in unit_nps), 3.0
                )

            def sentence_scores(lo: int = s_start, hi: int = s_end) -> Counter:
                nonlocal sent_scores_cache
                if sent_scores_cache is None:  # only instruments that are created need their sentence's words
                    sent_scores_cache = classify.keyword_scores(text[lo:hi], 1.0)
                return sent_scores_cache

            name = next((n.name for n in unit_nps if n.name and not n.known_as), None)
            alias = next((n.name for n in unit_nps if n.name and n.known_as), None)
            is_relation = all(n.relation for n in unit_nps)
            new_by_relative = any(
                _RELATIVE_NEW.match(text[n.head_end : n.head_end + 90]) for n in unit_nps if n.det in ("def", "poss")
            )
            individuated = any(n.elliptic or n.additional or n.ordinal for n in unit_nps)
            definite = lead.det in ("def", "poss", "all", "neg") and not individuated
            # the instrument's earliest dated step places it in time ("the 1987 treaty ... collapsed in 2019")
            unit_year = min((int(d.value[:4]) for d in [*(e.date for e in evid if e.date), *np_dates]), default=None)

            def allowed(code: str, year: int | None = unit_year) -> bool:
                rng = former_range(code)
                return not (rng and year is not None and year > rng[1])

            # --- parties
            comp_abs = lead.head_end
            comp = text[comp_abs:unit_end]
            invalid = nonstate = False
            parties: list[str] = []
            between = _BETWEEN_PARTIES.search(
                text[comp_abs : min(s_end, unit_end + 60)],
            )
            if between and " and " in between.group(1):
                b_lo, b_hi = comp_abs + between.start(1), comp_abs + between.end(1)
                parties = [c for c in _eligible_codes(s_mentions, b_lo, b_hi) if allowed(c)]
                size = collective_size(between.group(1))
                if size and size > 2:
                    parties = fill(parties, size + len(parties), s_idx, s_mentions, allowed)
                elif size == 2 and len(parties) < 2:
                    parties = fill(parties, 2, s_idx, s_mentions, allowed)
                if len(parties) < 2 and _NONSTATE.search(between.group(1)):
                    invalid = True
            explicit = len(parties) >= 2
            if not parties:
                parties = [
                    m.code
                    for m in s_mentions
                    if region_start <= m.start < unit_end
                    and m.eligible
                    and allowed(m.code)
                    and not (
                        _SIDE_CLAUSE.search(" ".join(text[max(s_start, m.start - 50) : m.start].split()[-5:]))
                        and not (
                            clause_bounds(text, s_start, s_end, m.start)[0]
                            <= lead.head_start
                            < clause_bounds(text, s_start, s_end, m.start)[1]
                        )
                    )
                ]
                parties = list(dict.fromkeys(parties))
                if len(parties) >= 3:
                    # "Tanzania, which is building a link to the Kenyan grid, is to sign a deal with Addis Ababa"
                    asides = [m.span() for m in _ASIDE.finditer(text, region_start, unit_end)]
                    inside = {m.code for m in s_mentions if any(a <= m.start < b for a, b in asides)}
                    kept = [c for c in parties if c not in inside]
                    if len(kept) >= 2:
                        parties = kept
                region_count = len(parties)
                withm = _NEAR_WITH_PARTNER.match(comp)
                if (
                    withm
                    and not _eligible_codes(s_mentions, comp_abs + withm.start(1), comp_abs + withm.end(1))
                    and (_NONSTATE.search(withm.group(1)) or not _FRIENDLY.search(withm.group(1)))
                    and len(parties) < 2
                ):
                    invalid = True
                if lead.det == "poss" and _NONSTATE.search(text[max(s_start, lead.start - 50) : lead.head_start]):
                    invalid = True
                if region_count < 2 and _COMPANY_SIGNER.search(text[region_start : lead.start]):
                    invalid = True
                if region_count < 2 and _ORG_SUBJECT.search(text[region_start : lead.start]):
                    invalid = True  # "ASEAN, which has been negotiating a code of conduct ..."
                with_np = (
                    _WITH_NP.search(text, lead.head_end, min(s_end, lead.head_end + 120)) if region_count < 2 else None
                )
                signer_clause = _SIGNED_BY.match(text, lead.head_end, min(s_end, lead.head_end + 120))
                if region_count < 2 and _NONSTATE_SIGNER.search(
                    text[max(region_start, lead.start - 120) : lead.start]
                    + " "
                    + comp[:100]
                    + " "
                    + (with_np.group(0) if with_np else "")
                    + " "
                    + (signer_clause.group(0) if signer_clause else "")
                ):
                    invalid = nonstate = True  # "Quebec's premier and the French president signed", "with Somaliland"
                elif _NONSTATE_SUBJECT.match(text, lead.head_end, min(s_end, lead.head_end + 80)):
                    invalid = nonstate = True  # "two agreements that the state of Victoria had signed with China"
                explicit = len(parties) >= 2
                size = collective_size(text[region_start:s_end])
                if size is not None and region_count == 0 and main_set and len(main_set[0]) == max(size, 2):
                    parties = list(main_set[0])  # "the two countries" = the pair the story is about
                later_elliptic = next(
                    (nps[u[0]].start for u in units[u_idx + 1 :] if any(nps[i].elliptic for i in u)), s_end
                )
                if len(parties) < 2 and (definite or region_count > 0):
                    for m in s_mentions:
                        c = m.code
                        if not m.eligible or c in parties or not allowed(c):
                            continue
                        if region_start > s_start and m.start < region_start:
                            continue
                        if m.start >= later_elliptic:
                            continue  # "signed one with A and agreed on one with B": B is the second one's partner
                        if _SIDE_CLAUSE.search(text[clause_bounds(text, s_start, s_end, m.start)[0] : m.start]):
                            continue
                        if m.start >= unit_end and (
                            _NEXT_CLAUSE.search(text[unit_end : m.start])
                            or (parties and _RELATIVE_AFTER.search(text[unit_end : m.start]))
                        ):
                            continue  # "A pact with Pakistan took effect, and Beijing is negotiating with Peru"
                        parties.append(c)
                if (size is not None and size > len(parties)) or (size == 0 and not parties):
                    parties = fill(parties, size or 0, s_idx, s_mentions, allowed)
            if (
                not invalid
                and len(parties) < 2
                and (
                    parties
                    or (main_set and (definite or lead.det in ("indef", "", "count", "all") or is_relation))
                    # "the Anti-Ballistic Missile Treaty, signed by Nixon and Brezhnev": a named, signed treaty with
                    # no state in view belongs to the pair the article is about
                    or (name and evid and not name.isupper() and len(freq) >= 2)
                )
            ):
                parties = fill(parties, 2, s_idx, s_mentions, allowed, nps[0].start if u_idx > 0 else -1)
            elliptic_partner = (
                _eligible_codes(s_mentions, lead.head_end, lead.head_end + 40)
                if lead.elliptic and lead.complement.lstrip().startswith("with")
                else []
            )
            if not elliptic_partner and coordinated and prev_parties and not explicit:
                # "relied on a 1959 agreement with Sudan, and on an earlier 1929 agreement concluded with Britain"
                own_with = _OWN_WITH.match(comp)
                if own_with:
                    elliptic_partner = [
                        c
                        for c in _eligible_codes(s_mentions, comp_abs + own_with.start(1), comp_abs + own_with.end(1))
                        if allowed(c)
                    ]
            if len(elliptic_partner) == 1 and prev_parties and elliptic_partner[0] not in prev_parties:
                # "Peru's pact with Washington ..., and one with Panama": the story's main state keeps its place
                # ties go to the subject, not the previous instrument's own "with" partner
                prev_partners = (
                    set(_eligible_codes(s_mentions, nps[units[u_idx - 1][0]].head_end, lead.start)) if u_idx else set()
                )
                keep = max(prev_parties, key=lambda c: (freq[c], c not in prev_partners))
                parties = [keep, elliptic_partner[0]]
            elif (
                coordinated
                and prev_parties
                and not explicit
                and (
                    len(parties) < 3
                    # "signed separate memorandums: one on flights and one on visas": the members keep the list's
                    # signers, not the story's lead instrument's
                    or (lead.elliptic and not _eligible_codes(s_mentions, region_start, unit_end))
                )
            ):
                parties = list(prev_parties)
            if evid:
                region_start = unit_end
                prev_parties = list(parties)
            # distribution: "Australia signed free trade agreements with South Korea and Japan"
            distribute: list[tuple[str, ...]] = []
            withm2 = _WITH_PARTNERS.search(comp)
            # a later instrument phrase of the sentence takes its own "with" partners
            seg_hi = nps[units[u_idx + 1][0]].start if u_idx + 1 < len(units) else s_end
            segments = (
                _with_segments(text, lead.head_end, seg_hi)
                if lead.det != "count" and not lead.relation and text.count(" with ", lead.head_end, seg_hi) >= 2
                else []
            )
            seg_dates: dict[tuple[str, ...], DateMention] = {}
            if len(segments) >= 2:
                # "signed similar agreements with Egypt in 2003 and with Lebanon in 2007": one per partner
                seg_partners = [_eligible_codes(s_mentions, lo, hi) for lo, hi, _ in segments]
                subject = [
                    c
                    for c in _eligible_codes(s_mentions, s_start, segments[0][0])
                    if not any(c in p for p in seg_partners)
                ]
                if len(subject) == 1 and all(len(p) == 1 for p in seg_partners):
                    for (lo, _, d_hi), partner in zip(segments, seg_partners, strict=True):
                        spec = tuple(sorted((subject[0], partner[0])))
                        distribute.append(spec)
                        own = [d for d in dates if lo <= d.start < d_hi and not d.future]
                        if own:
                            seg_dates[spec] = own[0]
            if distribute:
                pass
            elif lead.plural and lead.det != "count" and withm2:
                w_lo = comp_abs + withm2.start(1)
                partners = _eligible_codes(s_mentions, w_lo, w_lo + len(withm2.group(1)))
                subject = [c for c in _eligible_codes(s_mentions, s_start, w_lo) if c not in partners]
                if len(partners) >= 2 and len(subject) == 1:
                    distribute = [tuple(sorted((subject[0], p))) for p in partners]
                elif len(partners) == 1 and len(subject) >= 2:
                    distribute = [tuple(sorted((partners[0], p))) for p in subject]
            elif is_relation and evid:
                # "The UAE and Bahrain established formal ties with Israel": one relation per subject state
                rel_with = _WITH_PARTNERS.match(text, lead.head_end + 1, min(s_end, lead.head_end + 90))
                if rel_with and text[lead.head_end : lead.head_end + 1] == " ":
                    w_lo = rel_with.start(1)
                    partners = _eligible_codes(s_mentions, w_lo, rel_with.end(1))
                    subject = [c for c in _eligible_codes(s_mentions, s_start, lead.start) if c not in partners]
                    with_before = _WITH_PARTNERS.search(text, s_start, lead.start)
                    if len(partners) == 1 and len(subject) >= 2 and not with_before:
                        distribute = [tuple(sorted((partners[0], p))) for p in subject]
                        parties = sorted({partners[0], *subject})
            if not distribute and lead.plural and lead.det in ("", "indef") and len(parties) >= 3 and evid:
                # "Ethiopia already sells electricity to Djibouti and Sudan under older accords": one per partner
                ordered = [m.code for m in s_mentions if m.code in parties and m.eligible]
                rest = list(dict.fromkeys(c for c in ordered if c != ordered[0]))
                if any(set(run) == set(rest) and ordered[0] not in run for run in coord):
                    distribute = [tuple(sorted((ordered[0], p))) for p in rest]
            local_codes = {m.code for m in s_mentions if lead.start <= m.start < unit_end and m.eligible}
            # --- attach or create
            if not evid:
                target = None
                if name:
                    target = next(
                        (x for x in reversed(instruments) if x.name and _name_key(x.name) == _name_key(name)), None
                    )
                last = instruments[-1] if instruments else None
                opens_member = (individuated or lead.det == "indef") and not lead.weak
                group = next((x for x in reversed(instruments) if x.group or x.container), None)
                if (
                    target is None
                    and opens_member
                    and group is not None
                    and (group is last or individuated)
                    and s_idx - group.sentence <= 5
                ):
                    last = group
                    member = _Instrument(
                        sentence=s_idx,
                        paragraph=p_idx,
                        nps=unit_nps,
                        parties=last.parties,
                        party_span=last.party_span,
                        scores=local_scores + sentence_scores(),
                        type_span=(unit_start, unit_end),
                        name=name,
                        member=True,
                        additional=any(n.additional for n in unit_nps),
                        sentences={s_idx},
                        position=unit_start,
                        evidence=[_Evidence(e.status, e.strength, e.date, e.span, e.sentence) for e in last.evidence],
                    )
                    instruments.append(member)
                    prev_evid = []
                    continue
                if target is None and definite and last is not None and not name:
                    target = last
                if target is not None:
                    target.scores.update({k: v * 0.5 for k, v in local_scores.items()})
                    if alias and not target.name:
                        target.name = alias
                prev_evid = []
                continue
            target = None
            if name:
                target = next(
                    (x for x in reversed(instruments) if x.name and _name_key(x.name) == _name_key(name)), None
                )
            if (
                target is None
                and not individuated
                and not new_by_relative
                and not distribute
                and (definite or (lead.det == "" and not lead.plural and not name) or is_relation)
            ):
                unit_kind: str | None = None
                for cand in reversed(instruments):
                    if cand.invalid:
                        if (
                            cand.nonstate
                            and definite
                            and not explicit
                            and not name
                            and s_idx - cand.sentence <= 3
                            and cand is instruments[-1]
                        ):
                            target = cand  # "the treaties" of an instrument with a non-state counterpart stay void
                            break
                        continue
                    if name and cand.name:
                        continue
                    # "The five leaders signed a convention on Sunday. Putin of Russia, ... put their signatures
                    # to the document": the anaphor names the parties the first mention left to guesswork
                    regroup = (
                        (explicit and not cand.explicit_parties and len(parties) >= len(cand.parties))
                        or (len(cand.parties) < 2 and len(set(parties)) >= 2 and bool(evid) and not invalid)
                    ) and s_idx - max(cand.sentences) <= 1
                    if explicit and set(parties) != set(cand.parties) and not regroup:
                        continue
                    if local_codes - set(cand.parties) and not regroup:
                        continue
                    if any(
                        e.status == f.status
                        and (
                            (e.strength >= 2 and f.strength >= 2)
                            or (e.status == SIGNED and max(e.strength, f.strength) >= 2)
                        )
                        and e.date
                        and f.date
                        and e.date.value[:4] != f.date.value[:4]
                        for e in evid
                        for f in cand.evidence
                    ):
                        continue
                    if is_relation and set(parties) != set(cand.parties):
                        continue
                    if unit_kind is None:
                        unit_kind = _np_kind(unit_nps)
                    if unit_kind and unit_kind != (cand_kind := _np_kind(cand.nps)) and cand_kind:
                        continue  # "the free trade agreement" after a security declaration: another instrument
                    target = cand
                    break
            prev_evid = evid
            if target is not None:
                if explicit and not target.explicit_parties and set(parties) != set(target.parties):
                    target.parties = tuple(sorted(set(parties)))
                    target.explicit_parties = True
                elif len(target.parties) < 2 and len(set(parties)) >= 2 and evid and not invalid:
                    target.parties = tuple(sorted(set(parties)))  # "A treaty ... took effect. It was signed by A, B, C"
                target.evidence += evid
                target.scores += local_scores
                target.sentences.add(s_idx)
                if name and not target.name:
                    target.name = name
                if lead.det == "all":
                    target.quant_all = True
                continue
            container = (
                lead.det == "count"
                and (lead.count or 0) >= 2
                and bool(
                    _COLON_LIST_LEAD.match(text[lead.head_end : s_end])
                    or _ONE_THE_OTHER.match(text, lead.head_end, s_end)
                )
            ) or bool(lead.plural and lead.det == "" and _LIST_OPENS.match(text, lead.head_end, s_end))
            specs = distribute or [tuple(parties)]
            topics = (
                _topic_list(text, lead.head_end, s_end, country_words)
                if lead.plural
                and not distribute
                and not container
                and evid
                and lead.det in ("", "indef", "def", "count")
                else []
            )
            if topics and lead.det == "count" and lead.count != len(topics):
                topics = []  # "17 accords on trade, energy and culture": a group named collectively
            if topics:
                # "accords on trade, tourism and health": one instrument per listed domain
                sent = sentence_scores()
                for topic in topics:
                    topic_scores = classify.keyword_scores(topic, 3.0)
                    instruments.append(
                        _Instrument(
                            sentence=s_idx,
                            paragraph=p_idx,
                            nps=unit_nps,
                            parties=tuple(sorted(set(parties))),
                            party_span=(s_start, s_end),
                            evidence=list(evid),
                            scores=(topic_scores + sent) if topic_scores else (local_scores + sent),
                            type_span=(unit_start, unit_end),
                            member=True,
                            sentences={s_idx},
                            explicit_parties=explicit,
                            position=unit_start,
                            year_hint=unit_year,
                            invalid=invalid,
                            nonstate=nonstate,
                        )
                    )
                    if len(parties) >= 2 and not invalid and not main_set:
                        main_set.append(tuple(sorted(set(parties))))
                prev_container = None
                continue
            for spec in specs:
                spec_evid = list(evid)
                if spec in seg_dates:
                    spec_evid = [_Evidence(e.status, e.strength, seg_dates[spec], e.span, e.sentence) for e in evid]
                inst = _Instrument(
                    sentence=s_idx,
                    paragraph=p_idx,
                    nps=unit_nps,
                    parties=tuple(sorted(set(spec))),
                    party_span=(s_start, s_end),
                    evidence=spec_evid,
                    scores=local_scores + sentence_scores(),
                    type_span=(unit_start, unit_end),
                    name=name or alias,
                    group=lead.plural and not distribute,
                    container=container,
                    count=lead.count,
                    quant_all=lead.det == "all",
                    member=individuated or (lead.det in ("indef", "") and not lead.plural),
                    additional=any(n.additional for n in unit_nps),
                    definite_group=lead.plural and lead.det in ("def", "poss"),
                    relation=is_relation,
                    invalid=invalid,
                    nonstate=nonstate,
                    sentences={s_idx},
                    explicit_parties=explicit,
                    position=unit_start,
                    year_hint=unit_year,
                )
                instruments.append(inst)
                if len(inst.parties) >= 2 and not inst.invalid and not main_set:
                    main_set.append(inst.parties)
            prev_container = instruments[-1] if container else None

    for s_idx, (s_start, s_end, _) in enumerate(sentences):
        if " it" not in text[s_start:s_end]:
            continue
        for hit in _IT_TERMINATED.finditer(text, s_start, s_end):
            named = [
                x
                for x in instruments
                if not x.invalid
                and x.evidence
                and x.name
                and max(x.sentences) in (s_idx - 1, s_idx)
                and x.position < hit.start()
            ]
            if named:
                dates = find_dates(text, published, start=s_start, end=s_end)
                date = _clause_date(text, dates, s_start, s_end, hit.end() - 1)
                named[-1].evidence.append(_Evidence(TERMINATED, 2, date, hit.span(), s_idx))
    for inst in instruments:
        if (
            denials
            and inst.evidence
            and all(e.status == PROPOSED for e in inst.evidence)
            and any(abs(d - s) <= 2 for d in denials for s in inst.sentences)
        ):
            inst.invalid = True
    instruments = _resolve_groups(instruments, sentences)
    lead_date = None
    if sentences and published is not None:
        lead_date = next(
            (d for d in find_dates(text, published, start=sentences[0][0], end=sentences[0][1]) if d.precision == DAY),
            None,
        )
    return _finalise(text, instruments, mentions, sentences, published, article_scores, lead_date)


def _resolve_groups(instruments: list[_Instrument], sentences: list[tuple[int, int, int]]) -> list[_Instrument]:
    live = [x for x in instruments if not x.invalid]
    # relation statements fold into the instrument that restores relations
    for rel in [x for x in live if x.relation]:
        for other in live:
            if other is rel or other.absorbed or set(other.parties) != set(rel.parties):
                continue
            if (other.relation and other.sentence < rel.sentence) or (
                not other.relation and abs(other.sentence - rel.sentence) <= 2
            ):
                other.evidence += rel.evidence
                other.scores["diplomatic"] += 3
                rel.absorbed = True
                break
    live = [x for x in live if not x.absorbed]
    # groups dissolve into the members the text then describes one by one
    ordered = sorted(live, key=lambda x: x.position)
    for grp in ordered:
        if not (grp.group or grp.container) or grp.absorbed or grp.quant_all:
            continue
        later = [
            x
            for x in ordered
            if x.position > grp.position
            and not x.absorbed
            and set(x.parties) == set(grp.parties)
            and x.sentence - grp.sentence <= 2
        ]
        if grp.definite_group:
            members = [x for x in later if not x.definite_group]
        else:
            members = [x for x in later if x.member and (x.sentence > grp.sentence or grp.container)]
            if grp.container:
                members += [x for x in later if x.sentence == grp.sentence and x not in members]
        if not members:
            continue
        members.sort(key=lambda x: x.position)
        if grp.container or grp.definite_group or grp.count or not members[0].additional:
            for m in members:
                m.evidence += [_Evidence(e.status, e.strength, e.date, e.span, e.sentence) for e in grp.evidence]
                if not m.scores:
                    m.scores += grp.scores
            grp.absorbed = True
    live = [x for x in live if not x.absorbed]
    # "all its non-aggression agreements": one entry absorbs the same pair's background accords
    for grp in [x for x in live if x.quant_all]:
        for other in live:
            if other is grp or other.absorbed or other.quant_all or set(other.parties) != set(grp.parties):
                continue
            if max((RANK[e.status] for e in other.evidence), default=0) <= RANK[SIGNED] and any(
                e.date and e.date.precision == "year" for e in other.evidence
            ):
                grp.evidence += other.evidence
                other.absorbed = True
    return [x for x in live if not x.absorbed]


_KNOWN_NAME_RES = [
    (re.compile(rf"(?<![\w-]){re.escape(known)}(?![\w-])"), type_) for known, type_ in KNOWN_NAMES.items()
]
_STRONGER = {PROPOSED: 0, SIGNED: 1, IN_FORCE: 2, TERMINATED: 3}
# Continuing states: the Soviet Union's treaties are Russia's after 1991, and Russia before 1992 was the USSR.
SUCCESSOR = {
    "SUN": "RUS",
    "YUG": "SRB",
    "SCG": "SRB",
    "DDR": "DEU",
    "ZAR": "COD",
    "DHY": "BEN",
    "RHO": "ZWE",
    "YMD": "YEM",
    "VDR": "VNM",
}
PREDECESSOR = {"RUS": "SUN", "COD": "ZAR", "BEN": "DHY"}


# "Ottawa is also negotiating with Japan and India." after a story about one of Ottawa's trade deals: the same kind
# of instrument is under negotiation with each listed state. The whole sentence must be subject, verb and the list.
_NEGOTIATING_WITH = re.compile(
    r"^(?P<subj>[A-Z][\w.'’ -]{1,40}?)\s+(?:is|are|has been|have been)\s+(?:also\s+|now\s+|still\s+)?"
    r"(?:negotiating|in (?:talks|negotiations))\s+(?:similar (?:deals|pacts|agreements|accords)\s+)?"
    r"with\s+(?P<list>[^.;:]{2,120}?)(?:\s+as well|\s+too)?\.?$"
)
_CLAUSE_JOIN = re.compile(r"(?:,\s+(?:and|while|but|whereas)\s+|;\s+)(?=[A-Z])")
_LIST_GLUE = re.compile(r"^(?:\s*,\s*(?:and\s+)?|\s+and\s+)(?:the\s+)?$")


def _negotiating_with(
    text: str, results: list[CandidateAgreement], mentions: list[Mention], sentences: list[tuple[int, int, int]]
) -> list[CandidateAgreement]:
    out: list[CandidateAgreement] = []
    if not results:
        return out
    for idx, (s_start, s_end, _) in enumerate(sentences):
        raw = text[s_start:s_end].strip()
        if "negotiat" not in raw and "talks" not in raw:
            continue
        # the sentence or its last clause: "A pact with Pakistan took effect, and Beijing is negotiating with ..."
        lead = s_start + (len(text[s_start:s_end]) - len(text[s_start:s_end].lstrip()))
        m = _NEGOTIATING_WITH.match(raw)
        offset = lead
        if m is None:
            for c in _CLAUSE_JOIN.finditer(raw):
                m = _NEGOTIATING_WITH.match(raw[c.end() :])
                if m is not None:
                    offset = lead + c.end()
                    raw = raw[c.end() :]
                    break
        if m is None:
            continue
        in_sent = [x for x in mentions if x.sentence == idx and not x.excluded and not x.attribute]
        subj = [x for x in in_sent if 0 <= x.start - offset < m.end("subj")]
        listed = [x for x in in_sent if x.start - offset >= m.start("list")]
        if len(subj) != 1 or subj[0].start - offset != 0 or subj[0].end - offset != m.end("subj") or not listed:
            continue
        # the list holds nothing but state names
        pos = offset + m.start("list")
        if text[pos : listed[0].start].strip() not in ("", "the"):
            continue
        if not all(_LIST_GLUE.match(text[a.end : b.start]) for a, b in itertools.pairwise(listed)):
            continue
        if text[listed[-1].end : offset + m.end("list")].strip():
            continue
        code = subj[0].code
        prior = [r for r in results if code in r.parties and r.evidence.start < s_start]
        if not prior or not is_sovereign(code):
            continue
        types = prior[-1].types
        ev = Span(offset, offset + len(raw), raw)
        for partner in dict.fromkeys(x.code for x in listed):
            if partner == code or not is_sovereign(partner):
                continue
            pair = tuple(sorted((code, partner)))
            if any(r.parties == pair and r.status == PROPOSED for r in (*results, *out)):
                continue
            out.append(
                CandidateAgreement(
                    parties=pair,
                    types=types,
                    status=PROPOSED,
                    date=None,
                    date_precision=None,
                    confidence=0.5,
                    evidence=ev,
                    field_evidence=MappingProxyType({"parties": ev, "status": ev}),
                )
            )
    return out


def _finalise(
    text: str,
    instruments: list[_Instrument],
    mentions: list[Mention],
    sentences: list[tuple[int, int, int]],
    published: dt.date | None,
    article_scores: _LazyScores,
    lead_date: DateMention | None = None,
) -> Extraction:
    results: list[CandidateAgreement] = []
    previous_dated: list[tuple[_Instrument, _Evidence]] = []
    for inst in instruments:
        if not inst.evidence:
            continue
        status = max((e.status for e in inst.evidence), key=lambda s: RANK[s])
        of_status = [e for e in inst.evidence if e.status == status]
        dated = sorted((e for e in of_status if e.date), key=lambda e: (-e.strength, e.sentence, e.span[0]))
        chosen = dated[0] if dated else of_status[0]
        date = chosen.date
        if date is None and status in (SIGNED, PROPOSED):
            lower = sorted(
                (
                    e
                    for e in inst.evidence
                    if e.date and RANK[e.status] <= RANK[status] and e.date.precision in (DAY, MONTH)
                ),
                key=lambda e: (e.sentence, e.span[0]),
            )
            if lower:
                date = lower[0].date
        if date is None and status in (SIGNED, PROPOSED) and previous_dated:
            prev_inst, prev_ev = previous_dated[-1]
            no_year = not any(e.date for e in inst.evidence)
            same_para = prev_inst.paragraph == inst.paragraph or abs(prev_ev.sentence - inst.sentence) <= 1
            same_parties = set(prev_inst.parties) == set(inst.parties)
            if (
                no_year
                and same_parties
                and prev_ev.date
                and prev_ev.date.precision == DAY
                and (status == SIGNED or same_para)
            ):
                date = prev_ev.date
        parties = list(inst.parties)
        # the state that signed: judged by the instrument's earliest dated step, not its latest status
        years = [int(e.date.value[:4]) for e in inst.evidence if e.date]
        if inst.year_hint is not None:
            years.append(inst.year_hint)
        year = min(years) if years else (int(date.value[:4]) if date else None)
        fixed: list[str] = []
        for code in parties:
            rng = former_range(code)
            if rng and year is not None and year > rng[1]:
                code = SUCCESSOR.get(code, "")
            elif rng and year is None:
                code = ""  # a former state with no date to place it in time
            elif year is not None and code in PREDECESSOR and year <= former_range(PREDECESSOR[code])[1]:
                code = PREDECESSOR[code]
            if code:
                fixed.append(code)
        parties = sorted(set(fixed))
        if len(parties) < 2 or not all(is_sovereign(p) or former_range(p) for p in parties):
            continue
        if (
            date is None
            and status == SIGNED
            and lead_date is not None
            and not lead_date.future
            and not inst.group
            and inst.year_hint is None
            and not any(e.date for e in inst.evidence)
            and min(inst.sentences) <= 4
        ):
            # wire copy dates the day's signing once, in the lede; later sentences describe the same event
            date = lead_date
        scores = Counter(inst.scores)
        if not scores:
            scores = Counter(article_scores.get())
        elif max(scores.values()) < 2.5:
            scores += article_scores.get()
        if inst.name:
            for known_re, type_ in _KNOWN_NAME_RES:
                if known_re.search(inst.name):
                    scores[type_] += 6.0  # a named instrument's domain is general knowledge
                    break
        types = classify.rank(scores)
        s_start, s_end, _ = sentences[chosen.sentence]
        raw_sentence = text[s_start:s_end]
        ev_start = s_start + len(raw_sentence) - len(raw_sentence.lstrip())
        ev_end = s_start + len(raw_sentence.rstrip())
        ev_span = Span(ev_start, ev_end, text[ev_start:ev_end])
        fe = {
            "parties": Span(inst.party_span[0], inst.party_span[1], text[inst.party_span[0] : inst.party_span[1]]),
            "type": Span(inst.type_span[0], inst.type_span[1], text[inst.type_span[0] : inst.type_span[1]]),
            "status": Span(chosen.span[0], chosen.span[1], text[chosen.span[0] : chosen.span[1]]),
        }
        if date is not None:
            fe["date"] = Span(date.start, date.end, date.text)
        confidence = 0.45
        confidence += 0.2 if chosen.strength >= 2 else 0.05
        confidence += 0.1 if date is not None else 0.0
        confidence += 0.15 if inst.explicit_parties else 0.0
        confidence += 0.05 if inst.name else 0.0
        results.append(
            CandidateAgreement(
                parties=tuple(parties),
                types=types,
                status=status,
                date=date.value if date else None,
                date_precision=date.precision if date else None,
                confidence=round(min(confidence, 0.95), 2),
                evidence=ev_span,
                name=inst.name,
                field_evidence=MappingProxyType(fe),
            )
        )
        if date is not None and date.precision == DAY:
            previous_dated.append((inst, _Evidence(status, 1, date, chosen.span, chosen.sentence)))
    results.extend(_negotiating_with(text, results, mentions, sentences))
    party_codes = {p for a in results for p in a.parties}
    evidence_sentences = {i for i, (a, b, _) in enumerate(sentences) for r in results if a <= r.evidence.start < b}
    out_mentions: list[CountryMention] = []
    hosts = set()
    for m in mentions:
        if m.sentence in evidence_sentences and m.code not in party_codes:
            s_start, s_end, _ = sentences[m.sentence]
            lo, hi = clause_bounds(text, s_start, s_end, m.start)
            if HOST_WORDS.search(text[lo:hi]):
                hosts.add(m.code)
    third = {m.code for m in mentions if m.sentence in evidence_sentences and m.code not in party_codes}
    for m in mentions:
        if m.code in party_codes:
            role = "party"
        elif m.code in hosts:
            role = "host_or_mediator"
        elif m.code in third:
            role = "third_party"
        else:
            role = "mentioned"
        out_mentions.append(CountryMention(m.code, Span(m.start, m.end, m.text), m.kind, role))
    return Extraction(agreements=tuple(results), mentions=tuple(out_mentions))
