"""extract(): article text in, agreements and country mentions out, the stages in order.

document (lines, boilerplate, dateline, sentences) → mentions → per sentence: phrases and cues → units → partners →
linking; then over the story: linking ("withdrew from it", denials, groups) → assembly (status, date, type,
confidence) → roles → the learned decisions (keep, score and date every candidate; decide.py).

The rules read English. Another language with a lexicon (lexicon.LANGUAGES) is read by the learned stage alone: its
document, its country mentions (that language's gazetteer) and the proposals, with that language's word groups,
dates and trained decisions. A language without one yields nothing.
"""

from __future__ import annotations

import datetime as dt

from .assemble import candidates, mention_roles
from .countries import find_mentions, is_sovereign
from .dates import dateline_date
from .decide import decide
from .document import read_document
from .language import detect_language, primary_language
from .lexicon import LANGUAGES
from .linking import link_story, place
from .mentions import read_mentions
from .model import Decisions, load_decisions
from .partners import choose_parties
from .phrases import PhraseIndex
from .reading import Reading, make_reading
from .results import CandidateAgreement, CountryMention, Extraction, Span
from .roles import roles_in
from .story import Story
from .units import read_sentence, read_unit, sentences_with_phrases

_TRAINED = object()


def read_story(text: str, *, published: dt.date | None = None, title: str | None = None) -> Story:
    """Every stage up to the rules' candidates: the story keeps each decision and every dropped instrument."""
    story = Story(text, published, title, read_document(text, title))
    read_mentions(story)
    story.phrase_index = PhraseIndex.build(text, story.lower)
    for index in sentences_with_phrases(story):
        sentence = read_sentence(story, index)
        if sentence is None:
            continue
        for position in range(len(sentence.units)):
            unit = read_unit(story, sentence, position)
            if unit is None:
                continue
            choose_parties(story, unit)
            place(story, unit)
    link_story(story)
    candidates(story)
    return story


def rules_extraction(story: Story) -> Extraction:
    """The rules' candidates of a read story, with every mention's role."""
    agreements = story.candidates
    return Extraction(agreements=tuple(agreements), mentions=tuple(mention_roles(story, agreements)))


def reading_of(story: Story, extraction: Extraction) -> Reading:
    """What the learned decisions see: the rules' sentences and mentions, read once."""
    title = story.title
    title_codes = frozenset(r.code for r in find_mentions(title) if is_sovereign(r.code)) if title else frozenset()
    return make_reading(
        story.text,
        title=title,
        published=story.published,
        sentences=[(s.start, s.end) for s in story.sentences],
        mentions=extraction.mentions,
        title_codes=title_codes,
        date_lookup=story.dates_in,
        rule_decisions=story.decisions,
    )


def read_without_rules(
    text: str, *, published: dt.date | None, title: str | None, language: str
) -> tuple[Extraction, Reading]:
    """No rule candidates, and the reading the proposals are made from: a language the rules do not read."""
    document = read_document(text, title)
    mentions = tuple(
        CountryMention(r.code, Span(r.start, r.end, r.text), r.kind, "mentioned")
        for r in find_mentions(text, document.masked, language)
    )
    title_codes = (
        frozenset(r.code for r in find_mentions(title, language=language) if is_sovereign(r.code))
        if title
        else frozenset()
    )
    reading = make_reading(
        text,
        title=title,
        published=published,
        sentences=[(s.start, s.end) for s in document.sentences],
        mentions=mentions,
        title_codes=title_codes,
        language=language,
    )
    return Extraction(agreements=(), mentions=mentions), reading


def read_rules(
    text: str, *, published: dt.date | None = None, title: str | None = None, language: str = "en"
) -> tuple[Extraction, Reading]:
    """The rules' candidates and the reading the learned decisions take them with."""
    if language != "en":
        return read_without_rules(text, published=published, title=title, language=language)
    story = read_story(text, published=published, title=title)
    ruled = rules_extraction(story)
    return ruled, reading_of(story, ruled)


def extract_by_rules(
    text: str, *, published: dt.date | None = None, title: str | None = None, language: str = "en"
) -> Extraction:
    """The rules' candidates alone (English news), with country mentions and their roles."""
    if language != "en":
        return read_without_rules(text, published=published, title=title, language=language)[0]
    return rules_extraction(read_story(text, published=published, title=title))


def _roles_after(
    mentions: tuple[CountryMention, ...], kept: tuple[CandidateAgreement, ...]
) -> tuple[CountryMention, ...]:
    """Party roles follow the agreements that were kept; a state no longer a party reacts to them instead."""
    parties = {code for agreement in kept for code in agreement.parties}
    out = []
    for mention in mentions:
        role = mention.role
        if mention.code in parties:
            role = "party"
        elif role == "party":
            role = "third_party"
        out.append(mention if role == mention.role else CountryMention(mention.code, mention.span, mention.kind, role))
    return tuple(out)


def extract(
    text: str,
    *,
    published: dt.date | None = None,
    title: str | None = None,
    language: str | None = None,
    decisions: Decisions | object | None = _TRAINED,
) -> Extraction:
    """Agreements between states reported in ``text``, with country mentions and their roles.

    The rules propose; the trained decisions (model/decisions.json) keep, score and date. ``decisions=None`` gives
    the rules alone. ``language`` (ISO 639-1) is detected when not given; one the engine has no lexicon for yields
    nothing.
    """
    # "es-AR", "en_GB": the engine reads a language, not a region's variant
    language = primary_language(language) or detect_language(text)
    if language not in LANGUAGES:
        return Extraction(agreements=(), mentions=())
    # A document with no publication date is dated by its dateline, if it has one: relative dates need a day to
    # count from, and the dateline's day is the report's, never the signing's.
    published = published or dateline_date(text, language=language)
    if decisions is _TRAINED:
        decisions = load_decisions(language)
    if decisions is None:
        return extract_by_rules(text, published=published, title=title, language=language)
    ruled, reading = read_rules(text, published=published, title=title, language=language)
    kept = decide(reading, ruled.agreements, decisions)
    if language != "en":  # no rules, so no roles from them: read from the kept agreements and the roles lexicon
        return Extraction(agreements=kept, mentions=roles_in(reading, kept, ruled.mentions))
    return Extraction(agreements=kept, mentions=_roles_after(ruled.mentions, kept))
