"""Demo data for the insights reports: the example vacancy files (labelled as example figures) loaded through the
import service, and this month's snapshot so the pages have something to show. Safe to run again."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from accounts.models import Role, User
from insights.geography import DATA
from insights.services.snapshots import snapshot_take_monthly
from insights.services.vacancies import vacancies_import
from placements.demo_clock import demo_clock

EXAMPLE_FILES = (("example-vacancies.csv", "nhs"), ("example-care-vacancies.csv", "care"))


def seed_insights() -> dict:
    uploader = User.objects.filter(role=Role.PARTNER).order_by("pk").first()
    rows = 0
    if uploader is not None:
        for name, sector in EXAMPLE_FILES:
            rows += vacancies_import(
                actor=uploader, content=(DATA / name).read_bytes(), sector=sector, filename=name
            ).rows
    snapshot = snapshot_take_monthly()
    return {"vacancy_rows": rows, "snapshot": snapshot}


def seed_earlier_snapshot(earlier_round) -> None:
    """The monthly snapshot of a week after the earlier round's last placement day, taken then (under the demo
    clock) once everything in that round has happened, so a partner can compare it with this month's. Called by
    seed_demo between the earlier round's story and this round's."""
    day = earlier_round.placements_to + timedelta(days=7)
    with demo_clock(timezone.make_aware(datetime.combine(day, time(4, 15)))):
        snapshot_take_monthly()
