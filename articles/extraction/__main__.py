"""Dev runner, no Django needed.

python -m articles.extraction evaluate --gold tests/extraction/dev_gold.jsonl
python -m articles.extraction evaluate --cross-validate 5        # out-of-fold figures of the learned decisions
python -m articles.extraction train [--folds 5] [--no-measure]   # rewrites model/decisions.json
python -m articles.extraction extract --input articles.jsonl [--explain]
"""

from __future__ import annotations

import argparse
import json
import sys

from .records import explain_record, extract_record, read_jsonl
from .scoring import format_report, score


def _evaluate(args: argparse.Namespace) -> int:
    if args.cross_validate:
        from .training import cross_validation_report

        print(cross_validation_report(args.cross_validate))
        return 0
    gold = read_jsonl(args.gold)
    predicted = {r["id"]: extract_record(r)["agreements"] for r in gold}
    print(format_report(score(gold, predicted)))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m articles.extraction")
    sub = parser.add_subparsers(dest="command", required=True)
    ev = sub.add_parser("evaluate", help="score the engine against a labelled JSON-lines file")
    target = ev.add_mutually_exclusive_group(required=True)
    target.add_argument("--gold")
    target.add_argument("--cross-validate", type=int, metavar="K", help="grouped K-fold on the training sets")
    ex = sub.add_parser("extract", help="print one JSON record per input article")
    ex.add_argument("--input", required=True)
    tr = sub.add_parser("train", help="train the learned decisions from the committed labelled sets")
    tr.add_argument("--folds", type=int, default=5)
    tr.add_argument("--no-measure", action="store_true", help="skip the out-of-fold figures")
    ex.add_argument("--explain", action="store_true", help="per candidate, the rule behind each field; drop reasons")
    args = parser.parse_args(argv)
    if args.command == "evaluate":
        return _evaluate(args)
    if args.command == "train":
        from .training import train

        print(train(args.folds, measure=not args.no_measure))
        return 0
    for record in read_jsonl(sys.stdin if args.input == "-" else args.input):
        if args.explain:
            sys.stdout.write(explain_record(record) + "\n")
        else:
            sys.stdout.write(json.dumps(extract_record(record), ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
