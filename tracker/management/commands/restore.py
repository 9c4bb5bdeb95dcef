from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tracker.backups import BackupError, database_restore


class Command(BaseCommand):
    help = "Replace the database's content with a backup written by `manage.py backup`."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--no-input", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, path: Path, no_input: bool, **options):
        if not no_input:
            answer = input(f"Replace every record in the database with {path}? Type 'yes' to go on: ")
            if answer != "yes":
                raise CommandError("Restore cancelled.")
        try:
            database_restore(path=path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored {path}.")
