"""Highlighted article text: which words the engine found, as plain segments a template escapes one by one.

Pure Python and no HTML here: the page renders every segment through Django's autoescape, so scraped text can never
become markup, however it is cut.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass

# Kinds in the order their class names are listed; the first one present names the segment's main colour.
KINDS = ("evidence", "country", "parties", "type", "status", "date")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str
    label: str = ""


@dataclass(frozen=True)
class Segment:
    text: str
    kinds: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()

    @property
    def css(self) -> str:
        return " ".join(f"hl-{kind}" for kind in self.kinds)

    @property
    def title(self) -> str:
        return "; ".join(dict.fromkeys(label for label in self.labels if label))


def highlight(text: str, spans: Iterable[Span]) -> list[Segment]:
    """Cut `text` at every span boundary; each segment lists the kinds of the spans covering it.

    Spans outside the text are clipped, empty ones dropped; overlapping spans simply stack their kinds.
    """
    size = len(text)
    spans = [
        Span(max(0, span.start), min(size, span.end), span.kind, span.label)
        for span in spans
        if span.end > span.start and span.start < size and span.end > 0
    ]
    cuts = sorted({0, size, *(s.start for s in spans), *(s.end for s in spans)})
    segments: list[Segment] = []
    for lo, hi in itertools.pairwise(cuts):
        covering = [s for s in spans if s.start <= lo and s.end >= hi]
        kinds = tuple(kind for kind in KINDS if any(s.kind == kind for s in covering))
        kinds += tuple(sorted({s.kind for s in covering} - set(KINDS)))
        labels = tuple(s.label for s in covering)
        if segments and segments[-1].kinds == kinds and segments[-1].labels == labels:
            segments[-1] = Segment(segments[-1].text + text[lo:hi], kinds, labels)
        else:
            segments.append(Segment(text[lo:hi], kinds, labels))
    return segments


def article_spans(*, citations: Iterable, mentions: Iterable) -> list[Span]:
    """The spans an article page highlights: evidence quotes and the words behind each cited field, and countries."""
    spans: list[Span] = []
    for mention in mentions:
        for pair in mention.spans or []:
            if isinstance(pair, (list, tuple)) and len(pair) == 2:
                spans.append(
                    Span(
                        int(pair[0]),
                        int(pair[1]),
                        "country",
                        f"{mention.country.name}: {mention.get_role_display().lower()}",
                    )
                )
    for citation in citations:
        spans.append(Span(citation.start, citation.end, "evidence", f"Evidence for agreement #{citation.agreement_id}"))
        for field, pair in (citation.field_spans or {}).items():
            if isinstance(pair, (list, tuple)) and len(pair) == 2 and field in KINDS:
                spans.append(Span(int(pair[0]), int(pair[1]), field, f"{field} of agreement #{citation.agreement_id}"))
    return spans
