"""Agreement-extraction engine: rules and gazetteers propose, trained decisions keep, score and date; pure Python.

from articles.extraction import extract
result = extract(text, published=date(2023, 8, 3), title="...")
"""

from .pipeline import extract
from .results import CandidateAgreement, CountryMention, Extraction, Span

EXTRACTOR_VERSION = "rules-1.14+decisions-3"

__all__ = ["EXTRACTOR_VERSION", "CandidateAgreement", "CountryMention", "Extraction", "Span", "extract"]
