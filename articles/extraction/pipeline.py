"""extract(): article text in, agreements and country mentions out, the stages in order.

document (lines, boilerplate, dateline, sentences) → mentions → per sentence: phrases and cues → units → partners →
linking; then over the story: linking ("withdrew from it", denials, groups) → assembly (status, date, type,
confidence) → roles.
"""

from __future__ import annotations

import datetime as dt

from .assemble import candidates, mention_roles
from .document import read_document
from .linking import link_story, place
from .mentions import read_mentions
from .partners import choose_parties
from .phrases import PhraseIndex
from .results import Extraction
from .story import Story
from .units import read_sentence, read_unit, sentences_with_phrases


def read_story(text: str, *, published: dt.date | None = None, title: str | None = None) -> Story:
    """Every stage up to the final candidates: the story keeps each decision and every dropped instrument."""
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
    # the seam: assembly produces the final candidates (story.candidates); a later stage, such as a learned
    # rescoring, takes them from here
    candidates(story)
    return story


def extract(
    text: str, *, published: dt.date | None = None, title: str | None = None, language: str = "en"
) -> Extraction:
    """Agreements between states reported in ``text`` (English news), with country mentions and their roles."""
    story = read_story(text, published=published, title=title)
    agreements = story.candidates
    return Extraction(agreements=tuple(agreements), mentions=tuple(mention_roles(story, agreements)))
