from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

DEV_USERNAME = "admin"
DEV_PASSWORD = "admin"


class Command(BaseCommand):
    help = "Create the local development account admin/admin. Refuses to run unless DEBUG is on."

    def add_arguments(self, parser):
        # `make run PORT=8001` serves elsewhere than 8000: the address printed must be the one served.
        parser.add_argument("--address", default="127.0.0.1:8000", help="host:port the development server serves")

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("The development account exists only with DEBUG on; use createsuperuser in production.")
        user, created = get_user_model().objects.get_or_create(
            username=DEV_USERNAME, defaults={"is_staff": True, "is_superuser": True}
        )
        if created:
            user.set_password(DEV_PASSWORD)
            user.save()
        self.stdout.write(
            f"Admin: http://{options['address']}/admin/  user “{DEV_USERNAME}”, password “{DEV_PASSWORD}” (local only)."
        )
