"""Throughput of the extraction engine on ~400-word articles (prints figures, asserts nothing).

    .venv/bin/python bench/bench_extraction.py [N] [ROUNDS]

Articles are dev texts padded with other dev texts to about 400 words. Timing uses CPU time of this
process (``time.process_time``), so a busy shared machine does not distort the figure. The baseline is one bare
regular-expression pass over the same texts (a word count with ``re.finditer(r"\\w+", text)``).
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from articles.extraction import extract  # noqa: E402
from articles.extraction.records import read_jsonl  # noqa: E402

GOLD = ROOT / "tests" / "extraction" / "dev_gold.jsonl"
WORD = re.compile(r"\w+")


def build_articles(n: int) -> list[tuple[str, dt.date]]:
    records = read_jsonl(GOLD)
    texts = [r["text"] for r in records]
    out: list[tuple[str, dt.date]] = []
    i = 0
    while len(out) < n:
        record = records[i % len(records)]
        text = record["text"]
        j = i + 1
        while len(text.split()) < 400:
            text += "\n\n" + texts[j % len(texts)]
            j += 1
        words = text.split()
        out.append((" ".join(words[:400]) if len(words) > 440 else text, dt.date.fromisoformat(record["published"])))
        i += 1
    return out


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    articles = build_articles(n)
    extract(articles[0][0], published=articles[0][1])  # build the gazetteer once, outside the timing
    engine: list[float] = []
    baseline: list[float] = []
    for _ in range(rounds):
        t0 = time.process_time()
        for text, published in articles:
            extract(text, published=published)
        engine.append(n / (time.process_time() - t0))
        t0 = time.process_time()
        for text, _ in articles:
            sum(1 for _ in WORD.finditer(text))
        baseline.append(n / (time.process_time() - t0))
    words = statistics.mean(len(t.split()) for t, _ in articles)
    eng, base = statistics.median(engine), statistics.median(baseline)
    print(f"articles: {n} x {rounds} rounds, mean {words:.0f} words")
    print(f"engine:   {eng:,.0f} articles/s (median)")
    print(f"baseline: {base:,.0f} articles/s (one re.finditer(r'\\w+') pass)")
    print(f"ratio:    engine is {base / eng:.1f}x slower than the bare regex pass")


if __name__ == "__main__":
    main()
