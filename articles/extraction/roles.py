"""Roles of the countries a story names, for a language read without rules (the learned stage alone).

English roles come from the rules' story (assemble.mention_roles). Elsewhere the same classes are read from the
kept agreements and that language's roles lexicon (lexicon/<language>/roles.toml): a party of a kept agreement; a
host or mediator, or a country reacting, in its own clause of a sentence naming the instrument or its talks; any
other state in an evidence sentence is a third party; the rest are merely mentioned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from . import lexicon
from .countries import KIND_AGENCY
from .parties import clause_bounds
from .reading import Reading
from .results import CandidateAgreement, CountryMention


@dataclass(frozen=True)
class RoleWords:
    hosts: re.Pattern[str]
    reactions: re.Pattern[str]
    occasions: re.Pattern[str]


def _pattern(forms: list[str]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + lexicon.alternation(forms) + r")\b", re.I)


@cache
def role_words(language: str) -> RoleWords | None:
    try:
        table = lexicon.load("roles", language)
    except FileNotFoundError:
        return None
    return RoleWords(*(_pattern(table[name]["forms"]) for name in ("hosts", "reactions", "occasions")))


def _role(mention: CountryMention, reading: Reading, words: RoleWords, evidence: set[int]) -> str:
    index = reading.sentence_of(mention.span.start)
    a, b = reading.sentences[index]
    lo, hi = clause_bounds(reading.text, a, b, mention.span.start)
    clause = reading.text[lo:hi]
    about_it = index in evidence or bool(words.occasions.search(reading.text[a:b]))
    if about_it and words.hosts.search(clause):
        return "host_or_mediator"
    if index in evidence or (about_it and words.reactions.search(clause)):
        return "third_party"
    return "mentioned"


def roles_in(
    reading: Reading, kept: tuple[CandidateAgreement, ...], mentions: tuple[CountryMention, ...]
) -> tuple[CountryMention, ...]:
    """``mentions`` with the roles the kept agreements give them."""
    parties = {code for agreement in kept for code in agreement.parties}
    words = role_words(reading.language)
    evidence = {reading.sentence_of(agreement.evidence.start) for agreement in kept}
    out = []
    for mention in mentions:
        if mention.code in parties:
            role = "party"
        elif not kept or words is None or mention.kind == KIND_AGENCY or not reading.sentences:
            role = "mentioned"
        else:
            role = _role(mention, reading, words, evidence)
        out.append(mention if role == mention.role else CountryMention(mention.code, mention.span, mention.kind, role))
    return tuple(out)
