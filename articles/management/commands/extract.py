"""manage.py extract --input FILE.jsonl — a dry run of the extraction engine that writes nothing to the database."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from articles.extraction.records import extract_record, read_jsonl


class Command(BaseCommand):
    help = (
        "Read JSON lines with id, text, published and optional title (other fields are ignored) and print one JSON "
        "line per input, in input order, with the agreements the engine finds. Writes nothing to the database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, help="A .jsonl file, or - for standard input.")

    def handle(self, *args, input: str, **options):
        try:
            records = read_jsonl(sys.stdin if input == "-" else input)
            for record in records:
                self.stdout.write(json.dumps(extract_record(record), ensure_ascii=False))
        except (OSError, ValueError, KeyError) as error:
            raise CommandError(f"{input}: {error}") from error
