import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from articles.models import SubmissionKind
from articles.services import article_submit
from tracker.partial_dates import PartialDate
from tracker.services import countries_load


class Command(BaseCommand):
    help = "Load everything in seeds/ (countries, seed articles), idempotently."

    def add_arguments(self, parser):
        parser.add_argument("--seeds", default=str(Path(settings.BASE_DIR) / "seeds"), help="The seeds folder.")

    def handle(self, *args, seeds: str, **options):
        folder = Path(seeds)
        self.stdout.write(f"Countries: {countries_load()}.")
        created = known = 0
        for entry in json.loads((folder / "articles.json").read_text(encoding="utf-8")):
            path = folder / entry["file"]
            result = article_submit(
                raw=path.read_bytes(),
                submission=SubmissionKind.FILE,
                filename=path.name,
                content_type="text/plain",
                title=entry.get("title", ""),
                publisher=entry.get("publisher", ""),
                published=PartialDate.parse(entry["published"]) if entry.get("published") else None,
                language=entry.get("language", ""),
            )
            created += result.created
            known += not result.created
        self.stdout.write(self.style.SUCCESS(f"Seed articles: {created} stored, {known} already known."))
