import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from articles.models import SubmissionKind
from articles.services import article_submit
from tracker.importers.atop import atop_import
from tracker.importers.cow import cow_states_import, read_states
from tracker.importers.desta import desta_import
from tracker.partial_dates import PartialDate
from tracker.services import countries_load


class Command(BaseCommand):
    help = "Load everything in seeds/ (countries, the historical baseline, seed articles), idempotently."

    def add_arguments(self, parser):
        parser.add_argument("--seeds", default=str(Path(settings.BASE_DIR) / "seeds"), help="The seeds folder.")

    def handle(self, *args, seeds: str, **options):
        folder = Path(seeds)
        self.stdout.write(f"Countries: {countries_load()}.")
        self.load_baseline(folder)
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

    def load_baseline(self, folder: Path) -> None:
        """Former states, ATOP alliances since 1815 and DESTA trade agreements since 1948 (see README)."""
        states = folder / "cow_state_system_v2016" / "states2016.csv"
        if states.exists():
            self.stdout.write(f"COW states: {cow_states_import(states=read_states(states))}.")
        atop = folder / "atop_v4.01"
        if atop.exists():
            report = atop_import(
                alliance_file=atop / "atop4_01_alliance_level.csv", member_file=atop / "atop4_01_member_level.csv"
            )
            self.stdout.write(str(report))
        desta = folder / "desta_trade_agreements" / "DESTA.csv"
        if desta.exists():
            gptad = folder / "gptad_trade_agreements" / "GPTAD.csv"
            self.stdout.write(str(desta_import(desta_file=desta, gptad_file=gptad, use_gptad=gptad.exists())))
