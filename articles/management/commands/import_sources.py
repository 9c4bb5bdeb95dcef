"""manage.py import_sources FILE — add the news sources an OPML file (a feed reader's export) or a CSV file lists."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.feeds import CSV_COLUMNS, FeedError, read_source_list
from articles.polling import sources_import


class Command(BaseCommand):
    help = (
        "Import news sources from an OPML file or a CSV file with the columns "
        f"{', '.join(CSV_COLUMNS)} (name and feed_url required). New sources are inactive unless --activate; "
        "sources already known by their feed address are updated."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="an .opml (or .xml) file, or a .csv file")
        parser.add_argument("--activate", action="store_true", help="turn the imported sources on at once")

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        try:
            rows = read_source_list(path.read_bytes(), filename=path.name)
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
        except FeedError as error:
            raise CommandError(f"{path}: {error}.") from error
        report = sources_import(rows=rows, activate=options["activate"])
        for reason in report.skipped:
            self.stderr.write(f"skipped {reason}")
        self.stdout.write(
            f"{len(report.created)} created, {len(report.updated)} updated, {len(report.unchanged)} unchanged, "
            f"{len(report.skipped)} skipped"
        )
