from django.core.management.base import BaseCommand, CommandError
from health_check.exceptions import HealthCheckException

from tracker.health import BeatHeartbeat


class Command(BaseCommand):
    help = "Exit 0 if beat's heartbeat is recent (the beat container's health check), else 1 with the reason."

    def handle(self, *args, **options):
        try:
            BeatHeartbeat().run()
        except HealthCheckException as error:
            raise CommandError(str(error)) from error
        self.stdout.write("beat is alive")
