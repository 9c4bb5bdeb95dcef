"""The mentions stage: every country the unmasked text names, its sentence, and its role context."""

from __future__ import annotations

from collections import Counter

from .countries import find_mentions, inter_korean_mentions, is_sovereign
from .parties import Mention, annotate, coordination_lists
from .story import Story


def read_mentions(story: Story) -> None:
    text, masked, sentences = story.text, story.document.masked, story.sentences
    raw = find_mentions(text, masked) + [
        m for m in inter_korean_mentions(text) if not any(a <= m.start < b for a, b in masked)
    ]
    mentions = [Mention(r.code, r.start, r.end, r.text, r.kind) for r in sorted(raw, key=lambda r: r.start)]
    _place_in_sentences(story, mentions)
    annotate(text, mentions, sentences)
    story.mentions = mentions
    story.country_words = {m.text for m in mentions}
    story.coordination = coordination_lists(text, [m for m in mentions if m.sentence >= 0])
    story.frequency = _frequency(story, mentions)
    for mention in mentions:
        story.per_sentence.setdefault(mention.sentence, []).append(mention)


def _place_in_sentences(story: Story, mentions: list[Mention]) -> None:
    sentences = story.sentences
    si = 0
    for mention in mentions:
        while si < len(sentences) and sentences[si][1] <= mention.start:
            si += 1
        if si < len(sentences) and sentences[si][0] <= mention.start < sentences[si][1]:
            mention.sentence = si


def _frequency(story: Story, mentions: list[Mention]) -> Counter:
    """How often the story names each state that could sign; a state in the title counts once more."""
    freq = Counter(m.code for m in mentions if m.eligible and m.sentence >= 0)
    if story.title:
        for r in find_mentions(story.title):
            if is_sovereign(r.code) and r.kind != "agency":
                freq[r.code] += 1
    return freq
