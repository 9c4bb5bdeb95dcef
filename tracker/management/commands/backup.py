from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tracker.backups import BackupError, backups_prune, database_backup


class Command(BaseCommand):
    help = "Back the database up into BACKUP_DIR (pg_dump on PostgreSQL, a file copy on SQLite), keeping BACKUP_KEEP."

    def add_arguments(self, parser):
        parser.add_argument("--directory", type=Path, default=Path(settings.BACKUP_DIR))
        parser.add_argument("--keep", type=int, default=settings.BACKUP_KEEP, help="newest backups kept (0: all)")

    def handle(self, *args, directory: Path, keep: int, **options):
        try:
            path = database_backup(directory=directory)
        except BackupError as error:
            raise CommandError(str(error)) from error
        removed = backups_prune(directory=directory, keep=keep)
        self.stdout.write(f"Backed up to {path} ({path.stat().st_size:,} bytes); {len(removed)} older removed.")
