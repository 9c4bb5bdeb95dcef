"""Instrument noun phrases: heads, determiners, modifiers, names, relation phrases and elliptic "one".

Everything here works on one sentence at a time and returns character offsets into
the full article text, so evidence spans can be shown to a reviewer unchanged.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import NamedTuple

from . import lexicon
from .dates import DAY, MONTH, DateMention
from .document import normalised

# Inline patterns hoisted so each is compiled once, not looked up in re's cache per call.
_OF_PROPER_NAME = re.compile(r"\s+of\s+((?:[A-Z][\w'’-]+)(?:\s+[A-Z][\w'’-]+)*)")
_WITHOUT_BEFORE = re.compile(r"\bwithout\s+(?:a|an|any)\s+(?:\w+\s+){0,2}$")
_CLAUSE_BREAK = re.compile(r"[,;:()—–!?]|\.(?=\s|$)|\s(?:which|that|who|when|after|before|under which|while|because)\s")
_INSTRUMENT_NOUN_NEXT = re.compile(r"\s+(?:treaty|agreement|accord|pact)")
_STRONG_CLAUSE_BREAK = re.compile(r"[;:()—–!?]|\.(?=\s|$)|,\s+and\s|;\s")
_WORDLIKE = re.compile(r"[\w$£€]")
_NUMBER = re.compile(r"\d[\d,.]*")
_TO_NEXT = re.compile(r"\s+to\b")
_UNDERSTANDING_QUALIFIER = re.compile(r"\b(?:mutual|better|greater|common|of|an?\s+\w+)\s+$")
_KNOWN_AS_BEFORE = re.compile(r"\b(?:known as|called|dubbed|so-called|nicknamed)\s+(?:an?\s+|the\s+)?[“\"]?\s*$")
_YEAR = re.compile(r"(?:19|20)\d\d")
_VERB_CONTEXT_BEFORE = re.compile(r"\b(?:to|will|would|can|could|must|should|also|one|which|it)\s+$")
_ARTICLE_BEFORE = re.compile(r"\b(?:a|an|the|its|their)\s+(?:\w+\s+){0,2}$")
_FINANCE_BEFORE = re.compile(r"\b(?:aid|assistance|economic|financial|loan|investment|cooperation|rescue|bailout)\s+$")
_DETERMINER_BEFORE = re.compile(r"\b(?:a|an|the)\s+(?:\w+\s+){0,3}$")

_INSTRUMENTS = lexicon.load("instruments")


class HeadForm(NamedTuple):
    group: bool  # names a group of instruments ("the agreements", "a package of accords")
    counted: bool  # still a group after an indefinite determiner ("several agreements")
    weak: bool  # names an instrument only when a status verb governs it closely


def _head_forms() -> dict[str, HeadForm]:
    forms: dict[str, HeadForm] = {}
    for row in _INSTRUMENTS["heads"]:
        collective, counted, weak = row.get("collective", False), row.get("counted", False), row.get("weak", False)
        for form in row.get("forms", []):
            forms[form] = HeadForm(collective, collective and counted, weak)
        for form in row.get("plural", []):
            forms[form] = HeadForm(True, counted, weak)
    return forms


HEAD_FORMS = _head_forms()
HEAD = re.compile(r"\b(?:" + lexicon.alternation(HEAD_FORMS) + r")\b", re.I)
# The same pattern without re.I, run on a lower-cased copy of the text: much faster than re.I.
# The lookahead on the possible first letters lets the engine skip most positions without entering the alternation.
_HEAD_LOWER = re.compile(lexicon.first_letters(HEAD_FORMS) + HEAD.pattern)
WEAK_HEADS = frozenset(form for form, head in HEAD_FORMS.items() if head.weak)

# Well-known instruments referred to by acronym or short name alone, and their domain.
KNOWN_NAMES: dict[str, str] = {name: row["type"] for name, row in _INSTRUMENTS["known"].items()}
_KNOWN_RE = re.compile(
    lexicon.first_letters(KNOWN_NAMES) + r"(?<![\w-])(?:" + lexicon.alternation(KNOWN_NAMES, space=" ") + r")(?![\w-])"
)

DETERMINERS = {
    "a": "indef",
    "an": "indef",
    "another": "indef",
    "one": "indef",
    "the": "def",
    "this": "def",
    "that": "def",
    "these": "def",
    "those": "def",
    "its": "def",
    "their": "def",
    "his": "def",
    "her": "def",
    "our": "def",
    "your": "def",
    "whatever": "def",
    "which": "def",
    "any": "neg",
    "no": "neg",
    "every": "all",
    "all": "all",
    "each": "all",
    "both": "all",
    "some": "indef",
    "such": "def",
    "several": "indef",
    "two": "count",
    "three": "count",
    "four": "count",
    "five": "count",
    "six": "count",
    "seven": "count",
    "eight": "count",
    "nine": "count",
    "ten": "count",
}
NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}

_STOP = frozenset(
    (  # noqa: SIM905 - a word list reads best as text
        "to on in of with for by under at from between after before since and or but who as than into through "
        "over via is was were be been being has have had signed agreed sign signing ink inked seal sealed "
        "struck reached concluded adopted issued put replace replaces replaced known called call calls "
        "denounces denounced scrapping scrap scrapped tearing abrogating suspended suspends cancelled expired "
        "ratified approved endorsed extended renewed negotiating negotiate toward towards about across "
        "against it they he she we i not also still only if when while because so do does did would will "
        "could should may might must can said says told described praised criticised criticized announced "
        "unveiled released finalised finalized drafted raised up builds build built supplements supplement "
        "means meant including include includes"
    ).split()
)

_TOKEN = re.compile(r"[\w$£€'’.-]+|[^\w\s]")
_POSSESSIVE = re.compile(r"^[\w.-]+(?:'s|’s|s'|s’)$")
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}
_ADDITIONAL = {"second", "third", "fourth", "separate", "further", "other", "additional", "another"}


@dataclass
class NounPhrase:
    start: int  # start of the determiner or first modifier
    head_start: int
    head_end: int
    end: int  # end of the complement window
    head: str
    det: str  # "", indef, def, all, count, neg, poss
    count: int | None
    modifiers: list[str]
    plural: bool
    name: str | None
    ordinal: int | None = None
    additional: bool = False
    weak: bool = False
    relation: bool = False  # "restore diplomatic relations"
    elliptic: bool = False  # "one on oil", "a second on ..."
    known_as: bool = False
    complement: str = ""
    extra: dict = field(default_factory=dict)


# An instrument noun followed by one of these is a modifier, not the head: "treaty ally", "deal talks".
_MODIFIER_USE = re.compile(r"\s+(?:" + lexicon.alternation(_INSTRUMENTS["modifier_of"]) + r")\b")


def _left_scan(text: str, floor: int, head_start: int) -> tuple[int, str, str, list[str], int | None]:
    window = text[max(floor, head_start - 140) : head_start]
    base = head_start - len(window)
    tokens = [(m.group(0), base + m.start()) for m in _TOKEN.finditer(window)]
    mods: list[str] = []
    det = ""
    det_word = ""
    start = head_start
    count = None
    i = len(tokens)
    while i > 0:
        i -= 1
        tok, pos = tokens[i]
        low = tok.lower()
        if tok in ("“", '"', "”", "‘", "’", "'"):
            continue
        if not _WORDLIKE.match(tok):
            break
        if low in DETERMINERS:
            det = DETERMINERS[low]
            det_word = low
            start = pos
            if det == "count":
                count = NUMBERS[low]
            break
        if _POSSESSIVE.match(tok):
            det = "poss"
            det_word = tok
            start = pos
            break
        if low in ("and", "or") and mods and i >= 2:
            # "a defence and security cooperation treaty": a coordinated modifier right after a determiner
            left, _left_pos = tokens[i - 1]
            det_tok = tokens[i - 2][0].lower()
            if left.lower() not in _STOP and left.lower() not in DETERMINERS and det_tok in DETERMINERS:
                mods[:0] = [left, tok]
                det = DETERMINERS[det_tok]
                det_word = det_tok
                start = tokens[i - 2][1]
                if det == "count":
                    count = NUMBERS[det_tok]
                break
        if low in _STOP or len(mods) >= 6:
            break
        if _NUMBER.fullmatch(tok) and not _YEAR.fullmatch(tok):
            break
        mods.insert(0, tok)
        start = pos
    return start, det, det_word, mods, count


_NAME_CAP = re.compile(r"^(?:[A-Z][\w'’.-]*|of|and|on|for|the|\d+[\w-]*|U\.S\.-\w+)$")


def _name_for(text: str, head_start: int, head_end: int, mods: list[str], country_words: set[str]) -> str | None:
    head = text[head_start:head_end]
    tail = text[head_end : head_end + 60]
    m = _OF_PROPER_NAME.match(tail)
    if head[:1].isupper() and m:
        return f"{head} of {m.group(1)}"
    caps: list[str] = []
    for tok in reversed(mods):
        if (tok.strip("“”\"'") and _NAME_CAP.match(tok) and tok[:1].isupper()) or (caps and tok in ("of", "and", "on")):
            caps.insert(0, tok)
        else:
            break
    while caps and caps[0] in ("of", "and", "on", "the"):
        caps.pop(0)
    meaningful = [c for c in caps if c not in country_words and not c.endswith(("'s", "’s"))]
    if head[:1].isupper() and meaningful:
        return " ".join([*caps, head])
    if not head[:1].isupper() and meaningful and caps and caps[-1] in meaningful:
        # "the so-called Kharkiv agreement", "the New START treaty"
        return " ".join(caps)
    return None


# "The previous one, signed in 2008": an earlier instrument of the kind the story is about
_EARLIER = ("previous", "last", "earlier", "former")
_ONE_KEYS = tuple(f"{word} one" for word in _EARLIER)
_ONE_PRONOUN = re.compile(r"\b(?:[Tt]he|[Aa]n?) (?:" + "|".join(_EARLIER) + r") one\b")


@dataclass
class PhraseIndex:
    """Instrument heads, known names and relation phrases of a whole article, found in one pass each."""

    heads: list[re.Match[str]]
    known: list[re.Match[str]]
    relations: list[re.Match[str]]
    head_starts: list[int]
    known_starts: list[int]
    relation_starts: list[int]
    text: str | None = None

    @staticmethod
    def build(text: str, lower: str | None = None) -> PhraseIndex:
        heads = list(_HEAD_LOWER.finditer(lower) if lower is not None else HEAD.finditer(text))
        known = list(_KNOWN_RE.finditer(text))
        relations = list(_RELATION.finditer(text))
        return PhraseIndex(
            heads,
            known,
            relations,
            [m.start() for m in heads],
            [m.start() for m in known],
            [m.start() for m in relations],
            text,
        )

    def positions(self) -> list[int]:
        found = self.head_starts + self.known_starts + self.relation_starts
        if self.text is not None and any(k in self.text for k in _ONE_KEYS):
            # sentences whose only instrument word is a pronoun: "The previous one, signed in 2008"
            found += [m.start() for m in _ONE_PRONOUN.finditer(self.text)]
        return sorted(found)


def _between(matches: list[re.Match[str]], starts: list[int], lo: int, hi: int) -> list[re.Match[str]]:
    return [m for m in matches[bisect_left(starts, lo) : bisect_left(starts, hi)] if m.end() <= hi]


def candidate_positions(text: str, lower: str | None = None) -> list[int]:
    """Start offsets of anything that may open an instrument phrase: one pass over the whole article."""
    return PhraseIndex.build(text, lower).positions()


def find_noun_phrases(
    text: str,
    start: int,
    end: int,
    country_words: set[str],
    lower: str | None = None,
    index: PhraseIndex | None = None,
) -> list[NounPhrase]:
    """Instrument noun phrases in the sentence ``text[start:end]``; ``lower`` is ``text.lower()`` when safe.

    ``index`` (from ``PhraseIndex.build`` on the same text) spares a regex pass per sentence.
    """
    if index is None:
        index = PhraseIndex.build(text[:end], None if lower is None else lower[:end])
    out = _head_phrases(text, start, end, country_words, index)
    _known_name_phrases(text, start, end, index, out)
    for m in _between(index.relations, index.relation_starts, start, end):
        rs, re_ = m.start(), m.end()
        out.append(NounPhrase(rs, rs, re_, re_, "relations", "rel", None, [], False, None, relation=True))
    out += _elliptic_phrases(text, start, end)
    out.sort(key=lambda n: n.head_start)
    return out


def _not_an_instrument(text: str, start: int, end: int, hs: int, he: int) -> bool:
    """An instrument noun used otherwise: "treaty ally", "without an agreement", "a deal to", "mutual understanding"."""
    low = text[hs:he].lower()
    before = text[max(start, hs - 30) : hs].lower()
    after = text[he : min(end, he + 30)]
    if _MODIFIER_USE.match(text, he) or _WITHOUT_BEFORE.search(before):
        return True
    if low in ("deal", "deals") and (
        _VERB_CONTEXT_BEFORE.search(before) or (after.startswith(" with") and not _DETERMINER_BEFORE.search(before))
    ):
        return True
    if low in ("plan", "plans") and _TO_NEXT.match(after) and not _ARTICLE_BEFORE.search(before):
        return True
    if low.startswith("understanding") and _UNDERSTANDING_QUALIFIER.search(before) and "joint" not in before:
        return True
    return low in ("package", "packages") and not _FINANCE_BEFORE.search(before)


def _head_phrases(text: str, start: int, end: int, country_words: set[str], index: PhraseIndex) -> list[NounPhrase]:
    out: list[NounPhrase] = []
    for m in _between(index.heads, index.head_starts, start, end):
        hs, he = m.start(), m.end()
        if _not_an_instrument(text, start, end, hs, he):
            continue
        # "the final wording of the bilateral security agreement": merge head chains ("security arrangements accord").
        if out and out[-1].head_end >= hs - 1 and text[out[-1].head_end : hs].strip() == "":
            prev = out.pop()
            ns, det, mods, count = prev.start, prev.det, [*prev.modifiers, prev.head], prev.count
        else:
            ns, det, _det_word, mods, count = _left_scan(text, start, hs)
        out.append(_head_phrase(text, start, end, hs, he, ns, det, mods, count, country_words))
    return out


def _plural(head: str, det: str) -> bool:
    if det == "count":
        return True
    key = " ".join(head.lower().split())
    form = HEAD_FORMS.get(key) or HeadForm(key.endswith("s"), False, False)
    return form.counted if det == "indef" else form.group


def _head_phrase(
    text: str,
    start: int,
    end: int,
    hs: int,
    he: int,
    ns: int,
    det: str,
    mods: list[str],
    count: int | None,
    country_words: set[str],
) -> NounPhrase:
    head = text[hs:he]
    # complement: up to the next clause break
    tail = text[he:end]
    cm = _CLAUSE_BREAK.search(tail)
    cend = min(he + (cm.start() if cm else len(tail)), he + 120)
    lowmods = [x.lower() for x in mods]
    known_as = bool(_KNOWN_AS_BEFORE.search(text[max(start, ns - 30) : ns]))
    if known_as and "so-called" in text[max(start, ns - 30) : hs]:
        known_as = False
    return NounPhrase(
        start=ns,
        head_start=hs,
        head_end=he,
        end=cend,
        head=head,
        det=det,
        count=count,
        modifiers=mods,
        plural=_plural(head, det),
        name=_name_for(text, hs, he, mods, country_words),
        ordinal=next((_ORDINALS[x] for x in lowmods if x in _ORDINALS), None),
        additional=any(x in _ADDITIONAL for x in lowmods)
        or (det == "indef" and text[ns : ns + 7].lower() == "another"),
        weak=head.lower() in WEAK_HEADS,
        known_as=known_as,
        complement=text[he:cend],
    )


def _known_name_phrases(text: str, start: int, end: int, index: PhraseIndex, out: list[NounPhrase]) -> None:
    for m in _between(index.known, index.known_starts, start, end):
        ks, ke = m.start(), m.end()
        if any(np.start <= ks < np.end or np.head_start <= ks < np.head_end for np in out):
            # the acronym is part of a longer instrument phrase already found
            for np in out:
                if np.start <= ks < np.head_end and not np.name:
                    np.name = m.group(0)
            continue
        nxt = text[ke : ke + 12].lower()
        if _INSTRUMENT_NOUN_NEXT.match(nxt):
            continue
        out.append(NounPhrase(ks, ks, ke, ke, m.group(0), "def", None, [], False, m.group(0)))


def _elliptic_phrases(text: str, start: int, end: int) -> list[NounPhrase]:
    out: list[NounPhrase] = []
    sentence = text[start:end]
    if not any(key in sentence for key in _ELLIPTIC_KEYS):
        return out
    for m in _ELLIPTIC.finditer(sentence):
        grp = next(g for g in ("np", "np2", "np3", "np4", "np5") if m.group(g))
        es = start + m.start(grp)
        ee = start + m.end(grp)
        tail = text[ee:end]
        cm = _STRONG_CLAUSE_BREAK.search(tail)
        cend = ee + (cm.start() if cm else len(tail))
        word = (
            m.group("which") or m.group("which2") or m.group("which3") or m.group("which4") or m.group("which5")
        ).lower()
        out.append(
            NounPhrase(
                es,
                es,
                ee,
                cend,
                "",
                "indef",
                None,
                [],
                False,
                None,
                ordinal=_ORDINALS.get(word.split()[-1]),
                additional=word != "one",
                elliptic=True,
                complement=text[ee:cend],
            )
        )
    return out


_RELATION = re.compile(
    r"(?=[ren])\b(?:restor(?:e|es|ed|ing)|re-?establish(?:es|ed|ing|ment of)?|establish(?:es|ed|ing|ment of)?|"
    r"normali[sz](?:e|es|ed|ing|ation of))\s+(?:full\s+|formal\s+|normal\s+|their\s+|the\s+)?(?:diplomatic\s+)?"
    r"(?:relations|ties)\b"
)
# Elliptic phrases ("one on oil", "a second on ...", "The other covers ...") and pronouns for an instrument ("the one
# it signed", "The previous one", "on one with New Zealand"), built from these words.
_MEMBER_WORDS = ("one", "a second", "another", "the other", "a third", "the second", "the third")
_OPENING_WORDS = ("The second", "The third", "The other", "Another")
_ELLIPTIC = re.compile(
    r"(?:(?<=[:;,] )|(?<=\band )|(?<=; and ))"
    r"(?P<np>(?P<which>" + "|".join(_MEMBER_WORDS) + r"))"
    r"\s+(?=on|for|covering|concerning|dealing|setting|governing|with\s+[A-Z])\b"
    # "after the one it signed with New Zealand": a pronoun for an instrument of the same kind
    r"|(?<=\bthe )(?P<np3>(?P<which3>one))\s+(?=(?:it|they|that|which)\s+(?:had\s+|has\s+)?"
    r"(?:signed|concluded|struck|reached|sealed)\b)"
    # "The previous one, signed in Dakar in 2008": an earlier instrument of the same kind
    r"|(?P<np4>(?P<which4>[Tt]he (?:" + "|".join(_EARLIER) + r") one|[Aa]n? (?:previous|earlier) one))\b"
    # "agreed in principle on one with New Zealand": a second instrument of the kind, with its own partner
    r"|(?<=\bon )(?P<np5>(?P<which5>one))\s+(?=with\s+(?:the\s+)?[A-Z])"
    r"|^\s*(?P<np2>(?P<which2>" + "|".join(_OPENING_WORDS) + r"))\s+(?=covers|deals|sets|provides|establishes|"
    r"concerns|governs|commits|creates|is|allows|lets)\b"
)
# Every elliptic match holds one of these: a sentence without any is not searched.
_ELLIPTIC_KEYS = tuple(sorted({phrase.split()[-1] for phrase in (*_MEMBER_WORDS, *_OPENING_WORDS)} | {"one"}))


_ORDINAL_BEFORE = re.compile(r"\b[Tt]he (?:first|second|third|latter|former),\s*$")
_NAME_KEY_NOISE = re.compile(r"\b(?:the|so called|treaty|agreement|accord|pact|deal)\b")
_DATE_GAP = re.compile(r"(?:\s+of\s+[A-Z][\w'’-]+)?\s+(?:of|in|from|dating from)\s+")


def sentence_phrases(
    text: str, start: int, end: int, country_words: set[str], lower: str | None, index: PhraseIndex
) -> list[NounPhrase]:
    """The sentence's instrument phrases, each complement cut where the next phrase starts."""
    nps = find_noun_phrases(text, start, end, country_words, lower, index)
    for i in range(len(nps) - 1):
        if nps[i].end > nps[i + 1].start > nps[i].head_end:
            nps[i].end = nps[i + 1].start
            nps[i].complement = text[nps[i].head_end : nps[i].end]
    for np in nps:
        if not np.relation and _ORDINAL_BEFORE.search(text[max(start, np.start - 20) : np.start]):
            np.ordinal = 1  # "The first, signed in 2001, ..."
    return nps


def np_date(text: str, np: NounPhrase, dates: list[DateMention]) -> DateMention | None:
    """A date that belongs to the phrase itself: "a 1974 land boundary agreement", "the treaty of 1929"."""
    for d in dates:
        if d.future or (d.precision != "year" and d.precision != MONTH and d.precision != DAY):
            continue
        if np.start <= d.start < np.head_start:
            return d
        gap = text[np.head_end : d.start]
        if 0 <= d.start - np.head_end <= 40 and _DATE_GAP.fullmatch(gap):
            return d
    return None


def name_key(name: str) -> str:
    """A name compared without articles and instrument nouns: "the Paris Agreement" and "Paris agreement" are one."""
    key = _NAME_KEY_NOISE.sub(" ", normalised(name))
    return " ".join(key.split())
