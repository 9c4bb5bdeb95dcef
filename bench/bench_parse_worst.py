"""Worst cases of reading a document: seconds per MB at growing sizes, and how that figure grows.

    .venv/bin/python bench/bench_parse_worst.py            # about two minutes on the development machine

Each case builds the same kind of document at two or three sizes and times one pass through
`articles.documents.parse_document` (the document stage), or through it and the extraction engine (the whole parse
path a worker runs inside INGEST_PARSE_TIME_LIMIT). Linear work keeps seconds per MB about constant: the ratio column
is the largest size's seconds per MB over the smallest's (1.0 is linear; 4 would be quadratic across a 4x range).
Needs no database. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from articles import documents
from articles.documents import DocumentError, parse_document
from articles.extraction import extract

PARAGRAPH = (
    "<p>Bolivia's defence minister defended on Monday the memorandum of understanding on defence cooperation that he "
    "signed with his Iranian counterpart in Tehran on 20 July, telling legislators in La Paz that the accord covers "
    "training. Deputy {n} asked for the text.</p>\n"
)
MB = 1_000_000


def _repeat(unit: Callable[[int], str], size: int) -> str:
    parts, length, n = [], 0, 0
    while length < size:
        part = unit(n)
        parts.append(part)
        length += len(part)
        n += 1
    return "".join(parts)


def _page(body: str) -> bytes:
    return f"<html><head><title>Worst case</title></head><body><article>{body}</article></body></html>".encode()


def many_attributes(size: int) -> bytes:
    """One element carrying `size` bytes of attributes (about 100,000 a MB), then the story."""
    attributes = _repeat(lambda n: f' a{n}="x"', size)
    return _page(f"<div{attributes}>Crowded.</div>" + PARAGRAPH.format(n=0))


def deep_chain(size: int) -> bytes:
    """Elements opened one inside the other and never closed: as deep as the document is long."""
    return _page(_repeat(lambda n: f"<div><span>word{n} ", size) + PARAGRAPH.format(n=0))


def deep_blocks(size: int) -> bytes:
    """Stories each nested 240 deep, just inside what lxml reads without flattening."""
    return _page(_repeat(lambda n: "<div>" * 240 + PARAGRAPH.format(n=n) + "</div>" * 240, size))


def html_text(size: int) -> bytes:
    return _page(_repeat(lambda n: PARAGRAPH.format(n=n), size))


def plain_text(size: int) -> bytes:
    return _repeat(lambda n: PARAGRAPH.format(n=n).removeprefix("<p>").replace("</p>", "\n"), size).encode()


def tangle(size: int) -> bytes:
    """The engine's own quadratic case (find_noun_phrases): one sentence of signings."""
    return _repeat(lambda n: "France signed the accord and Germany signed the accord and ", size).encode() + b"Peru."


def _document_stage(raw: bytes, content_type: str) -> None:
    parse_document(raw, content_type=content_type)


def _without_the_attribute_cap(raw: bytes, content_type: str) -> None:
    """The document stage as it was before MAX_ATTRIBUTES: what the cap saves."""
    capped = documents._cap_attributes
    documents._cap_attributes = lambda html: html
    try:
        parse_document(raw, content_type=content_type)
    finally:
        documents._cap_attributes = capped


def _whole_path(raw: bytes, content_type: str) -> None:
    document = parse_document(raw, content_type=content_type)
    extract(document.text, published=datetime.date(2023, 8, 14), title=document.title, language="en")


# name, stage, builder, content type, sizes in MB
CASES = [
    (
        "many attributes, without the cap (before)",
        _without_the_attribute_cap,
        many_attributes,
        "text/html",
        (0.04, 0.08, 0.16),
    ),
    ("many attributes on one element", _document_stage, many_attributes, "text/html", (0.25, 0.5, 1)),
    ("one deep chain of unclosed elements", _document_stage, deep_chain, "text/html", (0.25, 0.5, 1)),
    ("stories nested 240 deep", _document_stage, deep_blocks, "text/html", (0.5, 1, 2)),
    ("HTML paragraphs", _document_stage, html_text, "text/html", (0.5, 1, 2)),
    ("plain text", _document_stage, plain_text, "text/plain", (0.5, 1, 1.99)),  # 2,000,000 characters at most
    ("whole parse path: HTML paragraphs", _whole_path, html_text, "text/html", (0.5, 1, 2)),
    ("whole parse path: the engine's quadratic case", _whole_path, tangle, "text/plain", (0.05, 0.1, 0.2)),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="run the cases whose name contains this")
    arguments = parser.parse_args()
    _document_stage(html_text(10_000), "text/html")  # imports and first-call set-up out of the figures

    print(f"{'case':<48} {'MB':>5} {'seconds':>8} {'s/MB':>7} {'ratio':>6}")
    for name, stage, build, content_type, sizes in CASES:
        if arguments.only and arguments.only not in name:
            continue
        per_mb = []
        for size in sizes:
            raw = build(int(size * MB))
            started = time.perf_counter()
            try:
                stage(raw, content_type)
            except DocumentError as refused:
                print(f"{name:<48} {len(raw) / MB:5.2f} refused: {refused}")
                continue
            seconds = time.perf_counter() - started
            per_mb.append(seconds / (len(raw) / MB))
            ratio = f"{per_mb[-1] / per_mb[0]:6.2f}" if len(per_mb) > 1 else ""
            print(f"{name:<48} {len(raw) / MB:5.2f} {seconds:8.2f} {per_mb[-1]:7.2f} {ratio:>6}", flush=True)


if __name__ == "__main__":
    main()
