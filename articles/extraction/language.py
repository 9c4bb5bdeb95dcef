"""Which language an article is written in, when its record does not say.

py3langid ships its model in the package (no network); it is restricted to the languages news in the tracker's
sources comes in, and reads the opening of the text only: the language of a news page is settled in its first
paragraphs, and the cost stays fixed however long the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

# the languages the detector may answer; the engine reads only those with a lexicon (lexicon.LANGUAGES)
CANDIDATES = ("en", "es", "fr", "pt", "de", "it", "ru", "ar", "zh")
PREFIX = 300  # characters read
# below this probability the answer is a guess (a one-line English sentence full of names can look Italian): then
# the most probable language the engine reads wins
CLEAR = 0.5
READ = ("en", "es")  # lexicon.LANGUAGES, spelled out so this module imports nothing of the engine
# The fast path: an opening with this many of English's commonest function words is English without asking the model
# (no other language the model knows writes "the", "and", "of", "with" … as words); most articles the engine gets are
# English, and the model costs more than the engine's own first stage.
_ENGLISH_WORDS = re.compile(r"\b(?:the|and|of|to|with|for|that|was|were|has|have|said|its|their|which|from)\b", re.I)
PLAINLY_ENGLISH = 6


@cache
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(CANDIDATES))
    return identifier


def primary_language(tag: str | None) -> str:
    """The ISO 639-1 part of a language tag: "es" for "es-AR" or "es_AR", "" for nothing."""
    return (tag or "").strip().replace("_", "-").split("-")[0].lower()


def _ranked(sample: str) -> list[tuple[str, float]]:
    """Candidate languages of ``sample``, most probable first; the fast path answers English with certainty."""
    if len(_ENGLISH_WORDS.findall(sample)) >= PLAINLY_ENGLISH:
        return [("en", 1.0)]
    return [(str(code), float(p)) for code, p in _identifier().rank(sample)]


def detect_language(text: str) -> str:
    """The ISO 639-1 code of the language ``text`` is written in ("en" when there is no text to tell)."""
    sample = text[:PREFIX]
    if not sample.strip():
        return "en"
    ranked = _ranked(sample)
    language, probability = ranked[0]
    if probability >= CLEAR:
        return language
    return next((code for code, _ in ranked if code in READ), "en")


# Where an article's language came from (articles.models.LanguageSource has the same values).
SUBMITTED, DECLARED, DETECTED = "submitted", "declared", "detected"


@dataclass(frozen=True)
class LanguageReading:
    code: str  # ISO 639-1
    source: str  # SUBMITTED, DECLARED or DETECTED


def read_language(text: str, *, given: str | None = None, declared: str | None = None) -> LanguageReading:
    """The language to read an article in, and where that answer came from.

    What the submitter gave is final. A page's own declaration (<html lang>, Content-Language) holds unless the text
    plainly says otherwise: site templates often declare the language of the site, not of the story (a Spanish
    agency's English service keeps lang="es").
    """
    if primary_language(given):
        return LanguageReading(primary_language(given), SUBMITTED)
    declared = primary_language(declared)
    sample = text[:PREFIX]
    if not sample.strip():
        return LanguageReading(declared or "en", DECLARED if declared else DETECTED)
    detected, probability = _ranked(sample)[0]
    if declared and (detected == declared or probability < CLEAR):
        return LanguageReading(declared, DECLARED)
    return LanguageReading(detect_language(text), DETECTED)
