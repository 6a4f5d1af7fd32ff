"""Demo data for the insights reports: the example vacancy files (labelled as example figures) loaded through the
import service, and this month's snapshot so the pages have something to show. Safe to run again."""

from accounts.models import Role, User
from insights.geography import DATA
from insights.services.snapshots import snapshot_take_monthly
from insights.services.vacancies import vacancies_import

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
