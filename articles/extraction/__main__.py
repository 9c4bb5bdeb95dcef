"""Dev runner, no Django needed.

python -m articles.extraction evaluate --gold tests/extraction/dev_gold.jsonl [--misses]
python -m articles.extraction extract --input articles.jsonl [--explain]
"""

from __future__ import annotations

import argparse
import json
import sys

from .records import explain_record, extract_record, read_jsonl
from .scoring import format_report, score


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m articles.extraction")
    sub = parser.add_subparsers(dest="command", required=True)
    ev = sub.add_parser("evaluate", help="score the engine against a labelled JSON-lines file")
    ev.add_argument("--gold", required=True)
    ex = sub.add_parser("extract", help="print one JSON record per input article")
    ex.add_argument("--input", required=True)
    ex.add_argument("--explain", action="store_true", help="per candidate, the rule behind each field; drop reasons")
    args = parser.parse_args(argv)
    if args.command == "evaluate":
        gold = read_jsonl(args.gold)
        predicted = {r["id"]: extract_record(r)["agreements"] for r in gold}
        print(format_report(score(gold, predicted)))
        return 0
    for record in read_jsonl(sys.stdin if args.input == "-" else args.input):
        if args.explain:
            sys.stdout.write(explain_record(record) + "\n")
        else:
            sys.stdout.write(json.dumps(extract_record(record), ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
