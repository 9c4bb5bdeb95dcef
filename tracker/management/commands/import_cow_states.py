from django.core.management.base import BaseCommand

from tracker.importers.cow import cow_states_import, read_states


class Command(BaseCommand):
    help = "Give every Correlates of War state a country (former states included) and link successors (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--states", help="A COW states CSV (default: seeds/cow_state_system_v2016/states2016.csv).")

    def handle(self, *args, states=None, **options):
        report = cow_states_import(states=read_states(states) if states else None)
        self.stdout.write(self.style.SUCCESS(f"COW states: {report}."))
