"""The committed figures of the extraction engine, and the README table made from them.

python -m tests.extraction.baseline           # measure now and print the table
python -m tests.extraction.baseline --write   # measure, rewrite baseline.json (raising or, on purpose, lowering floors)

``first_seen`` are the figures of the engine the first time it met each set, before anything was tuned on it; they
never change. ``out_of_fold`` are today's figures, each article predicted by decisions trained without its source
(each language's decisions are trained and cross-validated on that language's sets alone);
tests/extraction/test_baseline.py refuses any figure below them (minus ``epsilon``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from articles.extraction.records import extract_record, read_jsonl
from articles.extraction.scoring import score
from articles.extraction.training import (
    DEFAULT_FOLDS,
    calibration_error,
    cross_validate,
    load_language_articles,
    per_set_reports,
    precision_above,
)

HERE = Path(__file__).resolve().parent
BASELINE = HERE / "baseline.json"
FIELDS = ("precision", "recall", "f1", "type", "status", "date")
# sets no decisions are trained for are measured with the shipped engine (none today)
UNTRAINED_SETS: dict[str, Path] = {}


def _figures(report) -> dict[str, float]:
    o = report.overall
    values = (o.precision, o.recall, o.f1, o.type_accuracy, o.status_accuracy, o.date_accuracy)
    return {name: round(value, 3) for name, value in zip(FIELDS, values, strict=True)}


def measure(k: int = DEFAULT_FOLDS) -> dict:
    """Out-of-fold figures on every training set, shipped-engine figures on the sets nothing was trained for.

    Calibration is reported for the English real pages, as before Spanish was read."""
    sets: dict[str, dict[str, float]] = {}
    scored = []
    for language, articles in load_language_articles().items():
        predicted, verdicts = cross_validate(articles, k)
        sets.update({name: _figures(report) for name, report in per_set_reports(articles, predicted).items()})
        if language == "en":
            scored = verdicts
    for name, path in UNTRAINED_SETS.items():
        records = read_jsonl(path)
        sets[name] = _figures(score(records, {r["id"]: extract_record(r)["agreements"] for r in records}))
    real = [s for s in scored if s.article.real]
    precision, count = precision_above(real)
    return {
        "folds": k,
        "sets": sets,
        "calibration": {
            "ece": round(calibration_error(real), 3),
            "precision_at_0.9": round(precision, 3),
            "candidates_at_0.9": count,
        },
    }


def readme_table(baseline: dict) -> str:
    rows = [
        "| set | articles | first seen F1 | first seen date | P | R | **F1** | type | status | date |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for entry in baseline["sets"].values():
        seen, now = entry["first_seen"], entry["out_of_fold"]
        first = " | ".join("—" if seen.get(key) is None else f"{seen[key]:.3f}" for key in ("f1", "date"))
        figures = " | ".join(f"**{now[key]:.3f}**" if key == "f1" else f"{now[key]:.3f}" for key in FIELDS)
        rows.append(f"| `{entry['file']}` | {entry['articles']} | {first} | {figures} |")
    calibration = baseline["calibration"]
    rows.append("")
    rows.append(
        f"Calibration on the real pages, out of fold: expected calibration error {calibration['ece']:.3f} (10 bins);"
        f" precision {calibration['precision_at_0.9']:.3f} among the {calibration['candidates_at_0.9']} candidates"
        " with confidence ≥ 0.9."
    )
    return "\n".join(rows)


def main(argv: list[str]) -> None:
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    measured = measure(baseline["folds"])
    for name, figures in measured["sets"].items():
        baseline["sets"][name]["out_of_fold"] = figures
    baseline["calibration"] = measured["calibration"]
    if "--write" in argv:
        BASELINE.write_text(json.dumps(baseline, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(readme_table(baseline))


if __name__ == "__main__":
    main(sys.argv[1:])
