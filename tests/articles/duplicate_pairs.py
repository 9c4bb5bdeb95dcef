"""Precision and recall of the near-duplicate test on labelled pairs of real pages (tests/data/duplicate_pairs.jsonl).

    python -m tests.articles.duplicate_pairs            # the figures of the settings' thresholds, and a sweep

Each pair names two labelled real pages (tests/extraction/real/) or a page and a syndicated copy of it, built from
the page the way outlets republish wire copy (tests/data/duplicate_pairs.md): the other outlet's menus and share
bars do not come along, a credit line leads, a line of its own ends it, and the story may be cut short.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from articles.duplicates import Thresholds, fingerprint_similarity, same_story, text_fingerprint

ROOT = Path(__file__).resolve().parents[1]
PAIRS = ROOT / "data" / "duplicate_pairs.jsonl"
PAGES = sorted((ROOT / "extraction" / "real").glob("*.jsonl"))
# What a copy keeps of the page: its story paragraphs, not the lines of the page's own furniture.
STORY_LINE = 60


def real_pages() -> dict[str, dict]:
    pages = {}
    for path in PAGES:
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            pages[record["id"]] = record
    return pages


def syndicated_copy(page: dict, recipe: dict) -> str:
    paragraphs = [p for p in page["text"].split("\n") if p.strip() and not p.startswith(" date ")]
    story = [p for p in paragraphs if len(p) >= STORY_LINE] or paragraphs
    kept = story[: max(1, round(len(story) * recipe["keep"]))]
    return "\n\n".join([recipe["lead"], *kept, recipe["tail"]])


def pair_texts(pair: dict, pages: dict[str, dict]) -> tuple[str, str]:
    b = pair["b"]
    other = syndicated_copy(pages[b["copy_of"]], b) if isinstance(b, dict) else pages[b]["text"]
    return pages[pair["a"]]["text"], other


@dataclass(frozen=True)
class Scores:
    true_positives: int
    false_positives: int
    false_negatives: int
    true_negatives: int
    missed_by_kind: dict[str, int]

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        same = self.true_positives + self.false_negatives
        return self.true_positives / same if same else 1.0


def labelled_pairs() -> list[tuple[dict, str, str]]:
    pages = real_pages()
    pairs = [json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines()]
    return [(pair, *pair_texts(pair, pages)) for pair in pairs]


def score(pairs: list[tuple[dict, str, str]], decide) -> Scores:
    counts: Counter = Counter()
    missed: Counter = Counter()
    for pair, a, b in pairs:
        found = decide(a, b)
        counts[(pair["same"], found)] += 1
        if pair["same"] != found:
            missed[pair["kind"]] += 1
    return Scores(
        true_positives=counts[(True, True)],
        false_positives=counts[(False, True)],
        false_negatives=counts[(True, False)],
        true_negatives=counts[(False, False)],
        missed_by_kind=dict(missed),
    )


def score_thresholds(pairs: list[tuple[dict, str, str]], thresholds: Thresholds) -> Scores:
    def decide(a: str, b: str) -> bool:
        return same_story(
            text=a,
            fingerprint=text_fingerprint(a),
            other_text=b,
            other_fingerprint=text_fingerprint(b),
            thresholds=thresholds,
        )

    return score(pairs, decide)


def score_fingerprints_alone(pairs: list[tuple[dict, str, str]], similarity: float) -> Scores:
    return score(pairs, lambda a, b: fingerprint_similarity(text_fingerprint(a), text_fingerprint(b)) >= similarity)


def _line(label: str, scores: Scores) -> str:
    return (
        f"{label:<34} precision {scores.precision:.3f}  recall {scores.recall:.3f}  "
        f"(tp {scores.true_positives}, fp {scores.false_positives}, fn {scores.false_negatives}, "
        f"tn {scores.true_negatives}; wrong: {scores.missed_by_kind or 'none'})"
    )


def main() -> None:
    import django

    django.setup()
    from django.conf import settings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args()
    pairs = labelled_pairs()
    chosen = Thresholds(similarity=settings.INGEST_DUPLICATE_SIMILARITY, overlap=settings.INGEST_DUPLICATE_OVERLAP)
    kinds = Counter(pair["kind"] for pair, _, _ in pairs)
    print(f"{len(pairs)} labelled pairs: {dict(kinds)}")
    print(_line(f"chosen ({chosen.similarity}, {chosen.overlap})", score_thresholds(pairs, chosen)))
    for similarity in (0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9):
        print(_line(f"SimHash alone >= {similarity}", score_fingerprints_alone(pairs, similarity)))
        both = Thresholds(similarity=similarity, overlap=chosen.overlap)
        print(_line(f"  then overlap >= {chosen.overlap}", score_thresholds(pairs, both)))


if __name__ == "__main__":
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    os.environ.setdefault("DEBUG", "1")  # a development run: no production secrets needed to read two thresholds
    main()
