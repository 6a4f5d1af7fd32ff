"""``manage.py seed_demo``: demo organisations, logins and placements for ``make run``. Safe to run again.

Every demo application is made through the services a real student, guardian, host and the matching job use
(see placements/demo_journeys.py), so the next matching run on demo data gives honest results.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.demo import DEMO_PASSWORD, LOGINS, seed_accounts
from accounts.demo_totp import DEMO_TOTP_SECRET, seed_demo_second_factor
from accounts.models import Role
from insights.demo import seed_earlier_snapshot, seed_insights
from insights.models import Snapshot
from placements.demo import seed_capacity, seed_round
from placements.demo_journeys import seed_applications
from skills.demo import seed_skills
from training.demo import seed_training


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
            # A known authenticator secret for demo staff only with DEBUG=True (ADR 0015); with --force and
            # DEBUG=False they set up their own app at first sign-in.
            with_second_factor = seed_demo_second_factor(LOGINS) if settings.DEBUG else []
            opportunities = seed_capacity(organisations)
            round_ = seed_round()
            # The earlier round's monthly planning snapshot is taken when it would have been, before this round.
            applicants = seed_applications(organisations, round_, after_earlier_round=seed_earlier_snapshot)
            # Simulation suites (step 9) last: students left without a place this round book insight days.
            training = seed_training(organisations)
            # Digital skills (step 10): 42 staff at the trust and the care provider, sittings 4 months ago and lately.
            skills = seed_skills(organisations)
            # Planning reports (step 11): example vacancy figures and this month's snapshot of every figure.
            insights = seed_insights()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {len(organisations)} organisations, {len(LOGINS)} logins, "
                f"{opportunities} opportunities, open round '{round_.name}', {applicants} applications in every "
                f"status; {training['rooms']} simulation rooms, {training['entries']} training courses, "
                f"{training['sessions']} upcoming training sessions; {skills['staff']} more staff with "
                f"{skills['assessments']} digital skills assessments; an earlier round told from application to "
                f"certificate, {insights['vacancy_rows']} rows of example vacancy figures and "
                f"{Snapshot.objects.count()} planning snapshots to compare."
            )
        )
        for email, role, *_ in LOGINS:
            self.stdout.write(f"  {email:<26} {Role(role).label}")
        self.stdout.write(f"  password for all: {DEMO_PASSWORD}")
        if with_second_factor:
            self.stdout.write(
                f"  two-factor secret for all but the students: {DEMO_TOTP_SECRET} (add it to an authenticator "
                "app, or print the current code with: .venv/bin/python -m accounts.demo_totp)"
            )
        else:
            self.stdout.write("  demo staff set up their own authenticator app at first sign-in (DEBUG=False)")
