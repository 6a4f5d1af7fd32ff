"""``manage.py generate_load --applicants N --seed S``: synthetic hosts, cohorts and submitted applications.

For benchmarks and load tests only: it refuses to run with DEBUG off unless given --force, and never touches
existing rows. Shapes follow the matching benchmark: about one cohort per 20 applicants, capacities 1-20,
3-10 ranked choices biased towards nearby cohorts, and some choices the applicant is not eligible for.
"""

import math
import random
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, OrganisationKind, Role, User
from placements.models import (
    Application,
    Cohort,
    DbsStatus,
    Opportunity,
    OpportunityStatus,
    Round,
    RoutedPreference,
    Site,
    StatusChange,
    WideningParticipation,
)
from placements.workflow import Status

LONDON = (51.28, 51.70, -0.51, 0.33)  # lat min, lat max, lon min, lon max
DISTRICTS = ["SE5", "E9", "SE13", "E15", "SE1", "N1", "W2", "NW1", "SW9", "E1", "N17", "SE18", "W12", "CR0", "HA1"]
BATCH = 5_000


class Command(BaseCommand):
    help = "Fill the database with synthetic hosts, cohorts and submitted applications (never in production)."

    def add_arguments(self, parser):
        parser.add_argument("--applicants", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off (a disposable database).")

    def handle(self, *args, applicants: int, seed: int, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError("generate_load is for disposable databases: run with DEBUG on, or --force.")
        if applicants < 1:
            raise CommandError("--applicants must be at least 1.")
        rng = random.Random(seed)
        with transaction.atomic():
            round_ = self._round(seed)
            cohorts = self._capacity(rng, max(1, applicants // 20), round_, seed)
            self._applications(rng, applicants, round_, cohorts, seed)
        self.stdout.write(
            self.style.SUCCESS(
                f"Round {round_.pk} '{round_.name}': {len(cohorts)} cohorts, "
                f"{applicants} applications ready for matching."
            )
        )

    def _round(self, seed: int) -> Round:
        today = timezone.localdate()
        return Round.objects.create(
            name=f"Load test {seed} ({timezone.now():%Y-%m-%d %H:%M:%S.%f})",
            applications_open_on=today - timedelta(days=30),
            applications_close_on=today,
            matching_on=today + timedelta(days=1),
            outcomes_by=today + timedelta(days=14),
            placements_from=today + timedelta(days=14),
            placements_to=today + timedelta(days=120),
        )

    def _capacity(self, rng, count, round_, seed):
        hosts = Organisation.objects.bulk_create(
            Organisation(kind=OrganisationKind.NHS_TRUST, name=f"Load host {seed}-{round_.pk}-{i}", postcode="SE5 9RS")
            for i in range(max(1, count // 25))
        )
        sites = Site.objects.bulk_create(
            Site(
                organisation=hosts[i % len(hosts)],
                name=f"Site {i}",
                address="1 Road",
                postcode=district,
                latitude=rng.uniform(*LONDON[:2]),
                longitude=rng.uniform(*LONDON[2:]),
            )
            for i, district in enumerate(rng.choice(DISTRICTS) for _ in range(max(1, count // 5)))
        )
        opportunities = Opportunity.objects.bulk_create(
            Opportunity(
                organisation=site.organisation,
                site=site,
                title=f"Load opportunity {i}",
                profession_area="nursing",
                description="-",
                activities="-",
                min_age=rng.choice([14, 16, 16, 16, 17, 18]),
                requires_dbs=rng.random() < 0.15,
                required_vaccinations=["hep_b"] if rng.random() < 0.1 else [],
                status=OpportunityStatus.PUBLISHED,
                widening_participation_priority=rng.random() < 0.3,
            )
            for i, site in enumerate(rng.choice(sites) for _ in range(max(1, count // 2)))
        )
        cohorts = []
        for i in range(count):
            start = round_.placements_from + timedelta(days=rng.randrange(0, 90))
            cohorts.append(
                Cohort(
                    opportunity=opportunities[i % len(opportunities)],
                    start_date=start,
                    end_date=start + timedelta(days=rng.randrange(0, 5)),
                    capacity=rng.randint(1, 20),
                    application_deadline=round_.applications_close_on,
                )
            )
        return Cohort.objects.bulk_create(cohorts, batch_size=BATCH)

    def _applications(self, rng, count, round_, cohorts, seed):
        today = timezone.localdate()
        site_points = {c.pk: (c.opportunity.site.latitude, c.opportunity.site.longitude) for c in cohorts}
        by_cell = _grid(cohorts, site_points)
        for start in range(0, count, BATCH):
            size = min(BATCH, count - start)
            students = User.objects.bulk_create(
                User(
                    email=f"load-{seed}-{round_.pk}-{start + i}@load.test",
                    role=Role.STUDENT,
                    password="!",
                    email_verified_at=timezone.now(),
                )
                for i in range(size)
            )
            applications = Application.objects.bulk_create(
                Application(
                    student=student,
                    round=round_,
                    reference=f"L{round_.pk}-{start + i}",
                    status=Status.READY_FOR_MATCHING,
                    first_name="Load",
                    last_name=str(start + i),
                    date_of_birth=today - timedelta(days=int(365.25 * rng.uniform(15.5, 20))),
                    home_district=rng.choice(DISTRICTS),
                    profession_areas=["nursing"],
                    available_from=round_.placements_from,
                    available_to=round_.placements_to,
                    dbs_status=DbsStatus.HAVE if rng.random() < 0.3 else DbsStatus.NONE,
                    vaccinations=["hep_b"] if rng.random() < 0.4 else [],
                    submitted_at=timezone.now(),
                )
                for i, student in enumerate(students)
            )
            WideningParticipation.objects.bulk_create(
                WideningParticipation(application=a, free_school_meals="yes" if rng.random() < 0.25 else "no")
                for a in applications
            )
            StatusChange.objects.bulk_create(
                StatusChange(application=a, from_status=Status.SUBMITTED, to_status=Status.READY_FOR_MATCHING)
                for a in applications
            )
            preferences = []
            for application in applications:
                lat, lon = rng.uniform(*LONDON[:2]), rng.uniform(*LONDON[2:])
                chosen = _nearby(rng, by_cell, lat, lon, rng.randint(3, 10))
                for rank, cohort_pk in enumerate(chosen, start=1):
                    clat, clon = site_points[cohort_pk]
                    distance = math.hypot((clat - lat) * 110.6, (clon - lon) * 69.4)
                    preferences.append(
                        RoutedPreference(
                            application=application,
                            cohort_id=cohort_pk,
                            rank=rank,
                            source="choice",
                            distance_km=round(distance, 1),
                        )
                    )
            RoutedPreference.objects.bulk_create(preferences, batch_size=BATCH)


def _grid(cohorts, points, cells=12):
    grid: dict[tuple[int, int], list[int]] = {}
    for cohort in cohorts:
        lat, lon = points[cohort.pk]
        grid.setdefault(_cell(lat, lon, cells), []).append(cohort.pk)
    return grid, cells, [cohort.pk for cohort in cohorts]


def _cell(lat, lon, cells):
    row = int((lat - LONDON[0]) / (LONDON[1] - LONDON[0]) * cells)
    col = int((lon - LONDON[2]) / (LONDON[3] - LONDON[2]) * cells)
    return row, col


def _nearby(rng, by_cell, lat, lon, how_many):
    """Mostly cohorts in the applicant's grid cell and its neighbours (80%), sometimes anywhere in London."""
    grid, cells, everywhere = by_cell
    row, col = _cell(lat, lon, cells)
    near = [pk for dr in (-1, 0, 1) for dc in (-1, 0, 1) for pk in grid.get((row + dr, col + dc), [])]
    how_many = min(how_many, len(everywhere))
    chosen: list[int] = []
    while len(chosen) < how_many:
        pk = rng.choice(near if near and rng.random() < 0.8 else everywhere)
        if pk not in chosen:
            chosen.append(pk)
    return chosen
