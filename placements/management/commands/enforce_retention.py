"""``manage.py enforce_retention [--dry-run]``: the nightly retention job, by hand (ADR 0009)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from placements.services.retention import retention_enforce


class Command(BaseCommand):
    help = (
        "Apply the privacy notice's retention periods now: delete unverified and inactive accounts, anonymise "
        "applications of closed rounds, purge old email text and sign-in records, delete expired links."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what would go; change nothing.")

    def handle(self, *args, dry_run: bool, **options):
        periods = ", ".join(f"{name} {days} days" for name, days in settings.RETENTION.items())
        self.stdout.write(f"Retention periods: {periods}")
        counts = retention_enforce(dry_run=dry_run)
        verb = "Would change" if dry_run else "Changed"
        for name, count in counts.items():
            self.stdout.write(f"{verb} {count:>7}  {name.replace('_', ' ')}")
        self.stdout.write(self.style.SUCCESS("Dry run: nothing was changed." if dry_run else "Retention enforced."))
