"""Status cues: the verbs and phrases that say an instrument is proposed, signed, in force or terminated.

Like the noun phrases, cues are found one sentence at a time, with offsets into the full article text; negation and
irrealis ("did not sign", "will sign") are read from the words before each cue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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


_CUES: list[tuple[re.Pattern[str], str, int, str]] = [
    # proposed first: "concluded negotiations on" must not read as "concluded" an agreement
    (
        re.compile(
            r"\b(?:conclud(?:ed|e|es|ing)|wrapp(?:ed|ing) up|wrap up|complet(?:ed|e|ing)|finish(?:ed|ing)|"
            r"clos(?:ed|ing))\s+(?:the\s+|their\s+|its\s+)?(?:\w+\s+)?(?:negotiations|talks)\b"
        ),
        PROPOSED,
        2,
        "concluded_talks",
    ),
    (
        re.compile(r"\bdeclared the negotiations (?:finished|concluded|complete)\b"),
        PROPOSED,
        2,
        "negotiations_declared_finished",
    ),
    (
        re.compile(
            r"\b(?:final\s+)?(?:text|wording|terms|draft)\b[^.;]{0,160}?\b(?:was|were|had been|has been)\s+"
            r"(?:settled|agreed|finali[sz]ed|approved)\b"
        ),
        PROPOSED,
        2,
        "final_text_settled",
    ),
    (
        re.compile(r"\bagreed (?:on|upon) the (?:final\s+)?(?:text|wording|terms|draft)\b"),
        PROPOSED,
        2,
        "agreed_on_the_text",
    ),
    # "finished the text of a defence agreement", "agreed in December to begin negotiating": the step before signing
    (
        re.compile(
            r"\b(?:finish(?:ed|es|ing)?|finali[sz](?:ed|es|ing)|complet(?:ed|es|ing)|agreed)\s+(?:on\s+)?the\s+"
            r"(?:final\s+)?(?:text|wording|draft)\s+of\b"
            r"|\bagreed(?=\s+(?:[\w,-]+\s+){0,4}?to\s+(?:begin|start|open|launch|resume)\s+"
            r"(?:negotiat(?:ing|ions)|talks)\b)"
        ),
        PROPOSED,
        2,
        "text_finished_or_talks_agreed",
    ),
    (
        re.compile(r"\bagreed in principle\b|\binitial(?:l)?ed\b|\binitial(?:l)?ing\b"),
        PROPOSED,
        2,
        "agreed_in_principle_or_initialled",
    ),
    (re.compile(r"\b(?:refus(?:ed|es|ing)|declin(?:ed|es|ing))\s+to\s+sign\b"), PROPOSED, 2, "refused_to_sign"),
    (
        re.compile(
            r"\b(?:negotiat(?:e|es|ed|ing)|under negotiation|in negotiations|negotiations (?:on|for|over|toward))\b"
        ),
        PROPOSED,
        1,
        "negotiating",
    ),
    (re.compile(r"\b(?:work(?:s|ed|ing)?|mov(?:e|es|ed|ing)) toward(?:s)?\b"), PROPOSED, 1, "working_towards"),
    (
        re.compile(
            r"\bpreparing to (?:open|start|launch|begin)\b"
            r"|\b(?:open|start|launch|begin)\s+(?:\w+\s+){0,2}(?:negotiations|talks)\b"
        ),
        PROPOSED,
        1,
        "opening_talks",
    ),
    (
        re.compile(
            r"\b(?:plan(?:s|ned)?|intend(?:s|ed)?|aim(?:s|ed)?|hope(?:s|d)?|expect(?:s|ed)?|want(?:s|ed)?|propos(?:e|es|ed|ing))\s+to\s+(?:sign|conclude|negotiate|finali[sz]e|agree)\b"
        ),
        PROPOSED,
        1,
        "plans_to_sign",
    ),
    (re.compile(r"\bproposed\b|\bdraft\b"), PROPOSED, 1, "proposed_or_draft"),
    (
        re.compile(r"\b(?:close to|nearing|near)\s+(?:finali[sz]ing|signing|concluding|reaching|agreeing)\b"),
        PROPOSED,
        2,
        "close_to_signing",
    ),
    (
        re.compile(
            r"\bagreed to (?:restore|re-?establish|establish|normali[sz]e|resume|negotiate|open|start|launch|begin|"
            r"work|hold|seek|pursue)\b"
        ),
        PROPOSED,
        2,
        "agreed_to_begin",
    ),
    (re.compile(r"\bto conclude\b"), PROPOSED, 1, "to_conclude"),
    # terminated
    (re.compile(r"\b(?:expir(?:ed|es|e|ing|y)|laps(?:ed|es|e|ing))\b"), TERMINATED, 2, "expired"),
    (re.compile(r"\bsuspen(?:ded|ds|d|ding|sion)\b"), TERMINATED, 2, "suspended"),
    (
        re.compile(r"\bcancel(?:l?ed|s|l?ing|lation)?\b|\brevok(?:ed|es|e|ing)\b|\bannul(?:led|s|ling|ment)?\b"),
        TERMINATED,
        2,
        "cancelled",
    ),
    (
        re.compile(r"\bscrap(?:ped|s|ping)?\b|\bt(?:ear|ears|earing|ore|orn) up\b|\bditch(?:ed|es|ing)?\b"),
        TERMINATED,
        2,
        "scrapped",
    ),
    (
        re.compile(
            r"\babrogat(?:ed|es|e|ing|ion)\b|\bdenounc(?:ed|es|e|ing)\b(?=\s+(?:[\w-]+\s+){0,4}?(?:agreements?|accords?|treat(?:y|ies)|pacts?|protocols?|conventions?|deals?|documents?|arrangements?)\b(?!\s+as\b))|\bterminat(?:ed|es|e|ing|ion)\b"
        ),
        TERMINATED,
        2,
        "abrogated_or_terminated",
    ),
    (
        re.compile(
            r"\b(?:withdr(?:ew|aw|awn|awing|aws)|pull(?:ed|s|ing)? out|walk(?:ed|s|ing)? away|exit(?:ed|s|ing)?|"
            r"quit(?:s|ting)?)\s+(?:from|of)\b|\bnull and void\b|\bno longer in force\b"
        ),
        TERMINATED,
        2,
        "withdrew",
    ),
    # in force
    (
        re.compile(
            r"\b(?:c(?:ame|ome|omes|oming)|enter(?:ed|s|ing)?)\s+into\s+(?:force|effect)\b|\bentry into force\b"
        ),
        IN_FORCE,
        2,
        "entered_into_force",
    ),
    (
        re.compile(r"\b(?:t(?:ook|ake|akes|aking|aken))\s+effect\b|\bin force\b|\bbec(?:ame|ome|omes) effective\b"),
        IN_FORCE,
        2,
        "took_effect",
    ),
    (re.compile(r"\bratif(?:ied|y|ies|ying|ication)\b"), IN_FORCE, 1, "ratified"),
    (
        re.compile(
            r"\b(?:have|has|had)\s+operated\b|\boperat(?:ed|ing)\s+since\b|\bin operation\b"
            r"|\bimplementation (?:began|started)\b"
        ),
        IN_FORCE,
        2,
        "in_operation",
    ),
    (re.compile(r"\b(?:renew(?:ed|s|al)|extend(?:ed|s)|extension|prolong(?:ed|s))\b"), IN_FORCE, 1, "renewed"),
    (
        re.compile(
            r"\b(?:renew|extend|prolong)\b(?=\s+(?:[\w'’-]+\s+){0,5}?(?:agreements?|accords?|treat(?:y|ies)|pacts?|protocols?|"
            r"conventions?|deals?|arrangements?|leases?|memorand\w+|MoUs?)\b)"
        ),
        IN_FORCE,
        1,
        "renew_the_instrument",
    ),
    (
        re.compile(
            r"\b(?:rents|leases|uses|operates|sells|buys|supplies|exports|imports|receives|pays|hosts)\b[^.;]{0,160}\bunder\b"
        ),
        IN_FORCE,
        1,
        "operates_under",
    ),
    # signed
    (
        re.compile(r"\b(?:sign(?:ed|s|ing)?|co-signed|countersigned)\b|\bsignatures?\b|\bsignatories\b"),
        SIGNED,
        2,
        "signed",
    ),
    (re.compile(r"\bput (?:their|his|her) names? to\b"), SIGNED, 2, "put_names_to"),
    (
        re.compile(r"\bink(?:ed|s|ing)?\b|\bseal(?:ed|s|ing)?\b|\bstruck\b|\bstrik(?:e|es|ing)\b"),
        SIGNED,
        2,
        "inked_or_struck",
    ),
    (
        re.compile(r"\breach(?:ed|es)?\b|\bclinch(?:ed|es)?\b|\bconclud(?:ed|es|e)\b|\bclos(?:ed|es) (?:a|an|the)\b"),
        SIGNED,
        1,
        "reached",
    ),
    (re.compile(r"\badopt(?:ed|s)?\b"), SIGNED, 1, "adopted"),
    # "agreed on Monday to extend the treaty": the decision is the extension (or exit), not a new signature
    (
        re.compile(
            r"\bagreed(?=(?:\s+(?:on|in|at|last|this)\s+\w+)?\s+to\s+(?:formally\s+)?(?:extend|renew|prolong|"
            r"withdraw|scrap|suspend|terminate|cancel|abrogate|end|quit|leave|implement)\b)"
        ),
        PROPOSED,
        0,
        "agreed_to_extend_or_end",
    ),
    (re.compile(r"\bagreed\b"), SIGNED, 1, "agreed"),
    (
        re.compile(r"\b(?:issu|unveil|releas|announc|publish)(?:ed|es|e|ing)\b"),
        SIGNED,
        0,
        "issued",
    ),  # only for joint declarations
]

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


# Cheap first pass: only words that can open a cue are tried against the full alternation.
_CUE_ANCHOR_I = re.compile(
    r"\b(?:sign|co-sign|counters|put|ink|seal|struck|strik|reach|clinch|conclud|clos|adopt|agree|issu|unveil|releas|"
    r"announc|publish|expir|laps|suspen|cancel|revok|annul|scrap|tear|tore|torn|ditch|abrogat|denounc|terminat|"
    r"withdr|pull|walk|exit|quit|null|no longer|came|come|enter|entry|took|take|bec|in force|in operation|ratif|"
    r"ha[sdv]|operat|coming|tak|sells|buys|supplies|exports|imports|receives|pays|hosts|implementation|renew|extend|extension|rents|leases|uses|final|text|wording|terms|draft|"
    r"declared|initial|refus|declin|negotiat|under negotiation|in negotiations|work|mov|preparing|open|start|"
    r"launch|begin|plan|intend|aim|hope|expect|want|propos|to conclude|wrap|complet|finish|close to|near)",
    re.I,
)
_CUE_ANCHOR = re.compile("(?=[a-z])" + _CUE_ANCHOR_I.pattern)


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


def find_cues(text: str, start: int, end: int, lower: str | None = None) -> list[Cue]:
    """Status cues in ``text[start:end]``; at one position the earlier (more specific) pattern wins."""
    out: list[Cue] = []
    pos = start
    anchors = _CUE_ANCHOR.finditer(lower, start, end) if lower is not None else _CUE_ANCHOR_I.finditer(text, start, end)
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
