"""Create the groups reader, analyst and curator with their permissions (tracker/roles.py says who does what)."""

from django.core.management.base import BaseCommand

from tracker.roles import roles_create


class Command(BaseCommand):
    help = "Create or update the groups reader, analyst and curator with their model permissions (idempotent)."

    def handle(self, *args, **options) -> None:
        for name, count in roles_create().items():
            self.stdout.write(f"{name}: {count} permissions")
