"""``manage.py seed_demo``: demo organisations, logins and placements for ``make run``. Safe to run again.

Every demo application is made through the services a real student, guardian, host and the matching job use
(see placements/demo_journeys.py), so the next matching run on demo data gives honest results.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.demo import DEMO_PASSWORD, LOGINS, seed_accounts
from accounts.models import Role
from placements.demo import seed_capacity, seed_round
from placements.demo_journeys import seed_applications


class Command(BaseCommand):
    help = "Create or refresh the demo organisations, logins (password: placements-demo) and placements."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Allow running with DEBUG=False (never in production)."
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Refusing to load demo data with DEBUG=False. Use --force if you really mean it.")
        with transaction.atomic():
            organisations = seed_accounts()
            opportunities = seed_capacity(organisations)
            round_ = seed_round()
            applicants = seed_applications(organisations, round_)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {len(organisations)} organisations, {len(LOGINS)} logins, "
                f"{opportunities} opportunities, open round '{round_.name}', {applicants} applications in every status."
            )
        )
        for email, role, *_ in LOGINS:
            self.stdout.write(f"  {email:<26} {Role(role).label}")
        self.stdout.write(f"  password for all: {DEMO_PASSWORD}")
