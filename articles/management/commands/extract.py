"""manage.py extract --input FILE.jsonl [--explain] — a dry run of the extraction engine that writes nothing to the
database; --explain says which rule or cue decided each field of each candidate, and why instruments were dropped."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from articles.extraction.records import explain_record, extract_record, read_jsonl


class Command(BaseCommand):
    help = (
        "Read JSON lines with id, text, published and optional title (other fields are ignored) and print one JSON "
        "line per input, in input order, with the agreements the engine finds (with --explain, the reasons instead). "
        "Writes nothing to the database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, help="A .jsonl file, or - for standard input.")
        parser.add_argument(
            "--explain",
            action="store_true",
            help="Instead of JSON, print per candidate the rule or cue behind each field, and every dropped "
            "instrument with the rule that dropped it.",
        )

    def handle(self, *args, input: str, explain: bool = False, **options):
        try:
            records = read_jsonl(sys.stdin if input == "-" else input)
            for record in records:
                if explain:
                    self.stdout.write(explain_record(record))
                else:
                    self.stdout.write(json.dumps(extract_record(record), ensure_ascii=False))
        except (OSError, ValueError, KeyError) as error:
            raise CommandError(f"{input}: {error}") from error
