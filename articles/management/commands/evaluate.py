"""manage.py evaluate --gold FILE.jsonl — score the extraction engine against a labelled file."""

from django.core.management.base import BaseCommand, CommandError

from articles.extraction.records import extract_record, read_jsonl
from articles.extraction.scoring import format_report, score


class Command(BaseCommand):
    help = (
        "Precision, recall and F1 of agreements, and accuracy of type, status and date on matched ones, per type and "
        "overall, then every miss (see TAXONOMY.md for the rules)."
    )

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--gold", help="A labelled .jsonl file.")
        target.add_argument(
            "--cross-validate",
            type=int,
            metavar="K",
            help="Out-of-fold figures of the learned decisions on the training sets, K folds grouped by source.",
        )

    def handle(self, *args, gold: str | None, cross_validate: int | None, **options):
        if cross_validate:
            from articles.extraction.training import cross_validation_report

            self.stdout.write(cross_validation_report(cross_validate))
            return
        try:
            records = list(read_jsonl(gold))
        except (OSError, ValueError) as error:
            raise CommandError(f"{gold}: {error}") from error
        predicted = {record["id"]: extract_record(record)["agreements"] for record in records}
        self.stdout.write(format_report(score(records, predicted)))
