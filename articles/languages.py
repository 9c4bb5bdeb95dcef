"""The languages an article may be declared in: ISO 639-1 codes, and which of them the engine reads."""

from __future__ import annotations

from functools import cache

import pycountry
from django.core.exceptions import ValidationError

from articles.extraction import LANGUAGES
from articles.extraction.language import primary_language


@cache
def language_names() -> dict[str, str]:
    """Every ISO 639-1 code with its English name."""
    return {language.alpha_2: language.name for language in pycountry.languages if hasattr(language, "alpha_2")}


def language_code(tag: str) -> str:
    """The ISO 639-1 code of a language tag ("es", "es-AR", "ES_ar"); "" for none. Unknown codes are refused."""
    code = primary_language(tag)
    if code and code not in language_names():
        raise ValidationError(
            f"“{tag}” is not an ISO 639-1 language code (such as en, es, fr).", code="unknown_language"
        )
    return code


def language_choices() -> list:
    """The add-article form's choices: detection first, then the languages read, then those kept but not read."""
    names = language_names()
    read = [(code, names[code]) for code in LANGUAGES]
    unread = sorted(((code, name) for code, name in names.items() if code not in LANGUAGES), key=lambda c: c[1])
    return [
        ("", "Detect from the text"),
        ("Read by the tracker", read),
        ("Kept, not read yet (ends as “unsupported language”)", unread),
    ]
