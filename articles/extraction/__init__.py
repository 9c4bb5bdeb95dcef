"""Agreement-extraction engine: rules and gazetteers propose, trained decisions keep, score and date; pure Python.

from articles.extraction import extract
result = extract(text, published=date(2023, 8, 3), title="...")
"""

from .language import LanguageReading, read_language
from .lexicon import LANGUAGES
from .pipeline import extract
from .results import CandidateAgreement, CountryMention, Extraction, Span

EXTRACTOR_VERSION = "rules-1.14+decisions-3"

__all__ = [
    "EXTRACTOR_VERSION",
    "LANGUAGES",
    "CandidateAgreement",
    "CountryMention",
    "Extraction",
    "LanguageReading",
    "Span",
    "extract",
    "read_language",
]
