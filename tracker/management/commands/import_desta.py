from pathlib import Path

from django.core.management.base import BaseCommand

from tracker.importers.desta import desta_import


class Command(BaseCommand):
    help = (
        "Import DESTA trade agreements, dated to the day from GPTAD where both list the same agreement. "
        "Idempotent; a newer release updates records in place, and never a field an analyst locked."
    )

    def add_arguments(self, parser):
        parser.add_argument("--desta", type=Path, help="DESTA list of treaties, semicolon-separated.")
        parser.add_argument("--gptad", type=Path, help="GPTAD agreement list, for exact dates.")

    def handle(self, *args, desta=None, gptad=None, **options):
        report = desta_import(desta_file=desta, gptad_file=gptad)
        self.stdout.write(self.style.SUCCESS(str(report)))
