"""The linking stage: a unit becomes a new instrument, a member of a group, or a step of one named before.

Then, over the whole story: "withdrew from it" ends the instrument just named, a denial voids planned instruments
near it, relation statements fold into the instrument that restores relations, and groups dissolve into the members
the text describes one by one.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from . import classify
from .cues import IN_FORCE, PROPOSED, RANK, SIGNED, TERMINATED
from .phrases import NounPhrase, name_key
from .story import Evidence, Instrument, Story, Unit
from .units import clause_date

_COLON_LIST_LEAD = re.compile(r"[^.;]{0,200}?:")
# "signed separate memorandums: one on flights and one on visas": the plural opens its list of members
_LIST_OPENS = re.compile(r"\s*:\s*one\s+(?:on|for|covering|about|to)\b[^.;]{0,120}?\band\s+(?:one|another|the other)\b")
# "signed two agreements, one governing troops and the other setting out ties": the members follow in the sentence
_ONE_THE_OTHER = re.compile(r"(?:\s+of understanding)?[^.;:]{0,60}?,\s+one\s+(?!of\b)[^.;]{0,160}?\bthe other\b")
# "the United States withdrew from it in June 2002": a pronoun object ends the instrument just named
_IT_TERMINATED = re.compile(
    r"\b(?:withdrew|withdrawn|pulled out|walked away)\s+from\s+it\b"
    r"|\b(?:scrapped|abandoned|suspended|terminated|cancell?ed|abrogated|denounced|tore up|torn up)\s+it\b"
)
_IT_IN_FORCE = re.compile(
    r"\b(?:ratified|approved|endorsed|brought)\s+it\b(?!\s+(?:to|for)\b)"
    r"|\b[Ii]t\s+(?:entered|came|went)\s+into\s+(?:force|effect)\b|\b[Ii]t\s+took\s+effect\b"
)
_TOPIC_LIST = re.compile(
    r"\s+(?:of understanding\s+)?(?:were\s+signed\s+|was\s+signed\s+)?(?:on|covering)\s+"
    r"((?:[a-z][\w-]*(?:\s+(?!and\b|on\b)[a-z][\w-]*){0,4})"
    r"(?:,\s+(?!and\b)[a-z][\w-]*(?:\s+(?!and\b|on\b)[a-z][\w-]*){0,4})*"
    r",?\s+and\s+(?:on\s+)?[a-z][\w-]*(?:\s+(?!and\b|on\b)[a-z][\w-]*){0,4})"
)
_TOPIC_SPLIT = re.compile(r",\s+and\s+(?:on\s+)?|,\s+|\s+and\s+(?:on\s+)?")
_TOPIC_TAIL = re.compile(r"\s+(?:cooperation|co-operation|matters|issues|sectors?|fields?)$")
_AND_ON = re.compile(r"\band\s+on\b")


def place(story: Story, unit: Unit) -> None:
    """Attach the unit to an instrument named before, or create its instrument(s)."""
    if not unit.evidence:
        _place_without_steps(story, unit)
        unit.sentence.prev_evidence = []
        return
    target = _named_before(story, unit.name) if unit.name else None
    if target is None and _may_refer_back(unit, story):
        target = anaphora_target(story, unit)
    unit.sentence.prev_evidence = unit.evidence
    if target is not None:
        _merge(unit, target)
        return
    _create(story, unit)


def _named_before(story: Story, name: str) -> Instrument | None:
    key = name_key(name)
    return next((x for x in reversed(story.instruments) if x.name and name_key(x.name) == key), None)


def _place_without_steps(story: Story, unit: Unit) -> None:
    """A phrase with no cue: a member of the group just named, or another mention of an earlier instrument."""
    sc, lead = unit.sentence, unit.lead
    instruments = story.instruments
    target = _named_before(story, unit.name) if unit.name else None
    last = instruments[-1] if instruments else None
    opens_member = (unit.individuated or lead.det == "indef") and not lead.weak
    group = next((x for x in reversed(instruments) if x.group or x.container), None)
    if (
        target is None
        and opens_member
        and group is not None
        and (group is last or unit.individuated)
        and sc.index - group.sentence <= 5
    ):
        instruments.append(_member_of(story, unit, group))
        return
    if target is None and unit.definite and last is not None and not unit.name:
        target = last
    if target is None:
        story.skipped.append(_no_steps(unit))
        return
    target.scores.update({k: v * 0.5 for k, v in unit.local_scores.items()})
    if unit.alias and not target.name:
        target.name = unit.alias


def _member_of(story: Story, unit: Unit, group: Instrument) -> Instrument:
    """A member of a group: "Armenia and Turkey signed two protocols. ... a protocol on relations and a second on
    ...": a member."""
    sc = unit.sentence
    return Instrument(
        sentence=sc.index,
        paragraph=sc.paragraph,
        nps=unit.phrases,
        parties=group.parties,
        party_span=group.party_span,
        scores=unit.local_scores + sc.scores(story.text),
        type_span=(unit.start, unit.end),
        name=unit.name,
        member=True,
        additional=any(n.additional for n in unit.phrases),
        sentences={sc.index},
        position=unit.start,
        evidence=[e.copy() for e in group.evidence],
        party_rule="parties_of_the_group",
    )


def _no_steps(unit: Unit) -> Instrument:
    sc = unit.sentence
    return Instrument(
        sentence=sc.index,
        paragraph=sc.paragraph,
        nps=unit.phrases,
        parties=tuple(unit.parties),
        type_span=(unit.start, unit.end),
        name=unit.name or unit.alias,
        dropped="no_status_and_nothing_to_refer_to",
        sentences={sc.index},
        position=unit.start,
    )


def _may_refer_back(unit: Unit, story: Story) -> bool:
    """Definite phrases ("the treaty"), bare singulars and relations may be another mention of an instrument; so
    may "an extradition treaty" told again of the states an earlier one had the same words for."""
    lead = unit.lead
    return (
        not unit.individuated
        and not unit.new_by_relative
        and not unit.distribute
        and (
            unit.definite
            or (lead.det == "" and not lead.plural and not unit.name)
            or unit.relation
            or _told_again(story, unit)
        )
    )


def _told_again(story: Story, unit: Unit) -> bool:
    """An indefinite singular whose head and modifiers an earlier instrument of the same states already had."""
    lead = unit.lead
    if lead.det != "indef" or lead.plural or unit.name or not lead.modifiers or len(unit.parties) < 2:
        return False
    words = {lead.head.lower(), *(m.lower() for m in lead.modifiers)}
    for inst in story.live:
        if set(inst.parties) == set(unit.parties):
            earlier = {w.lower() for np in inst.nps for w in (np.head, *np.modifiers)}
            if words <= earlier:
                return True
    return False


# How far back an anaphor looks, and how much of a candidate's history it compares: far more than any article needs,
# and a bound, so that a text of thousands of "the accord" stays linear in its length.
ANAPHORA_REACH = 40
EVIDENCE_COMPARED = 40


def anaphora_target(story: Story, unit: Unit) -> Instrument | None:
    """The latest earlier instrument this unit can be another mention of, if any."""
    instruments = story.instruments[-ANAPHORA_REACH:]
    for cand in reversed(instruments):
        if cand.dropped is not None:
            if _stays_void(story, unit, cand):
                return cand  # "the treaties" of an instrument with a non-state counterpart stay void
            continue
        if unit.name and cand.name:
            continue
        if any(rule(unit, cand) for rule in ANAPHORA_VETOES):
            continue
        return cand
    return None


def _stays_void(story: Story, unit: Unit, cand: Instrument) -> bool:
    return (
        cand.nonstate
        and unit.definite
        and not unit.explicit
        and not unit.name
        and unit.sentence.index - cand.sentence <= 3
        and cand is story.instruments[-1]
    )


def _regroups(unit: Unit, cand: Instrument) -> bool:
    """An anaphor names the parties the first mention left to guesswork: "The five leaders signed a convention on
    Sunday. Putin of Russia, ... put their signatures to the document"."""
    parties = unit.parties
    return (
        (unit.explicit and not cand.explicit_parties and len(parties) >= len(cand.parties))
        or (len(cand.parties) < 2 and len(set(parties)) >= 2 and bool(unit.evidence) and unit.void is None)
    ) and unit.sentence.index - max(cand.sentences) <= 1


def other_parties(unit: Unit, cand: Instrument) -> bool:
    """The unit names other parties than the candidate's."""
    if _regroups(unit, cand):
        return False
    return (unit.explicit and set(unit.parties) != set(cand.parties)) or bool(unit.local_codes - set(cand.parties))


def other_dates(unit: Unit, cand: Instrument) -> bool:
    """The same strong step in another year: "signed in 2001" then "the treaty signed in 2019"."""
    return any(
        e.status == f.status
        and ((e.strength >= 2 and f.strength >= 2) or (e.status == SIGNED and max(e.strength, f.strength) >= 2))
        and e.date
        and f.date
        and e.date.value[:4] != f.date.value[:4]
        for e in unit.evidence
        for f in cand.evidence[-EVIDENCE_COMPARED:]
    )


def other_relation_pair(unit: Unit, cand: Instrument) -> bool:
    return unit.relation and set(unit.parties) != set(cand.parties)


def other_domain(unit: Unit, cand: Instrument) -> bool:
    """Another domain: "the free trade agreement" after a security declaration: another instrument."""
    if unit.domain is None:
        unit.domain = phrase_domain(unit.phrases)
    unit_kind = unit.domain
    if not unit_kind:
        return False
    if cand.domain is None:
        cand.domain = phrase_domain(cand.nps)
    return bool(cand.domain) and unit_kind != cand.domain


ANAPHORA_VETOES: list[Callable[[Unit, Instrument], bool]] = [
    other_parties,
    other_dates,
    other_relation_pair,
    other_domain,
]


def phrase_domain(nps: list[NounPhrase]) -> str:
    """The domain an instrument's own noun phrase names ("free trade agreement": economic), or "" when it names none."""
    words = " ".join(" ".join(n.modifiers) + " " + n.head + " " + n.complement for n in nps if not n.relation)
    scores = classify.keyword_scores(words, 1.0)
    # a title's brief ("national security adviser" scores a quarter) or a lone weak word does not name a domain
    return classify.rank(scores)[0] if scores and max(scores.values()) >= 1.5 else ""


def _merge(unit: Unit, target: Instrument) -> None:
    parties = unit.parties
    if unit.explicit and not target.explicit_parties and set(parties) != set(target.parties):
        target.parties = tuple(sorted(set(parties)))
        target.explicit_parties = True
        target.party_rule = f"{unit.party_rule or 'named'}_by_a_later_mention"
    elif len(target.parties) < 2 and len(set(parties)) >= 2 and unit.evidence and unit.void is None:
        target.parties = tuple(sorted(set(parties)))  # "A treaty ... took effect. It was signed by A, B, C"
        target.party_rule = f"{unit.party_rule or 'named'}_by_a_later_mention"
    target.evidence += unit.evidence
    target.scores += unit.local_scores
    target.sentences.add(unit.sentence.index)
    if unit.name and not target.name:
        target.name = unit.name
    if unit.lead.det == "all":
        target.quant_all = True


def _create(story: Story, unit: Unit) -> None:
    sc, lead, text = unit.sentence, unit.lead, story.text
    container = (
        lead.det == "count"
        and (lead.count or 0) >= 2
        and bool(
            _COLON_LIST_LEAD.match(text[lead.head_end : sc.end]) or _ONE_THE_OTHER.match(text, lead.head_end, sc.end)
        )
    ) or bool(lead.plural and lead.det == "" and _LIST_OPENS.match(text, lead.head_end, sc.end))
    topics = _topics(story, unit) if not container else []
    if topics:
        _create_per_topic(story, unit, topics)
        sc.prev_container = None
        return
    for spec in unit.distribute or [tuple(unit.parties)]:
        inst = _instrument(story, unit, spec, container)
        story.instruments.append(inst)
        story.note_pair(inst)
    sc.prev_container = story.instruments[-1] if container else None


def _instrument(story: Story, unit: Unit, spec: tuple[str, ...], container: bool) -> Instrument:
    sc, lead = unit.sentence, unit.lead
    evidence = list(unit.evidence)
    if spec in unit.segment_dates:
        evidence = [e.dated(unit.segment_dates[spec]) for e in unit.evidence]
    return Instrument(
        sentence=sc.index,
        paragraph=sc.paragraph,
        nps=unit.phrases,
        parties=tuple(sorted(set(spec))),
        party_span=(sc.start, sc.end),
        evidence=evidence,
        scores=unit.local_scores + sc.scores(story.text),
        type_span=(unit.start, unit.end),
        name=unit.name or unit.alias,
        group=lead.plural and not unit.distribute,
        container=container,
        count=lead.count,
        quant_all=lead.det == "all",
        member=unit.individuated or (lead.det in ("indef", "") and not lead.plural),
        additional=any(n.additional for n in unit.phrases),
        definite_group=lead.plural and lead.det in ("def", "poss"),
        relation=unit.relation,
        dropped=unit.void,
        nonstate=unit.nonstate,
        sentences={sc.index},
        explicit_parties=unit.explicit,
        position=unit.start,
        year_hint=unit.year,
        party_rule="one_per_distributed_party_set" if unit.distribute else unit.party_rule,
    )


def _topics(story: Story, unit: Unit) -> list[str]:
    lead = unit.lead
    if not (lead.plural and not unit.distribute and unit.evidence and lead.det in ("", "indef", "def", "count")):
        return []
    topics = topic_list(story.text, lead.head_end, unit.sentence.end)
    if topics and lead.det == "count" and lead.count != len(topics):
        return []  # "17 accords on trade, energy and culture": a group named collectively
    return topics


def topic_list(text: str, head_end: int, s_end: int) -> list[str]:
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
        not _AND_ON.search(m.group(1)) or (len(set(kinds)) < 2 and all(classify.keyword_scores(x, 3.0) for x in items))
    ):
        return []  # "memorandums on water management and finance": one group unless the preposition repeats
    return items


def _create_per_topic(story: Story, unit: Unit, topics: list[str]) -> None:
    """Listed domains: "accords on trade, tourism and health": one instrument per listed domain."""
    sc = unit.sentence
    sent = sc.scores(story.text)
    parties = tuple(sorted(set(unit.parties)))
    for topic in topics:
        topic_scores = classify.keyword_scores(topic, 3.0)
        story.instruments.append(
            Instrument(
                sentence=sc.index,
                paragraph=sc.paragraph,
                nps=unit.phrases,
                parties=parties,
                party_span=(sc.start, sc.end),
                evidence=list(unit.evidence),
                scores=(topic_scores + sent) if topic_scores else (unit.local_scores + sent),
                type_span=(unit.start, unit.end),
                member=True,
                sentences={sc.index},
                explicit_parties=unit.explicit,
                position=unit.start,
                year_hint=unit.year,
                dropped=unit.void,
                nonstate=unit.nonstate,
                party_rule=unit.party_rule,
            )
        )
        if len(unit.parties) >= 2 and unit.void is None and not story.main_set:
            story.main_set.append(parties)


# ---------------------------------------------------------------------------------------------------------------
# Over the whole story, once every sentence is read


def link_story(story: Story) -> None:
    terminated_by_it(story)
    in_force_by_it(story)
    for inst in story.live:
        for rule in DROP_RULES:
            reason = rule(inst, story)
            if reason:
                inst.drop(reason)
                break
    fold_relations(story)
    dissolve_groups(story)
    absorb_into_all(story)


def terminated_by_it(story: Story) -> None:
    """A pronoun object, "the United States withdrew from it in June 2002": the instrument named just before is
    terminated."""
    text = story.text
    for s_idx, (s_start, s_end, _) in enumerate(story.sentences):
        if " it" not in text[s_start:s_end]:
            continue
        for hit in _IT_TERMINATED.finditer(text, s_start, s_end):
            named = [
                x
                for x in story.live
                if x.evidence and x.name and max(x.sentences) in (s_idx - 1, s_idx) and x.position < hit.start()
            ]
            if named:
                dates = story.dates_in(s_idx)
                date = clause_date(text, dates, s_start, s_end, hit.end() - 1)
                named[-1].evidence.append(Evidence(TERMINATED, 2, date, hit.span(), s_idx, "terminated_by_it"))


def in_force_by_it(story: Story) -> None:
    """ "Ghana's parliament ratified it on Thursday", "it entered into force in May": the one instrument of the
    sentence before (or named just before) is in force."""
    text = story.text
    for s_idx, (s_start, s_end, _) in enumerate(story.sentences):
        if "it" not in text[s_start:s_end].lower():
            continue
        for hit in _IT_IN_FORCE.finditer(text, s_start, s_end):
            near = [x for x in story.live if x.evidence and max(x.sentences) in (s_idx - 1, s_idx)]
            before = [x for x in near if x.position < hit.start()]
            target = [x for x in before if x.name][-1:] or (before if len(before) == 1 else [])
            if target:
                date = clause_date(text, story.dates_in(s_idx), s_start, s_end, hit.end() - 1)
                target[0].evidence.append(Evidence(IN_FORCE, 1, date, hit.span(), s_idx, "in_force_by_it"))


def drop_if_denied_nearby(inst: Instrument, story: Story) -> str | None:
    """A denial ("No such deal exists," a spokesman said): planned instruments within two sentences are void."""
    if (
        story.denials
        and inst.evidence
        and all(e.status == PROPOSED for e in inst.evidence)
        and any(abs(d - s) <= 2 for d in story.denials for s in inst.sentences)
    ):
        return "drop_if_denied_nearby"
    return None


DROP_RULES: list[Callable[[Instrument, Story], str | None]] = [drop_if_denied_nearby]


def fold_relations(story: Story) -> None:
    """Relation statements fold into the instrument that restores relations."""
    live = story.live
    for rel in [x for x in live if x.relation]:
        for other in live:
            if other is rel or other.dropped is not None or set(other.parties) != set(rel.parties):
                continue
            if (other.relation and other.sentence < rel.sentence) or (
                not other.relation and abs(other.sentence - rel.sentence) <= 2
            ):
                other.evidence += rel.evidence
                other.scores["diplomatic"] += 3
                rel.drop("folded_into_the_instrument_that_restores_relations")
                break


def dissolve_groups(story: Story) -> None:
    """Groups dissolve into the members the text then describes one by one."""
    ordered = sorted(story.live, key=lambda x: x.position)
    for grp in ordered:
        if not (grp.group or grp.container) or grp.dropped is not None or grp.quant_all:
            continue
        members = _members(grp, ordered)
        if not members:
            continue
        members.sort(key=lambda x: x.position)
        if grp.container or grp.definite_group or grp.count or not members[0].additional:
            for m in members:
                m.evidence += [e.copy() for e in grp.evidence]
                if not m.scores:
                    m.scores += grp.scores
            grp.drop("dissolved_into_its_members")


def _members(grp: Instrument, ordered: list[Instrument]) -> list[Instrument]:
    later = [
        x
        for x in ordered
        if x.position > grp.position
        and x.dropped is None
        and set(x.parties) == set(grp.parties)
        and x.sentence - grp.sentence <= 2
    ]
    if grp.definite_group:
        return [x for x in later if not x.definite_group]
    members = [x for x in later if x.member and (x.sentence > grp.sentence or grp.container)]
    if grp.container:
        members += [x for x in later if x.sentence == grp.sentence and x not in members]
    return members


def absorb_into_all(story: Story) -> None:
    """A quantified group, "all its non-aggression agreements": one entry absorbs the same pair's background accords."""
    live = story.live
    for grp in [x for x in live if x.quant_all]:
        for other in live:
            if other is grp or other.dropped is not None or other.quant_all or set(other.parties) != set(grp.parties):
                continue
            if max((RANK[e.status] for e in other.evidence), default=0) <= RANK[SIGNED] and any(
                e.date and e.date.precision == "year" for e in other.evidence
            ):
                grp.evidence += other.evidence
                other.drop("absorbed_by_an_all_quantified_group")
