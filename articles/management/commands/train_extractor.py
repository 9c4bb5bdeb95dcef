"""manage.py train_extractor — retrain the extraction engine's learned decisions from the committed labelled sets."""

from django.core.management.base import BaseCommand

from articles.extraction.training import DEFAULT_FOLDS, train


class Command(BaseCommand):
    help = (
        "Train the learned decisions (which candidates to keep, their confidence, their dates) on the labelled sets "
        "in tests/extraction/, write articles/extraction/model/decisions.json, and print the data used and the "
        "out-of-fold figures (folds grouped by source). Deterministic: the same data gives the same file."
    )

    def add_arguments(self, parser):
        parser.add_argument("--folds", type=int, default=DEFAULT_FOLDS)
        parser.add_argument("--no-measure", action="store_true", help="Skip the out-of-fold figures.")

    def handle(self, *args, folds: int, no_measure: bool, **options):
        self.stdout.write(train(folds, measure=not no_measure))
