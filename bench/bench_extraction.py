"""Throughput of the extraction engine on ~400-word articles (prints figures, asserts nothing).

    .venv/bin/python bench/bench_extraction.py [N] [ROUNDS] [--compare DIR:PACKAGE]

``--compare`` times a second copy of the engine in the same run, rounds interleaved, for a before/after figure:
``--compare /tmp/old:old_articles.extraction`` imports ``old_articles.extraction`` with ``/tmp/old`` on the path.

Articles are dev texts padded with other dev texts to about 400 words. Timing uses CPU time of this
process (``time.process_time``), so a busy shared machine does not distort the figure. The baseline is one bare
regular-expression pass over the same texts (a word count with ``re.finditer(r"\\w+", text)``).
"""

from __future__ import annotations

import datetime as dt
import importlib
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from articles.extraction import extract  # noqa: E402
from articles.extraction.pipeline import extract_by_rules  # noqa: E402
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


def _rate(fn, articles: list[tuple[str, dt.date]]) -> float:
    t0 = time.process_time()
    for text, published in articles:
        fn(text, published=published)
    return len(articles) / (time.process_time() - t0)


def _load_other(spec: str):
    directory, _, package = spec.partition(":")
    sys.path.insert(0, directory)
    return importlib.import_module(package).extract


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    compare = next((sys.argv[i + 1] for i, a in enumerate(sys.argv[:-1]) if a == "--compare"), None)
    args = [a for a in args if a != compare]
    n = int(args[0]) if args else 2000
    rounds = int(args[1]) if len(args) > 1 else 3
    articles = build_articles(n)
    other = _load_other(compare) if compare else None
    extract(articles[0][0], published=articles[0][1])  # build the gazetteer once, outside the timing
    if other is not None:
        other(articles[0][0], published=articles[0][1])
    engine: list[float] = []
    rules: list[float] = []
    previous: list[float] = []
    baseline: list[float] = []
    for _ in range(rounds):
        engine.append(_rate(extract, articles))
        rules.append(_rate(extract_by_rules, articles))
        if other is not None:
            previous.append(_rate(other, articles))
        t0 = time.process_time()
        for text, _ in articles:
            sum(1 for _ in WORD.finditer(text))
        baseline.append(n / (time.process_time() - t0))
    words = statistics.mean(len(t.split()) for t, _ in articles)
    eng, base = statistics.median(engine), statistics.median(baseline)
    print(f"articles: {n} x {rounds} rounds, mean {words:.0f} words")
    print(f"engine:   {eng:,.0f} articles/s (median)")
    ruled = statistics.median(rules)
    learned_share = 1 - eng / ruled
    print(f"rules:    {ruled:,.0f} articles/s alone; the learned stage takes {learned_share:.0%} of the engine's time")
    if other is not None:
        prev = statistics.median(previous)
        print(f"compared: {prev:,.0f} articles/s (median, {compare}); engine is {eng / prev:.2f}x its speed")
    print(f"baseline: {base:,.0f} articles/s (one re.finditer(r'\\w+') pass)")
    print(f"ratio:    engine is {base / eng:.1f}x slower than the bare regex pass")


if __name__ == "__main__":
    main()
