from pathlib import Path

from django.core.management.base import BaseCommand

from tracker.importers.atop import atop_import


class Command(BaseCommand):
    help = (
        "Import ATOP alliances (alliance-level and member-level CSVs). Idempotent; a newer release updates the "
        "alliances imported before in place, and never a field an analyst locked. Run import_cow_states first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--alliances", type=Path, help="Alliance-level CSV (default: the seeds' ATOP v4.01).")
        parser.add_argument("--members", type=Path, help="Member-level CSV (default: the seeds' ATOP v4.01).")

    def handle(self, *args, alliances=None, members=None, **options):
        report = atop_import(alliance_file=alliances, member_file=members)
        self.stdout.write(self.style.SUCCESS(str(report)))
