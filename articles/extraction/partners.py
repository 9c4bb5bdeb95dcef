"""The partners stage: which states are party to a unit's instrument, and whether a signer is no state at all.

Parties come from a "between A and B" phrase, else from the states named in the unit's region of the sentence,
completed from collective phrases ("the two countries") and the story's lead pair. Void rules name signers that are
not sovereign states (firms, organisations, sub-national governments); distribution rules split one plural phrase
into one instrument per partner ("free trade agreements with South Korea and Japan").
"""

from __future__ import annotations

import re
from collections.abc import Callable

from . import lexicon
from .countries import is_sovereign
from .parties import Mention, clause_bounds, collective_size
from .story import Story, Unit

_BETWEEN_PARTIES = re.compile(
    r"\bbetween\s+(.{0,120}?)(?=\s+(?:came|took|entered|was|were|has|have|had|is|are|that|which|"
    r"expired|lapsed|signed|allots|gives|giving|allowing|allows)\b|[,;.]|$)"
)
_WITH_PARTNERS = re.compile(r"\bwith\s+(.{0,80}?)(?=\s+(?:to|earlier|last|in|on|that|which|for)\b|[,;.]|$)")
_NEAR_WITH_PARTNER = re.compile(r"\s*(?:\S+\s+){0,3}?with\s+((?:\S+(?:\s+|$)){0,6})")
_ACTORS = lexicon.load("actors")
_ORGANISATIONS = _ACTORS["organisations"]


def _words(names: list[str], patterns: list[str] = ()) -> str:
    return "|".join(filter(None, (lexicon.alternation(names, space=" "), *patterns)))


# Counterparts that are no state: organisations, rebels, firms, owners ("an arrangement with the IAEA")
_NONSTATE = re.compile(
    r"\b(?:"
    + _words(
        [n for n in _ORGANISATIONS["names"] if n not in _ORGANISATIONS["not_as_counterpart"]]
        + _ACTORS["counterparts"]["names"]
    )
    + r")\b"
)
_ORG_SUBJECT = re.compile(r"\b(?:" + _words(_ORGANISATIONS["names"]) + r")\b")
# Signers that are not sovereign states: sub-national governments, breakaway regions, liberation movements.
_NONSTATE_NAMES = _words(_ACTORS["non_state_signers"]["names"], _ACTORS["non_state_signers"]["patterns"])
_NONSTATE_SIGNER = re.compile(r"\b(?:" + _NONSTATE_NAMES + r")\b")
# "US and Chinese companies signed deals", "China Energy Investment Corp. signed a preliminary deal": firms sign
_COMPANY_SIGNER = re.compile(
    r"\b(?:" + _words(_ACTORS["firms"]["signers"]) + r")\s+(?:also\s+)?"
    r"(?:signed|inked|struck|sealed|clinched)\s+(?:\S+\s+){0,3}$"
)
# a new clause with its own subject and verb: ", and Beijing is negotiating with ..."
_NEXT_CLAUSE = re.compile(
    r"(?:[,;]\s+(?:and|but|while|whereas)\s+|;\s+)(?:the\s+)?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}\s+"
    r"(?:is|are|was|were|has|have|had|will|would|also|[a-z]+ed|[a-z]+s)\b"
)
_RELATIVE_AFTER = re.compile(r",\s+(?:which|who|whose)\s+")
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
_WITH_SEG = re.compile(r"\bwith\s+(?:the\s+)?[A-Z][^,;.]{0,40}?(?=\s+(?:in|on|last|earlier|since|and)\b|[,;.]|$)")
_WITH_GAP = re.compile(r"(?:\s+(?:in|on|last|earlier|since)\s+[^,;.]{1,30}?)?,?\s+and\s+(?:also\s+)?$")


def eligible_codes(mentions: list[Mention], lo: int, hi: int) -> list[str]:
    return list(dict.fromkeys(m.code for m in mentions if lo <= m.start < hi and m.eligible))


def choose_parties(story: Story, unit: Unit) -> None:
    """The unit's parties, the rule that chose them, its void reason if any, and its distribution."""
    between = _BETWEEN_PARTIES.search(story.text[unit.lead.head_end : min(unit.sentence.end, unit.end + 60)])
    if between and " and " in between.group(1):
        _parties_between(story, unit, between)
    unit.explicit = len(unit.parties) >= 2
    if not unit.parties:
        _parties_in_region(story, unit)
    if _needs_the_lead_pair(story, unit):
        _set(
            unit,
            fill(story, unit, unit.parties, 2, unit.sentence.nps[0].start if unit.position else -1),
            "completed_from_the_context",
        )
    _partner_of_a_coordinated_phrase(story, unit)
    _bilateral_keeps_two(story, unit)
    sc = unit.sentence
    if unit.evidence:
        sc.region_start = unit.end
        sc.prev_parties = list(unit.parties)
    for rule in DISTRIBUTION_RULES:
        unit.distribute = rule(unit, story)
        if unit.distribute:
            break
    unit.local_codes = {m.code for m in sc.mentions if unit.lead.start <= m.start < unit.end and m.eligible}


def _bilateral_keeps_two(story: Story, unit: Unit) -> None:
    """ "Britain and Ukraine signed a bilateral agreement to … in the face of Russia's …": a bilateral instrument has
    two parties, the two states named before it."""
    lead = unit.lead
    if "bilateral" not in (m.lower() for m in lead.modifiers) or len(unit.parties) <= 2:
        return
    before = [m.code for m in unit.sentence.mentions if m.start < lead.start and m.eligible and m.code in unit.parties]
    signers = list(dict.fromkeys(before))
    if len(signers) == 2:
        _set(unit, sorted(signers), "bilateral_keeps_two")


def _set(unit: Unit, parties: list[str], rule: str) -> None:
    if parties != unit.parties:
        unit.party_rule = rule
    unit.parties = parties


def fill(story: Story, unit: Unit, parties: list[str], size: int, subject_end: int = -1) -> list[str]:
    """Complete a party list to ``size`` from the sentence's places, the previous sentence, then the lead pair."""
    out = list(parties)
    if size > 2:
        for run in story.coordination:
            if len(run) == size and set(out) <= set(run):
                return list(run)
            if len(run) == size - len(out) and not set(run) & set(out):
                return out + list(run)
    lead_pair = story.lead_pair()
    if not out and (size in (0, 2) or size == len(lead_pair)):
        return list(lead_pair)
    target = max(size, 2)
    for pool in _fill_pools(story, unit, out, subject_end, lead_pair):
        for code in pool:
            if len(out) >= target:
                return out
            if code not in out and unit.allowed(code):
                out.append(code)
    return out


def _fill_pools(
    story: Story, unit: Unit, out: list[str], subject_end: int, lead_pair: tuple[str, ...]
) -> list[list[str]]:
    s_mentions = unit.sentence.mentions
    one = len(out) == 1
    return [
        [m.code for m in s_mentions if m.location and not m.attribute and is_sovereign(m.code)] if one else [],
        # a later instrument of the sentence shares its subject: "Seoul signed X with A and has had Y with B"
        [m.code for m in s_mentions if m.eligible and m.start < subject_end] if one else [],
        [m.code for m in story.mentions_in(unit.sentence.index - 1) if m.eligible] if out else [],
        list(lead_pair),
    ]


def _parties_between(story: Story, unit: Unit, between: re.Match[str]) -> None:
    """Parties from a between-phrase: "a treaty between Peru and Chile", "between the three countries"."""
    lo = unit.lead.head_end + between.start(1)
    hi = unit.lead.head_end + between.end(1)
    parties = [c for c in eligible_codes(unit.sentence.mentions, lo, hi) if unit.allowed(c)]
    size = collective_size(between.group(1))
    if size and size > 2:
        parties = fill(story, unit, parties, size + len(parties))
    elif size == 2 and len(parties) < 2:
        parties = fill(story, unit, parties, 2)
    _set(unit, parties, "between")
    for rule in BETWEEN_VOID_RULES:
        _void(unit, rule(unit, story))


def _void(unit: Unit, reason: str | None) -> None:
    if reason and unit.void is None:
        unit.void = reason


def _parties_in_region(story: Story, unit: Unit) -> None:
    """The states named from the end of the sentence's previous instrument up to the end of this one."""
    text, sc = story.text, unit.sentence
    parties = list(dict.fromkeys(m.code for m in sc.mentions if _in_region(story, unit, m)))
    if len(parties) >= 3:
        # "Tanzania, which is building a link to the Kenyan grid, is to sign a deal with Addis Ababa"
        asides = [m.span() for m in _ASIDE.finditer(text, sc.region_start, unit.end)]
        inside = {m.code for m in sc.mentions if any(a <= m.start < b for a, b in asides)}
        kept = [c for c in parties if c not in inside]
        if len(kept) >= 2:
            parties = kept
    _set(unit, parties, "named_in_the_clause")
    region_count = len(parties)
    for rule in VOID_RULES:
        _void(unit, rule(unit, story))
    for rule in NON_STATE_SIGNER_RULES:
        reason = rule(unit, story)
        if reason:
            _void(unit, reason)
            unit.nonstate = True
            break
    unit.explicit = len(unit.parties) >= 2
    size = collective_size(text[sc.region_start : sc.end])
    if size is not None and region_count == 0 and story.main_set and len(story.main_set[0]) == max(size, 2):
        _set(unit, list(story.main_set[0]), "collective_is_the_lead_pair")  # "the two countries"
    if len(unit.parties) < 2 and (unit.definite or region_count > 0):
        _set(unit, unit.parties + _more_in_the_sentence(story, unit), "named_in_the_sentence")
    if (size is not None and size > len(unit.parties)) or (size == 0 and not unit.parties):
        _set(unit, fill(story, unit, unit.parties, size or 0), "collective_completed_from_the_context")


def _in_region(story: Story, unit: Unit, m: Mention) -> bool:
    sc, lead, text = unit.sentence, unit.lead, story.text
    if not (sc.region_start <= m.start < unit.end and m.eligible and unit.allowed(m.code)):
        return False
    if not _SIDE_CLAUSE.search(" ".join(text[max(sc.start, m.start - 50) : m.start].split()[-5:])):
        return True
    lo, hi = clause_bounds(text, sc.start, sc.end, m.start)
    return lo <= lead.head_start < hi  # "after talks with Japan": a side clause, unless it holds the instrument


def _more_in_the_sentence(story: Story, unit: Unit) -> list[str]:
    """States elsewhere in the sentence that can complete a definite instrument's parties."""
    text, sc = story.text, unit.sentence
    nps = sc.nps
    later_elliptic = next(
        (nps[u[0]].start for u in sc.units[unit.position + 1 :] if any(nps[i].elliptic for i in u)), sc.end
    )
    parties = list(unit.parties)
    for m in sc.mentions:
        c = m.code
        if not m.eligible or c in parties or not unit.allowed(c):
            continue
        if sc.region_start > sc.start and m.start < sc.region_start:
            continue
        if m.start >= later_elliptic:
            continue  # "signed one with A and agreed on one with B": B is the second one's partner
        if _SIDE_CLAUSE.search(text[clause_bounds(text, sc.start, sc.end, m.start)[0] : m.start]):
            continue
        if m.start >= unit.end and (
            _NEXT_CLAUSE.search(text[unit.end : m.start])
            or (parties and _RELATIVE_AFTER.search(text[unit.end : m.start]))
        ):
            continue  # "A pact with Pakistan took effect, and Beijing is negotiating with Peru"
        parties.append(c)
    return parties[len(unit.parties) :]


def _needs_the_lead_pair(story: Story, unit: Unit) -> bool:
    lead, name = unit.lead, unit.name
    return (
        unit.void is None
        and len(unit.parties) < 2
        and bool(
            unit.parties
            or (story.main_set and (unit.definite or lead.det in ("indef", "", "count", "all") or unit.relation))
            # "the Anti-Ballistic Missile Treaty, signed by Nixon and Brezhnev": a named, signed treaty with
            # no state in view belongs to the pair the article is about
            or (name and unit.evidence and not name.isupper() and len(story.frequency) >= 2)
        )
    )


def _partner_of_a_coordinated_phrase(story: Story, unit: Unit) -> None:
    """A coordinated phrase's own partner, else its predecessor's parties: "Peru's pact with Washington ..., and one
    with Panama": the second instrument keeps the subject."""
    sc, lead = unit.sentence, unit.lead
    prev_parties = sc.prev_parties
    partner = (
        eligible_codes(sc.mentions, lead.head_end, lead.head_end + 40)
        if lead.elliptic and lead.complement.lstrip().startswith("with")
        else []
    )
    if not partner and unit.coordinated and prev_parties and not unit.explicit:
        # "relied on a 1959 agreement with Sudan, and on an earlier 1929 agreement concluded with Britain"
        own_with = _OWN_WITH.match(story.text[lead.head_end : unit.end])
        if own_with:
            lo = lead.head_end
            partner = [
                c for c in eligible_codes(sc.mentions, lo + own_with.start(1), lo + own_with.end(1)) if unit.allowed(c)
            ]
    if len(partner) == 1 and prev_parties and partner[0] not in prev_parties:
        # the story's main state keeps its place; ties go to the subject, not the previous instrument's partner
        prev_partners = (
            set(eligible_codes(sc.mentions, sc.nps[sc.units[unit.position - 1][0]].head_end, lead.start))
            if unit.position
            else set()
        )
        keep = max(prev_parties, key=lambda c: (story.frequency[c], c not in prev_partners))
        _set(unit, [keep, partner[0]], "own_partner_of_a_coordinated_phrase")
    elif (
        unit.coordinated
        and prev_parties
        and not unit.explicit
        and (
            len(unit.parties) < 3
            # "signed separate memorandums: one on flights and one on visas": the members keep the list's
            # signers, not the story's lead instrument's
            or (lead.elliptic and not eligible_codes(sc.mentions, sc.region_start, unit.end))
        )
    ):
        _set(unit, list(prev_parties), "parties_of_the_coordinated_phrase")


# ---------------------------------------------------------------------------------------------------------------
# Void rules: each names a signer that is not a sovereign state, and so voids the instrument.


def void_if_between_names_a_non_state(unit: Unit, story: Story) -> str | None:
    """A between-phrase that names no two states but a non-state side: "a peace deal between the government in
    Khartoum and southern rebels"."""
    between = _BETWEEN_PARTIES.search(story.text[unit.lead.head_end : min(unit.sentence.end, unit.end + 60)])
    if between and len(unit.parties) < 2 and _NONSTATE.search(between.group(1)):
        return "void_if_between_names_a_non_state"
    return None


def void_if_partner_is_no_state(unit: Unit, story: Story) -> str | None:
    """A "with" partner that is no state: "signed an arrangement with the IAEA", "a final agreement with the owners"."""
    comp_abs = unit.lead.head_end
    withm = _NEAR_WITH_PARTNER.match(story.text[comp_abs : unit.end])
    if (
        withm
        and not eligible_codes(unit.sentence.mentions, comp_abs + withm.start(1), comp_abs + withm.end(1))
        and (_NONSTATE.search(withm.group(1)) or not _FRIENDLY.search(withm.group(1)))
        and len(unit.parties) < 2
    ):
        return "void_if_partner_is_no_state"
    return None


def void_if_owned_by_a_non_state(unit: Unit, story: Story) -> str | None:
    """An instrument owned by a non-state: "the rebels' agreement", "the consortium's deal"."""
    lead = unit.lead
    if lead.det == "poss" and _NONSTATE.search(story.text[max(unit.sentence.start, lead.start - 50) : lead.head_start]):
        return "void_if_owned_by_a_non_state"
    return None


def void_if_company_signer(unit: Unit, story: Story) -> str | None:
    """Firms sign: "US and Chinese companies signed deals", "Acme Mining Corp. signed a preliminary deal"."""
    if len(unit.parties) < 2 and _COMPANY_SIGNER.search(story.text[unit.sentence.region_start : unit.lead.start]):
        return "void_if_company_signer"
    return None


def void_if_organisation_subject(unit: Unit, story: Story) -> str | None:
    """An organisation as subject: "ASEAN, which has been negotiating a code of conduct ..."."""
    if len(unit.parties) < 2 and _ORG_SUBJECT.search(story.text[unit.sentence.region_start : unit.lead.start]):
        return "void_if_organisation_subject"
    return None


def void_if_non_state_signer(unit: Unit, story: Story) -> str | None:
    """A sub-national or non-state signer near the phrase: "Quebec's premier and the French president signed", "a deal
    with Somaliland", "signed by ... the PLO"."""
    if len(unit.parties) >= 2:
        return None
    text, sc, lead = story.text, unit.sentence, unit.lead
    with_np = _WITH_NP.search(text, lead.head_end, min(sc.end, lead.head_end + 120))
    signer_clause = _SIGNED_BY.match(text, lead.head_end, min(sc.end, lead.head_end + 120))
    around = " ".join(
        (
            text[max(sc.region_start, lead.start - 120) : lead.start],
            text[lead.head_end : unit.end][:100],
            with_np.group(0) if with_np else "",
            signer_clause.group(0) if signer_clause else "",
        )
    )
    return "void_if_non_state_signer" if _NONSTATE_SIGNER.search(around) else None


def void_if_non_state_subject(unit: Unit, story: Story) -> str | None:
    """A non-state subject of a relative clause: "two agreements that the state of Victoria had signed with China"."""
    lead = unit.lead
    if _NONSTATE_SUBJECT.match(story.text, lead.head_end, min(unit.sentence.end, lead.head_end + 80)):
        return "void_if_non_state_subject"
    return None


VoidRule = Callable[[Unit, Story], str | None]
BETWEEN_VOID_RULES: list[VoidRule] = [void_if_between_names_a_non_state]
# run on the states named in the unit's region, before they are completed
VOID_RULES: list[VoidRule] = [
    void_if_partner_is_no_state,
    void_if_owned_by_a_non_state,
    void_if_company_signer,
    void_if_organisation_subject,
]
# the first that matches also marks the signer as no state: anaphors of it stay void
NON_STATE_SIGNER_RULES: list[VoidRule] = [void_if_non_state_signer, void_if_non_state_subject]


# ---------------------------------------------------------------------------------------------------------------
# Distribution rules: the first that gives party sets splits the unit into one instrument per set.


def one_per_with_segment(unit: Unit, story: Story) -> list[tuple[str, ...]]:
    """Chained with-phrases: "signed similar agreements with Egypt in 2003 and with Lebanon in 2007": one per partner,
    with its date."""
    text, sc, lead = story.text, unit.sentence, unit.lead
    seg_hi = unit.next_phrase_start
    if lead.det == "count" or lead.relation or text.count(" with ", lead.head_end, seg_hi) < 2:
        return []
    segments = _with_segments(text, lead.head_end, seg_hi)
    if len(segments) < 2:
        return []
    seg_partners = [eligible_codes(sc.mentions, lo, hi) for lo, hi, _ in segments]
    subject = [
        c for c in eligible_codes(sc.mentions, sc.start, segments[0][0]) if not any(c in p for p in seg_partners)
    ]
    if len(subject) != 1 or not all(len(p) == 1 for p in seg_partners):
        return []
    out = []
    for (lo, _, d_hi), partner in zip(segments, seg_partners, strict=True):
        spec = tuple(sorted((subject[0], partner[0])))
        out.append(spec)
        own = [d for d in sc.dates if lo <= d.start < d_hi and not d.future]
        if own:
            unit.segment_dates[spec] = own[0]
    return out


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


_LIST_SEPARATOR = re.compile(r"\s*(?:,\s*(?:and\s+|as well as\s+)?|\s+and\s+|\s+as well as\s+)(?:the\s+)?")


def listed_partners(story: Story, mentions: list[Mention], start: int, hi: int) -> list[str]:
    """The states of a list that opens at ``start``: "Mexico, Malaysia, Chile and Thailand" (commas included)."""
    listed: list[Mention] = []
    for m in mentions:
        if m.start < start or m.start >= hi or not m.eligible:
            continue
        gap = story.text[listed[-1].end : m.start] if listed else ""
        if listed and not _LIST_SEPARATOR.fullmatch(gap):
            break
        listed.append(m)
    return list(dict.fromkeys(m.code for m in listed))


_RELATIVE_OPENING = re.compile(r",\s+(?:which|who)\b")


def _relative_antecedent(story: Story, mentions: list[Mention], lead_start: int) -> str | None:
    """ "…the fourth for Japan, which has signed pacts with …": the state the relative clause is about."""
    before = [m for m in mentions if m.end <= lead_start and m.eligible]
    if not before:
        return None
    last = before[-1]
    opening = _RELATIVE_OPENING.match(story.text, last.end)
    return last.code if opening and "," not in story.text[opening.end() : lead_start] else None


def one_per_with_partner(unit: Unit, story: Story) -> list[tuple[str, ...]]:
    """A plural with several partners: "Australia signed free trade agreements with South Korea and Japan", "Japan
    has free trade agreements with Mexico, Malaysia, Chile and Thailand"."""
    lead, sc = unit.lead, unit.sentence
    comp = story.text[lead.head_end : unit.end]
    withm = _WITH_PARTNERS.search(comp)
    if not (lead.plural and lead.det != "count" and withm):
        return []
    w_lo = lead.head_end + withm.start(1)
    partners = eligible_codes(sc.mentions, w_lo, w_lo + len(withm.group(1)))
    if len(partners) == 1:  # the pattern stops at a comma: a list may go on after it
        partners = listed_partners(story, sc.mentions, w_lo, sc.end) or partners
    antecedent = _relative_antecedent(story, sc.mentions, lead.start)
    if antecedent and len(partners) >= 2:
        return [tuple(sorted((antecedent, p))) for p in partners if p != antecedent]
    subject = [c for c in eligible_codes(sc.mentions, sc.start, w_lo) if c not in partners]
    if len(partners) >= 2 and len(subject) == 1:
        return [tuple(sorted((subject[0], p))) for p in partners]
    if len(partners) == 1 and len(subject) >= 2:
        return [tuple(sorted((partners[0], p))) for p in subject]
    return []


def one_per_relation_subject(unit: Unit, story: Story) -> list[tuple[str, ...]]:
    """Relations of several subjects with one state: "The UAE and Bahrain established formal ties with Israel": one
    relation per subject state."""
    text, sc, lead = story.text, unit.sentence, unit.lead
    if not (unit.relation and unit.evidence):
        return []
    rel_with = _WITH_PARTNERS.match(text, lead.head_end + 1, min(sc.end, lead.head_end + 90))
    if not rel_with or text[lead.head_end : lead.head_end + 1] != " ":
        return []
    partners = eligible_codes(sc.mentions, rel_with.start(1), rel_with.end(1))
    subject = [c for c in eligible_codes(sc.mentions, sc.start, lead.start) if c not in partners]
    if len(partners) != 1 or len(subject) < 2 or _WITH_PARTNERS.search(text, sc.start, lead.start):
        return []
    _set(unit, sorted({partners[0], *subject}), "one_per_relation_subject")
    return [tuple(sorted((partners[0], p))) for p in subject]


def one_per_listed_partner(unit: Unit, story: Story) -> list[tuple[str, ...]]:
    """A plural whose parties are one state and a listed pair: "Ethiopia already sells electricity to Djibouti and
    Sudan under older accords": one per partner."""
    lead = unit.lead
    if not (lead.plural and lead.det in ("", "indef") and len(unit.parties) >= 3 and unit.evidence):
        return []
    ordered = [m.code for m in unit.sentence.mentions if m.code in unit.parties and m.eligible]
    rest = list(dict.fromkeys(c for c in ordered if c != ordered[0]))
    if any(set(run) == set(rest) and ordered[0] not in run for run in story.coordination):
        return [tuple(sorted((ordered[0], p))) for p in rest]
    return []


DISTRIBUTION_RULES: list[Callable[[Unit, Story], list[tuple[str, ...]]]] = [
    one_per_with_segment,
    one_per_with_partner,
    one_per_relation_subject,
    one_per_listed_partner,
]
