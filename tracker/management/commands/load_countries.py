from django.core.management.base import BaseCommand

from tracker.services import countries_load


class Command(BaseCommand):
    help = "Load every ISO 3166-1 country, curated name variants and former states (idempotent)."

    def handle(self, *args, **options):
        report = countries_load()
        self.stdout.write(self.style.SUCCESS(f"Countries: {report}."))
