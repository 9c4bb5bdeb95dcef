"""One pass of the event reader and the deliveries, for a setup without Celery beat (`make run`)."""

from django.core.management.base import BaseCommand

from alerts import services, tasks
from alerts.events import events_record


class Command(BaseCommand):
    help = "Read new agreement history into alerts, deliver webhooks and immediate e-mails; --digest sends digests."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--digest", action="store_true", help="Also send the daily digest e-mails now.")

    def handle(self, *args, digest: bool = False, **options) -> None:
        events = events_record()
        for delivery_id in services.webhook_deliveries_overdue():
            tasks.publish(tasks.deliver_webhook, delivery_id)
        sent = services.emails_send_immediate()
        digests = services.digests_send() if digest else 0
        self.stdout.write(f"{len(events)} events recorded, {sent} e-mails and {digests} digests sent.")
