"""One article per story: the address a page is known by, the outlet behind it, and a fingerprint of its text.

Pure functions (no Django): the services decide what a match means for the database; the threshold evaluation
(`python -m tests.articles.duplicate_pairs`) runs these same functions on labelled pairs of real pages.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass

import courlan
import tld
from trafilatura.deduplication import Simhash

# ---------------------------------------------------------------------------------------------------------------------
# Canonical URLs


def canonical_url(url: str) -> str:
    """The form every variant of an address shares: tracking parameters (utm_*, fbclid, gclid …), the fragment, a
    default port and an empty query dropped, the host lower-cased and the remaining parameters sorted (courlan).

    An address courlan cannot read is kept as given, less its fragment: it is still one article, and the fetcher
    decides whether it can be fetched.
    """
    address = url.strip().partition("#")[0]
    try:
        normalised = courlan.normalize_url(address)
    except ValueError:
        normalised = address
    return normalised.partition("#")[0].removesuffix("?")


def host_of(url: str) -> str:
    try:
        return (urllib.parse.urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def registrable_site(url: str) -> str:
    """The domain a publisher registered ("bbc.co.uk" for news.bbc.co.uk), from the public suffix list that tld
    ships (never fetched). A host the list does not know (an address, an internal name) is its own site."""
    host = host_of(url)
    if not host:
        return ""
    site = tld.get_fld(host, fix_protocol=True, fail_silently=True)
    return (site or host).lower()


def same_site(a: str, b: str) -> bool:
    site = registrable_site(a)
    return bool(site) and site == registrable_site(b)


def page_canonical_url(*, page_url: str, declared: str | None) -> str | None:
    """The page's own `rel=canonical` / `og:url`, when it may correct the address: an http(s) URL on the page's
    own registrable site. A page never gets to claim another site's address (a copy naming the original, or a
    hostile page naming a victim's article to take its place)."""
    if not declared or not page_url:
        return None
    absolute = urllib.parse.urljoin(page_url, declared.strip())
    if urllib.parse.urlsplit(absolute).scheme not in ("http", "https") or not same_site(absolute, page_url):
        return None
    return canonical_url(absolute)


# ---------------------------------------------------------------------------------------------------------------------
# Near-duplicate text

_WORD_RE = re.compile(r"\w+")
# Word triples, not single words: two different stories about the same two countries share most of their words
# (names, "agreement", "cooperation") but few of their triples, while a copy shares almost all of them.
SHINGLE = 3


def shingles(text: str) -> list[str]:
    words = _WORD_RE.findall(text.casefold())
    if len(words) < SHINGLE:
        return ["".join(words)] if words else []
    # Joined without a separator: trafilatura's Simhash keeps only alphanumeric tokens.
    return ["".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)]


# Shorter texts get no fingerprint: two one-line briefs from one template ("A and B signed a memorandum of
# understanding on defence cooperation …") differ only in their names, and too few words remain to tell them apart.
MIN_WORDS = 50


def text_fingerprint(text: str) -> str:
    """A 64-bit SimHash (trafilatura's) of the text's word triples, in hex; empty for a text under MIN_WORDS words."""
    tokens = shingles(text)
    if len(tokens) + SHINGLE - 1 < MIN_WORDS:
        return ""
    return Simhash(" ".join(tokens)).to_hex()


def fingerprint_similarity(a: str, b: str) -> float:
    """Share of the 64 bits two fingerprints agree on: about 0.5 for unrelated texts, 1.0 for the same text."""
    return Simhash(existing_hash=a).similarity(Simhash(existing_hash=b))


def containment(a: str, b: str) -> float:
    """Share of the shorter text's word triples found in the other: a copy cut short for length still scores
    near 1, which a symmetric measure would not."""
    first, second = set(shingles(a)), set(shingles(b))
    if not first or not second:
        return 0.0
    return len(first & second) / min(len(first), len(second))


@dataclass(frozen=True)
class Thresholds:
    # Fingerprints at least this similar are compared word by word (the cheap filter over every article in the
    # window); texts sharing at least `overlap` of their triples are the same story.
    similarity: float
    overlap: float


def same_story(*, text: str, fingerprint: str, other_text: str, other_fingerprint: str, thresholds: Thresholds) -> bool:
    if not fingerprint or not other_fingerprint:
        return False
    if fingerprint_similarity(fingerprint, other_fingerprint) < thresholds.similarity:
        return False
    return containment(text, other_text) >= thresholds.overlap
