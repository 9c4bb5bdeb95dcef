"""manage.py poll_sources [--all] [NAME …] — poll news sources now, in this process: what beat has workers do."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from articles.models import Source
from articles.polling import source_poll, sources_due


class Command(BaseCommand):
    help = (
        "Poll the active sources that are due (as Celery beat does), every active source with --all, or the sources "
        "named (active or not). Prints one line per source."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("names", nargs="*", help="names of the sources to poll")
        parser.add_argument("--all", action="store_true", help="every active source, whether due or not")

    def handle(self, *args, **options) -> None:
        names = options["names"]
        if names:
            sources = Source.objects.filter(name__in=names)
            unknown = set(names) - set(sources.values_list("name", flat=True))
            if unknown:
                raise CommandError(f"No source named {', '.join(sorted(unknown))}.")
        elif options["all"]:
            sources = Source.objects.filter(active=True)
        else:
            sources = sources_due()
        created = 0
        for source_id, name in sources.order_by("name").values_list("pk", "name"):
            report = source_poll(source_id=source_id)
            created += report.created
            detail = f": {report.error}" if report.error else f", {report.entries} entries, {report.created} new"
            self.stdout.write(f"{name}: {report.outcome}{detail}")
        self.stdout.write(f"{created} article(s) created")
