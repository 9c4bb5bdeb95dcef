"""Status cues: the verbs and phrases that say an instrument is proposed, signed, in force or terminated.

Like the noun phrases, cues are found one sentence at a time, with offsets into the full article text; negation and
irrealis ("did not sign", "will sign") are read from the words before each cue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import lexicon
from .phrases import HEAD, NounPhrase

_SOON_OR_LATER_NEXT = re.compile(r"\s+(?:soon|later)\b")

PROPOSED = "proposed"
SIGNED = "signed"
IN_FORCE = "in_force"
TERMINATED = "terminated"
RANK = {PROPOSED: 0, SIGNED: 1, IN_FORCE: 2, TERMINATED: 3}


@dataclass(frozen=True)
class Cue:
    start: int
    end: int
    status: str
    strength: int  # 2 strong, 1 weak
    negated: bool
    irrealis: bool
    text: str
    rule: str = ""  # the name of the cue pattern that matched


def _cue_rows() -> list[tuple[re.Pattern[str], str, int, str]]:
    """(pattern, status, strength, name) per row of cues.toml, in order: at one position the earlier row wins."""
    rows = []
    for row in lexicon.load("cues")["cue"]:
        pattern = row["pattern"] if isinstance(row["pattern"], str) else "".join(row["pattern"])
        if row["status"] not in RANK:
            raise ValueError(f"cues.toml: {row['name']} has an unknown status {row['status']!r}")
        rows.append((re.compile(pattern), row["status"], row["strength"], row["name"]))
    return rows


_CUES = _cue_rows()

_NEG = re.compile(
    r"\b(?:not|n't|never|no|without|yet to|failed to|fail to|refused to|declined to|neither|nor)\b[^.;,]{0,25}$"
    # "rejected a report that it had signed", "denied that the two had signed"
    r"|\b(?:denied|denies|deny|denying|rejected|dismissed|refuted)\s+(?:\w+\s+){0,3}?(?:that|reports?|claims?)\b"
    r"[^.;,]{0,30}$"
)
_IRREALIS = re.compile(
    r"\b(?:will|would|shall|could|can|may|might|must|should|once|if|unless|until|expected|due|needed for|need to|"
    r"needs to|have to|has to|had to|yet to|ready to|willing to|able to|needs?|requires?|required|awaits?|awaiting|"
    r"pending|subject to)\b(?:,?\s+\w+){0,6}\s*$"
    # a bare "to" marks an infinitive only right before the verb ("to sign", "to formally sign"), not "a visit to Dhaka"
    r"|\bto\s+(?:[a-z]+ly\s+|be\s+|have\s+)?$"
)
# "must be approved by parliament and in a referendum, and then ratified": the modal carries over the coordination
_IRREALIS_CARRY = re.compile(
    r"\b(?:will|would|shall|must|should|needs? to|has to|have to|still has to|is to|are to)\s+(?:\w+\s+){0,2}"
    r"(?:be\s+)?\w+ed\b[^.;]{0,100}\band\s+(?:then\s+|later\s+|finally\s+|eventually\s+)?$"
)


_CUE_ALT = re.compile("|".join(f"(?P<{name}>{pattern.pattern})" for pattern, _, _, name in _CUES))
_CUE_INFO = {name: (status, strength) for _, status, strength, name in _CUES}


def _anchor(patterns: list[str]) -> re.Pattern[str]:
    """Where a cue can start: a word boundary (every cue pattern opens with one) followed by one of the literal
    strings the patterns open with. Zero-width, so no position is skipped that a cue could start at."""
    openings = set().union(*(lexicon.opening_literals(p) for p in patterns))
    openings = {p for p in openings if not any(q != p and p.startswith(q) for q in openings)}
    assert all(lexicon.starts_at_word_boundary(p) for p in patterns) and "" not in openings
    return re.compile(lexicon.first_letters(openings) + r"\b(?=" + lexicon.alternation(openings, space=" ") + ")")


# Cheap first pass: only positions where a cue can open are tried against the full alternation.
_CUE_ANCHOR = _anchor([pattern.pattern for pattern, _, _, _ in _CUES])


# A verb whose direct object is one of these governs that object, not an instrument named further on:
# "cancelled a A$90 billion contract with ...", "suspending plans to annex ...", "signed contracts worth ...".
_OBJECT_NOT_INSTRUMENT = re.compile(
    r"\s+(?!(?:on|in|at|by|for|with|from|to|into|since|after|before|during|last|this|under|as|and|or|but|"
    r"was|were|is|are|has|have|had|which|that|when|while)\b)"
    r"(?:(?:a|an|the|its|their|his|her|these|those|some|all|several|new|further)\s+)?"
    r"(?:[\w$€£.'’-]+\s+){0,4}?"
    r"(?:contracts?|orders?|plans?\s+to|talks|visits?|trips?|flights|exercises|drills|sanctions|tariffs|taxes|"
    r"purchases?|projects?|programmes?|programs?|operations|ambassadors?|embassy|embassies|relations|ties|"
    r"shipments|deliveries|aid|funding|membership|licen[cs]es?|concessions?|bids?|tenders?|summit|meeting|"
    r"ceasefire|truce|negotiations|elections?|referendums?|laws?|bills?|resolutions?|decrees?)\b"
)
_CLAUSE_END = re.compile(r"[,;:()—–]|\.(?=\s|$)")


def _governs_other_object(text: str, b: int, end: int) -> bool:
    m = _OBJECT_NOT_INSTRUMENT.match(text, b, end)
    if m is None or HEAD.search(text, b, m.start() + len(m.group(0).rstrip()) - 1):
        return False
    stop = _CLAUSE_END.search(text, m.end(), end)
    # "signed contracts and a defence pact": a coordinated instrument keeps the verb
    return not HEAD.search(text, m.end(), min(stop.start() if stop else end, m.end() + 80))


_DECIDED = re.compile(
    r"\b(?:agreed|decided|voted|resolved)\s+(?:(?:on|in|at)\s+\w+\s+)?to\s+(?:formally\s+)?$"
    r"|\b(?:said|announced|declared|confirmed|decided)\b[^.;]{0,50}\b(?:it|they|he|she|[A-Z]\w+)\s+"
    r"(?:would|will)\s+(?:formally\s+)?$"
)
_ARTICLE_END = re.compile(r"\b(?:a|an|the|no|any|every|first|clear|strong)\s+$", re.I)
_ABILITY = re.compile(r"\bcan(?:not)?\s+(?:\w+ly\s+)?$")
_CONDITION = re.compile(r"[^.;]{0,120}?\b(?:if|unless|should|in case)\b")


# present-tense expiry with a time ahead: "expires on December 5", "lapses at the end of the year"
_FUTURE_EXPIRY = re.compile(r"(?i:expires|lapses)\s+(?:on|in|at|next|this|later)\b")


_FOR_PENDING = re.compile(r"\bfor\s+(?:their\s+|its\s+|parliamentary\s+|formal\s+)?$")


def find_cues(text: str, start: int, end: int) -> list[Cue]:
    """Status cues in ``text[start:end]``; at one position the earlier (more specific) pattern wins."""
    out: list[Cue] = []
    pos = start
    anchors = _CUE_ANCHOR.finditer(text, start, end)
    for anchor in anchors:
        if anchor.start() < pos:
            continue
        m = _CUE_ALT.match(text, anchor.start(), end)
        if m is None:
            continue
        pos = m.end()
        status, strength = _CUE_INFO[m.lastgroup or ""]
        a, b = m.span()
        if status != PROPOSED and _governs_other_object(text, b, end):
            continue
        before = text[max(start, a - 40) : a]
        if status == SIGNED and _ABILITY.search(before):
            continue  # "only Baghdad can sign energy agreements": a power, not a plan
        if (
            status == SIGNED
            and text[a:b].lower() == "sign"
            and (_ARTICLE_END.search(before) or text[b : b + 4] == " of ")
        ):
            continue  # "praised the deal as a sign of cooperation": the noun
        negated = bool(_NEG.search(before))
        irrealis = (
            bool(_IRREALIS.search(before))
            or bool(_SOON_OR_LATER_NEXT.match(text[b : b + 10]))
            or bool(_IRREALIS_CARRY.search(text[max(start, a - 160) : a]))
        )
        if status == IN_FORCE and not irrealis and _FOR_PENDING.search(before) and text[a:b].lower() == "ratification":
            irrealis = True  # "would be submitted to their parliaments for ratification": a step still ahead
        if status == TERMINATED and not irrealis and _FUTURE_EXPIRY.match(text, a, min(end, b + 30)):
            irrealis = True  # "before START ... expires on December 5": a scheduled end, not one that happened
        if irrealis and status in (IN_FORCE, TERMINATED) and _DECIDED.search(before):
            # "agreed on Monday to extend the treaty", "said on Thursday it would scrap the pact": a decision taken
            irrealis = bool(_CONDITION.match(text, b, min(end, b + 120)))
        out.append(Cue(a, b, status, strength, negated, irrealis, text[a:b], m.lastgroup or ""))
    return out


_VERB_OBJECT_GAP = re.compile(r"\s+(?:(?:on|for|towards?|of)\s+)?(?:a|an|the)?\s*")
_JOINT_INSTRUMENT = re.compile(r"joint|declaration|statement|announcement|communiqu")


def assign_cues(text: str, nps: list[NounPhrase], cues: list[Cue]) -> dict[int, list[Cue]]:
    """Each cue goes to the nearest instrument phrase of its sentence (phrase index -> cues)."""
    assigned: dict[int, list[Cue]] = {i: [] for i in range(len(nps))}
    for cue in cues:
        best_i, best_d = _nearest_phrase(nps, cue)
        if best_i is not None and best_d == 0 and _object_follows(text, nps, best_i, cue):
            best_i += 1  # "signed a pact on Sunday and said they would launch talks on a trade deal"
        if best_i is not None and best_d is not None and best_d <= 160:
            assigned[best_i].append(cue)
    return assigned


def _nearest_phrase(nps: list[NounPhrase], cue: Cue) -> tuple[int | None, int | None]:
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
    return best_i, best_d


def _object_follows(text: str, nps: list[NounPhrase], i: int, cue: Cue) -> bool:
    """A cue inside one phrase's complement whose own object is the next, indefinite phrase."""
    nxt = nps[i + 1] if i + 1 < len(nps) else None
    return (
        nxt is not None
        and nxt.det == "indef"
        and not nxt.plural
        and nps[i].head_end <= cue.start
        and 0 <= nxt.start - cue.end <= 30
        and bool(_VERB_OBJECT_GAP.fullmatch(text[cue.end : nxt.start]))
    )


def cue_statuses(np_cues: list[Cue], head_low: str) -> list[tuple[str, int, Cue]]:
    """The status each cue gives, read with its negation and irrealis; weak announcement verbs count only for joint
    declarations ("issued a joint statement")."""
    out: list[tuple[str, int, Cue]] = []
    joint = bool(_JOINT_INSTRUMENT.search(head_low))
    for cue in np_cues:
        if cue.strength == 0 and not joint:
            continue
        read = _read_cue(cue)
        if read is not None:
            out.append((read[0], max(read[1], 1), cue))
    return out


def _read_cue(cue: Cue) -> tuple[str, int] | None:
    """Negation and irrealis: "did not sign": no step; "will sign": proposed; "has not entered into force": signed."""
    status, strength = cue.status, cue.strength
    if status == SIGNED:
        if cue.negated:
            return None
        if cue.irrealis:
            return PROPOSED, 1
    elif status == IN_FORCE:
        if cue.negated:
            return SIGNED, 1
        if cue.irrealis:
            return None
    elif status == TERMINATED and (cue.negated or cue.irrealis):
        return None
    return status, strength
