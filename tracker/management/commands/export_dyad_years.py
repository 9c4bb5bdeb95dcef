from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tracker.dyads import dyad_year_rows, write_dyad_year_csv
from tracker.models import Agreement, AgreementType


class Command(BaseCommand):
    help = "Write dyad-years (one row per pair of countries per year sharing an agreement in force) as CSV."

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="CSV file to write (default: standard output).")
        parser.add_argument("--start", type=int, help="First year.")
        parser.add_argument("--end", type=int, help="Last year (default: the current year).")
        parser.add_argument("--type", action="append", choices=AgreementType.values, help="Only agreements of a type.")

    def handle(self, *args, output=None, start=None, end=None, type=None, **options):
        if start is not None and end is not None and start > end:
            raise CommandError("--start must not be after --end.")
        agreements = Agreement.objects.visible().filter(merged_into__isnull=True)
        if type:
            agreements = agreements.filter(type__in=type)
        rows = dyad_year_rows(agreements=agreements, start_year=start, end_year=end)
        if output is None:
            write_dyad_year_csv(rows, self.stdout)
            return
        with output.open("w", encoding="utf-8", newline="") as stream:
            write_dyad_year_csv(rows, stream)
        self.stderr.write(self.style.SUCCESS(f"Dyad-years written to {output}."))
