"""``manage.py generate_load``: a disposable database at London scale, for benchmarks and load tests only.

    manage.py generate_load --applicants 100000 --opportunities 5000 --sessions 5000 --skills-responses 50000

- ``--applicants N``: a new round with N submitted applications ready for matching, each with 3-10 ranked choices
  biased towards nearby cohorts, some of which the applicant is not eligible for (about a quarter); about one
  cohort per 20 applicants, capacities 1-20 (the shapes of the matching benchmark).
- ``--opportunities M``: M published opportunities, each with at least one cohort, at NHS trusts, care providers
  and colleges across London's boroughs, in every profession area; applicants then study at colleges and list
  the areas they are interested in (what the insights figures break down by). Without it the capacity is the
  original shape (one opportunity per two cohorts, all nursing at NHS trusts, applicants at no college): the
  rows are exactly those earlier versions wrote, so the matching and load benchmarks stay comparable.
- ``--sessions S``: college simulation suites, rooms, a catalogue and S dated sessions from a year ago to three
  months ahead; employers' bookings with their staff named in the seats; past sessions ran (attendance marked,
  confidence rated) or were cancelled at the cut-off below their minimum.
- ``--skills-responses R``: R submitted digital-skills self-assessments by staff of NHS trusts and care
  providers (about one in five people has sat it twice), every statement of the newest framework version loaded
  in the database answered, levels stored by the scoring rule, as ``assessment_submit`` stores them.

**Bulk writes, on purpose.** Rows are written with ``bulk_create`` (and a few set-based UPDATEs for timestamps
Django fills in itself), not through the services: the services check permissions, lock rows and send emails one
person at a time, and would take hours at this size. That is acceptable here only because the database is
disposable. The rows carry what the services would have written (seats taken equal to the seats booked, no room
or facilitator in two sessions at once, so PostgreSQL's exclusion constraints accept them; one live place per
person per session; levels computed by ``skills.scoring``; users' ``organisation_kind`` kept in step) and satisfy
every CHECK and unique constraint.

It refuses to run with DEBUG off unless given ``--force``, and never changes existing rows: every run adds new
organisations, people and a round whose names carry the seed and the round's id, so a second run adds a second
set beside the first.
"""

import math
import random
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from accounts.models import Organisation, OrganisationKind, Role, User
from placements.digital_skills import SKILLS as DIGITAL_SKILLS
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
from placements.services.finder_listing import listings_refresh_on_commit
from placements.taxonomy import LONDON_BOROUGHS, ProfessionArea
from placements.workflow import Status
from skills import scoring
from skills.models import Assessment, Response, StaffGroup, Statement
from skills.selectors import current_framework
from skills.services import department_key
from training.models import (
    Attendance,
    Attendee,
    AttendeeStatus,
    Audience,
    Booking,
    CancelledReason,
    CatalogueEntry,
    Equipment,
    Facilitation,
    Room,
    Session,
    SessionStatus,
    Suite,
    Topic,
)

LONDON = (51.28, 51.70, -0.51, 0.33)  # lat min, lat max, lon min, lon max
LONDON_TIME = ZoneInfo("Europe/London")
DISTRICTS = ["SE5", "E9", "SE13", "E15", "SE1", "N1", "W2", "NW1", "SW9", "E1", "N17", "SE18", "W12", "CR0", "HA1"]
BATCH = 5_000
APPLICANTS_PER_COLLEGE = 2_500
SESSIONS_PER_COLLEGE = 250
ASSESSMENTS_PER_PERSON = 1.25  # about one person in five has sat the self-assessment twice
STAFF_PER_EMPLOYER = 400

# London shape (--opportunities): who hosts, and in which profession areas.
HOST_KINDS = [(OrganisationKind.NHS_TRUST, 6), (OrganisationKind.CARE_PROVIDER, 3), (OrganisationKind.COLLEGE, 1)]
AREAS_BY_HOST_KIND = {
    OrganisationKind.NHS_TRUST: [
        (ProfessionArea.NURSING, 30),
        (ProfessionArea.MIDWIFERY, 8),
        (ProfessionArea.ALLIED_HEALTH, 15),
        (ProfessionArea.MEDICINE, 10),
        (ProfessionArea.PHARMACY, 5),
        (ProfessionArea.HEALTHCARE_SCIENCE, 5),
        (ProfessionArea.PARAMEDIC, 4),
        (ProfessionArea.MENTAL_HEALTH, 10),
        (ProfessionArea.NON_CLINICAL, 13),
    ],
    OrganisationKind.CARE_PROVIDER: [(ProfessionArea.SOCIAL_CARE, 80), (ProfessionArea.NON_CLINICAL, 20)],
    OrganisationKind.COLLEGE: [(ProfessionArea.NURSING, 50), (ProfessionArea.SOCIAL_CARE, 50)],
}
APPLICANT_AREAS = [
    (ProfessionArea.NURSING, 28),
    (ProfessionArea.MEDICINE, 14),
    (ProfessionArea.MIDWIFERY, 8),
    (ProfessionArea.ALLIED_HEALTH, 12),
    (ProfessionArea.MENTAL_HEALTH, 9),
    (ProfessionArea.SOCIAL_CARE, 10),
    (ProfessionArea.PARAMEDIC, 6),
    (ProfessionArea.PHARMACY, 5),
    (ProfessionArea.HEALTHCARE_SCIENCE, 3),
    (ProfessionArea.NON_CLINICAL, 5),
]
DIGITAL_CHECK_ANSWERS = [("confident", 6), ("some_help", 3), ("not_yet", 1)]

# Training: a college's catalogue (title, topic, minutes, fewest/most participants, facilitators per participant).
CATALOGUE = [
    ("Safe moving and handling with hoists", Topic.MOVING_AND_HANDLING, 180, 3, 10, "0.250"),
    ("Recognising the deteriorating patient", Topic.DETERIORATING_PATIENT, 210, 4, 12, "0.250"),
    ("Basic life support refresher", Topic.BASIC_LIFE_SUPPORT, 120, 4, 16, "0.125"),
    ("Dementia care in a home setting", Topic.DEMENTIA, 180, 3, 12, "0.200"),
    ("End-of-life care conversations", Topic.END_OF_LIFE, 150, 2, 8, "0.250"),
    ("Infection prevention and control", Topic.INFECTION_PREVENTION, 120, 4, 16, "0.125"),
    ("Giving medicines safely", Topic.MEDICINES, 180, 3, 10, "0.200"),
    ("Digital skills for care records", Topic.DIGITAL, 120, 3, 12, "0.125"),
]
EMPLOYER_AUDIENCES = [Audience.CARE_STAFF, Audience.CLINICAL_SUPPORT_STAFF, Audience.NON_CLINICAL_STAFF]
SLOTS = [clock(9, 30), clock(13, 30)]  # two sessions a day a room at most, each at most 210 minutes

# Skills: who works where (staff group, team), as the employer dashboard groups them.
TRUST_TEAMS = [
    (StaffGroup.NURSES, "Ward 7"),
    (StaffGroup.NURSES, "Emergency department"),
    (StaffGroup.CLINICAL_SUPPORT, "Ward 7"),
    (StaffGroup.CLINICAL_SUPPORT, "Outpatients"),
    (StaffGroup.ALLIED, "Therapies"),
    (StaffGroup.DOCTORS, "Emergency department"),
    (StaffGroup.SCIENTISTS, "Pathology"),
    (StaffGroup.ADMIN, "Outpatients"),
    (StaffGroup.MANAGERS, "Operations"),
    (StaffGroup.ESTATES, "Estates"),
]
CARE_TEAMS = [
    (StaffGroup.SOCIAL_CARE, "Day team"),
    (StaffGroup.SOCIAL_CARE, "Night team"),
    (StaffGroup.SOCIAL_CARE, "Home care"),
    (StaffGroup.MANAGERS, "Management"),
    (StaffGroup.OTHER, "Kitchen and housekeeping"),
]


class Command(BaseCommand):
    help = (
        "Fill a disposable database with synthetic applications, capacity, simulation sessions and skills "
        "assessments at London scale (never in production)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--applicants", type=int, required=True)
        parser.add_argument(
            "--opportunities",
            type=int,
            default=None,
            help="Published opportunities across London (each with at least one cohort); default: one per two "
            "cohorts, all nursing at NHS trusts, as earlier versions made.",
        )
        parser.add_argument(
            "--colleges",
            type=int,
            default=None,
            help="Colleges (the London shape's applicants study at them; simulation suites are at the first of them, "
            "one college per 250 sessions); default one per 2,500 applicants, at least 2.",
        )
        parser.add_argument("--sessions", type=int, default=0, help="Simulation sessions at colleges' suites.")
        parser.add_argument(
            "--skills-responses", type=int, default=0, help="Submitted digital-skills self-assessments by staff."
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off (a disposable database).")

    def handle(self, *args, applicants: int, seed: int, force: bool, **options):
        opportunities, sessions, assessments = (
            options["opportunities"],
            options["sessions"],
            options["skills_responses"],
        )
        if not settings.DEBUG and not force:
            raise CommandError("generate_load is for disposable databases: run with DEBUG on, or --force.")
        if applicants < 1:
            raise CommandError("--applicants must be at least 1.")
        if opportunities is not None and opportunities < 1:
            raise CommandError("--opportunities must be at least 1.")
        college_count = options["colleges"]
        if college_count is None:
            college_count = max(2, applicants // APPLICANTS_PER_COLLEGE, sessions // SESSIONS_PER_COLLEGE)
        elif college_count < 1:
            raise CommandError("--colleges must be at least 1.")
        if sessions < 0 or assessments < 0:
            raise CommandError("--sessions and --skills-responses cannot be negative.")
        version = current_framework() if assessments else None
        if assessments and version is None:
            raise CommandError("No digital-skills framework is loaded: run `manage.py load_skills_framework` first.")
        rng = random.Random(seed)
        # Everything the original shape did not draw comes from its own stream, so the default run's rows (and
        # the matching benchmark's instance) stay the same.
        extra = random.Random(f"{seed}-london")
        timings: dict[str, float] = {}
        with transaction.atomic():
            round_ = self._round(seed)
            tag = f"{seed}-{round_.pk}"
            london_shape = opportunities is not None
            started = time.perf_counter()
            colleges = []
            if london_shape or sessions:
                colleges = _colleges(extra, tag, college_count)
            cohorts = self._capacity(rng, extra, applicants, opportunities, round_, tag)
            listings_refresh_on_commit({c.opportunity_id for c in cohorts})  # written in bulk: no signals
            self._applications(rng, extra, applicants, round_, cohorts, seed, colleges if london_shape else [])
            timings["applications and capacity"] = time.perf_counter() - started
            employers, staff = [], {}
            if sessions or assessments:
                started = time.perf_counter()
                people = max(math.ceil(assessments / ASSESSMENTS_PER_PERSON), sessions * 2)
                employers, staff = _employers_and_staff(extra, tag, people)
                timings["employers and staff"] = time.perf_counter() - started
            if sessions:
                started = time.perf_counter()
                made = _training(extra, tag, sessions, colleges, employers, staff)
                timings["simulation training"] = time.perf_counter() - started
            if assessments:
                started = time.perf_counter()
                _skills(extra, assessments, version, employers, staff)
                timings["skills assessments"] = time.perf_counter() - started
        summary = [f"Round {round_.pk} '{round_.name}': {len(cohorts)} cohorts, {applicants} applications ready"]
        if sessions:
            summary.append(
                f"{sessions} simulation sessions at {made['colleges']} colleges ({made['bookings']} bookings, "
                f"{made['attendees']} people named)"
            )
        if assessments:
            summary.append(f"{assessments} skills assessments by {sum(map(len, staff.values()))} staff")
        self.stdout.write(self.style.SUCCESS("; ".join(summary) + "."))
        self.stdout.write("Took: " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in timings.items()))

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

    def _capacity(self, rng, extra, applicants, opportunities, round_, tag):
        """Hosts, sites, opportunities and cohorts. ``opportunities`` None: the original shape, draw for draw."""
        count = max(1, applicants // 20)
        london_shape = opportunities is not None
        if london_shape:
            count = max(count, opportunities)
        kinds = [kind for kind, weight in HOST_KINDS for _ in range(weight)]
        hosts = Organisation.objects.bulk_create(
            Organisation(
                kind=extra.choice(kinds) if london_shape else OrganisationKind.NHS_TRUST,
                name=f"Load host {tag}-{i}",
                postcode="SE5 9RS",
                borough=extra.choice(LONDON_BOROUGHS) if london_shape else "",
            )
            for i in range(max(1, count // 25))
        )
        sites = Site.objects.bulk_create(
            Site(
                organisation=hosts[i % len(hosts)],
                name=f"Site {i}",
                address="1 Road",
                postcode=district,
                borough=extra.choice(LONDON_BOROUGHS) if london_shape else "",
                latitude=rng.uniform(*LONDON[:2]),
                longitude=rng.uniform(*LONDON[2:]),
            )
            for i, district in enumerate(rng.choice(DISTRICTS) for _ in range(max(1, count // 5)))
        )
        how_many = opportunities if london_shape else max(1, count // 2)
        opportunities_made = Opportunity.objects.bulk_create(
            (
                Opportunity(
                    organisation=site.organisation,
                    site=site,
                    title=f"Load opportunity {i}",
                    profession_area=_weighted(extra, AREAS_BY_HOST_KIND[site.organisation.kind])
                    if london_shape
                    else "nursing",
                    description="-",
                    activities="-",
                    min_age=rng.choice([14, 16, 16, 16, 17, 18]),
                    requires_dbs=rng.random() < 0.15,
                    required_vaccinations=["hep_b"] if rng.random() < 0.1 else [],
                    status=OpportunityStatus.PUBLISHED,
                    widening_participation_priority=rng.random() < 0.3,
                )
                for i, site in enumerate(rng.choice(sites) for _ in range(how_many))
            ),
            batch_size=BATCH,
        )
        cohorts = []
        for i in range(count):
            start = round_.placements_from + timedelta(days=rng.randrange(0, 90))
            cohorts.append(
                Cohort(
                    opportunity=opportunities_made[i % len(opportunities_made)],
                    start_date=start,
                    end_date=start + timedelta(days=rng.randrange(0, 5)),
                    capacity=rng.randint(1, 20),
                    application_deadline=round_.applications_close_on,
                )
            )
        return Cohort.objects.bulk_create(cohorts, batch_size=BATCH)

    def _applications(self, rng, extra, count, round_, cohorts, seed, colleges):
        """Submitted applications; with ``colleges`` (the London shape) students study at them and list areas."""
        today = timezone.localdate()
        site_points = {c.pk: (c.opportunity.site.latitude, c.opportunity.site.longitude) for c in cohorts}
        by_cell = _grid(cohorts, site_points)
        for start in range(0, count, BATCH):
            size = min(BATCH, count - start)
            # The London shape's extra facts, drawn before the original draws so those stay in order.
            studies = [extra.choice(colleges) if colleges and extra.random() < 0.85 else None for _ in range(size)]
            areas = [_areas(extra) if colleges else ["nursing"] for _ in range(size)]
            # Most answer the five-question digital skills check on the form (counted by the skills theme).
            checks = [_digital_check(extra) if colleges and extra.random() < 0.8 else {} for _ in range(size)]
            students = User.objects.bulk_create(
                User(
                    email=f"load-{seed}-{round_.pk}-{start + i}@load.test",
                    role=Role.STUDENT,
                    password="!",
                    email_verified_at=timezone.now(),
                    organisation=studies[i],
                    organisation_kind=OrganisationKind.COLLEGE if studies[i] else "",
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
                    college=studies[i],
                    not_at_college=bool(colleges) and studies[i] is None,
                    profession_areas=areas[i],
                    digital_skills=checks[i],
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


def _weighted(rng, choices: Sequence[tuple[str, int]]) -> str:
    return rng.choices([value for value, _ in choices], weights=[weight for _, weight in choices])[0]


def _areas(rng) -> list[str]:
    """One to three areas of interest, the first the one they care most about (what "first choice" counts)."""
    areas = [_weighted(rng, APPLICANT_AREAS)]
    for _ in range(rng.choice([0, 0, 1, 1, 2])):
        area = _weighted(rng, APPLICANT_AREAS)
        if area not in areas:
            areas.append(area)
    return areas


def _digital_check(rng) -> dict[str, str]:
    return {skill.key: _weighted(rng, DIGITAL_CHECK_ANSWERS) for skill in DIGITAL_SKILLS}


def _colleges(rng, tag: str, count: int) -> list[Organisation]:
    return Organisation.objects.bulk_create(
        Organisation(
            kind=OrganisationKind.COLLEGE,
            name=f"Load college {tag}-{i}",
            borough=rng.choice(LONDON_BOROUGHS),
            postcode=rng.choice(DISTRICTS) + " 1AA",
        )
        for i in range(count)
    )


def _person(email: str, role: str, organisation: Organisation, n: int) -> User:
    """A user as ``User.save`` would write one (``organisation_kind`` in step: bulk_create skips save)."""
    return User(
        email=email,
        role=role,
        first_name=f"Load{n % 997}",
        last_name=f"Person{n}",
        password="!",
        organisation=organisation,
        organisation_kind=organisation.kind,
        email_verified_at=timezone.now(),
    )


def _employers_and_staff(rng, tag: str, people: int) -> tuple[list[Organisation], dict[int, list[User]]]:
    """NHS trusts (a quarter, larger) and care providers, each with a coordinator and its staff (``staff`` role)."""
    count = max(2, people // STAFF_PER_EMPLOYER)
    employers = Organisation.objects.bulk_create(
        Organisation(
            kind=OrganisationKind.NHS_TRUST if i % 4 == 0 else OrganisationKind.CARE_PROVIDER,
            name=f"Load employer {tag}-{i}",
            borough=rng.choice(LONDON_BOROUGHS),
            postcode=rng.choice(DISTRICTS) + " 2BB",
        )
        for i in range(count)
    )
    User.objects.bulk_create(
        _person(f"load-coordinator-{tag}-{e.pk}@load.test", Role.COORDINATOR, e, e.pk) for e in employers
    )
    # Trusts employ about three times as many people as a care provider.
    weights = [3 if e.kind == OrganisationKind.NHS_TRUST else 1 for e in employers]
    where = rng.choices(employers, weights=weights, k=people)
    made = User.objects.bulk_create(
        (_person(f"load-staff-{tag}-{n}@load.test", Role.STAFF, where[n], n) for n in range(people)),
        batch_size=BATCH,
    )
    staff: dict[int, list[User]] = {e.pk: [] for e in employers}
    for person in made:
        staff[person.organisation_id].append(person)
    return employers, staff


def _training(rng, tag, sessions, colleges, employers, staff) -> dict[str, int]:
    """Suites, rooms and a catalogue at each college, then ``sessions`` dated sessions with bookings and people.

    Each room has its own two facilitators and at most two sessions a day in fixed slots, so no room and no
    facilitator is ever in two sessions at once (PostgreSQL's exclusion constraints would refuse it).
    """
    colleges = colleges[: max(1, sessions // SESSIONS_PER_COLLEGE)]
    trainers = User.objects.bulk_create(
        _person(f"load-trainer-{tag}-{c.pk}@load.test", Role.COORDINATOR, c, c.pk) for c in colleges
    )
    trainer_of = {t.organisation_id: t for t in trainers}
    suites = Suite.objects.bulk_create(
        Suite(college=c, name=f"Simulation suite {n + 1}", address="1 College Road", postcode=c.postcode)
        for c in colleges
        for n in range(rng.choice([1, 1, 2]))
    )
    rooms = Room.objects.bulk_create(
        Room(
            suite=suite,
            name=f"Room {n + 1}",
            capacity=rng.choice([8, 10, 12, 12, 16]),
            equipment=rng.sample(Equipment.values, rng.randint(1, 3)),
            step_free_access=rng.random() < 0.8,
            hours_available_per_week=rng.choice([21, 28, 35, 35]),
        )
        for suite in suites
        for n in range(rng.randint(2, 3))
    )
    facilitators = User.objects.bulk_create(
        _person(f"load-facilitator-{tag}-{room.pk}-{n}@load.test", Role.COORDINATOR, room.suite.college, room.pk)
        for room in rooms
        for n in range(2)
    )
    room_facilitators = {room.pk: facilitators[2 * i : 2 * i + 2] for i, room in enumerate(rooms)}
    entries = CatalogueEntry.objects.bulk_create(
        CatalogueEntry(
            college=c,
            title=title,
            topic=topic,
            audiences=rng.sample(EMPLOYER_AUDIENCES, rng.randint(1, 3)) + ([Audience.STUDENTS] if n == 0 else []),
            learning_outcomes="Practise in a safe space, then talk it through.",
            duration_minutes=minutes,
            min_participants=fewest,
            max_participants=most,
            facilitators_per_participant=Decimal(ratio),
            equipment_needed=[],
            cpd_hours=Decimal(minutes) / 60,
            price_or_funding="Funded by the LSIP skills fund",
            min_age=16 if n == 0 else None,
        )
        for c in colleges
        for n, (title, topic, minutes, fewest, most, ratio) in enumerate(rng.sample(CATALOGUE, 6))
    )
    entries_of: dict[int, list[CatalogueEntry]] = {}
    for entry in entries:
        entries_of.setdefault(entry.college_id, []).append(entry)

    now = timezone.now()
    today = timezone.localdate()
    days = [today + timedelta(days=n) for n in range(-365, 91)]
    days = [day for day in days if day.weekday() < 5]
    slots = [(day, at) for day in days for at in SLOTS]
    per_room = [sessions // len(rooms) + (1 if i < sessions % len(rooms) else 0) for i in range(len(rooms))]
    if max(per_room) > len(slots):
        raise CommandError(f"{sessions} sessions do not fit in {len(rooms)} rooms' slots.")
    planned = []  # (session, facilitators)
    for room, how_many in zip(rooms, per_room, strict=True):
        college = room.suite.college
        for day, at in sorted(rng.sample(slots, how_many)):
            entry = rng.choice(entries_of[college.pk])
            starts_at = datetime.combine(day, at, tzinfo=LONDON_TIME).astimezone(UTC)
            ends_at = starts_at + timedelta(minutes=entry.duration_minutes)
            cutoff = starts_at - timedelta(days=2)
            session = Session(
                entry=entry,
                room=room,
                starts_at=starts_at,
                ends_at=ends_at,
                booking_cutoff=cutoff,
                min_participants=entry.min_participants,
                seats=min(entry.max_participants, room.capacity),
                created_by=trainer_of[college.pk],
            )
            if cutoff <= now:  # the cut-off job has decided
                session.cutoff_checked_at = cutoff + timedelta(minutes=rng.randint(1, 15))
            if session.cutoff_checked_at and rng.random() < 0.07:
                session.status = SessionStatus.CANCELLED
                session.cancelled_reason = CancelledReason.BELOW_MINIMUM
                session.cancelled_at = session.cutoff_checked_at
            elif cutoff > now and rng.random() < 0.03:
                session.status = SessionStatus.CLOSED
            if ends_at <= now and session.status != SessionStatus.CANCELLED:
                session.attendance_marked_at = ends_at + timedelta(hours=rng.randint(1, 48))
            ran = session.status != SessionStatus.CANCELLED
            planned.append((session, room_facilitators[room.pk][: rng.randint(1, 2)] if ran else []))
    made = Session.objects.bulk_create([session for session, _ in planned], batch_size=BATCH)
    Facilitation.objects.bulk_create(
        (
            Facilitation(session=session, facilitator=f, starts_at=session.starts_at, ends_at=session.ends_at)
            for session, (_, chosen) in zip(made, planned, strict=True)
            for f in chosen
        ),
        batch_size=BATCH,
    )
    bookings, attendees = _bookings(rng, tag, made, employers, staff, now)
    ids = [s.pk for s in made]
    # What the services' auto_now_add columns would say: published six weeks ahead, booked before the cut-off.
    published = Subquery(Session.objects.filter(pk=OuterRef("session_id")).values("created_at")[:1])
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        Session.objects.filter(pk__in=chunk).update(created_at=F("starts_at") - timedelta(days=42))
        Booking.objects.filter(session_id__in=chunk).update(created_at=published)
        Attendee.objects.filter(session_id__in=chunk).update(created_at=published)
    return {"bookings": bookings, "attendees": attendees, "colleges": len(colleges)}


def _bookings(rng, tag, sessions, employers, staff, now) -> tuple[int, int]:
    """Employers' blocks of seats and the staff named in them; seats taken = seats booked, as seats_take keeps it."""
    coordinators = dict(
        User.objects.filter(email__startswith=f"load-coordinator-{tag}-").values_list("organisation_id", "pk")
    )
    with_staff = [e for e in employers if staff[e.pk]]
    booking_rows, people_rows = [], []
    for session in sessions:
        cancelled = session.status == SessionStatus.CANCELLED
        wanted = (
            rng.randint(0, session.min_participants - 1)
            if cancelled
            else rng.randint(session.min_participants, session.seats)
        )
        if session.starts_at > now and not cancelled:
            wanted = min(wanted, rng.randint(0, session.seats))  # still filling up
        seats_left = wanted
        while seats_left > 0:
            employer = rng.choice(with_staff)
            block = min(seats_left, rng.randint(1, 4), len(staff[employer.pk]))
            seats_left -= block
            booking = Booking(
                session=session,
                employer=employer,
                booked_by_id=coordinators[employer.pk],
                seats=0 if cancelled else block,
                cancelled_at=session.cancelled_at if cancelled else None,
            )
            booking_rows.append(booking)
            # Past sessions: every seat named. Upcoming: most are, some seats wait for a name.
            named = block if session.starts_at <= now else sum(rng.random() < 0.8 for _ in range(block))
            for person in rng.sample(staff[employer.pk], named):
                people_rows.append((booking, _attendee(rng, session, person, cancelled, now)))
        if not cancelled:
            session.seats_taken = wanted
    Booking.objects.bulk_create(booking_rows, batch_size=BATCH)
    # Two blocks on one session may come from the same employer: one live place per person per session.
    seen, attendees = set(), []
    for booking, attendee in people_rows:
        if (attendee.session_id, attendee.person_id) in seen:
            continue
        seen.add((attendee.session_id, attendee.person_id))
        attendee.booking = booking
        attendees.append(attendee)
    Attendee.objects.bulk_create(attendees, batch_size=BATCH)
    Session.objects.bulk_update(sessions, ["seats_taken"], batch_size=1_000)
    return len(booking_rows), len(attendees)


def _attendee(rng, session: Session, person: User, cancelled: bool, now) -> Attendee:
    attendee = Attendee(session=session, person=person, status=AttendeeStatus.BOOKED, added_by_id=session.created_by_id)
    if cancelled:
        attendee.status = AttendeeStatus.CANCELLED
        attendee.cancelled_at = session.cancelled_at
    elif session.attendance_marked_at:
        attendee.attendance = Attendance.ATTENDED if rng.random() < 0.88 else Attendance.DID_NOT_ATTEND
        attendee.attendance_marked_by_id = session.created_by_id
        attendee.attendance_marked_at = session.attendance_marked_at
        if rng.random() < 0.6:
            attendee.confidence_before = rng.randint(1, 4)
            if attendee.attendance == Attendance.ATTENDED and rng.random() < 0.8:
                attendee.confidence_after = min(5, attendee.confidence_before + rng.choice([0, 1, 1, 2]))
    return attendee


def _skills(rng, count, version, employers, staff) -> None:
    """``count`` submitted self-assessments on ``version``, levels by the scoring rule; a fifth of people sit twice."""
    statements = list(
        Statement.objects.filter(domain__framework_version=version)
        .order_by("domain__position", "position")
        .values_list("domain__key", "pk", "level")
    )
    domains = sorted({key for key, _, _ in statements})
    kind_of = {e.pk: e.kind for e in employers}
    people = [person for group in staff.values() for person in group]
    rng.shuffle(people)
    first = min(count, len(people))
    sittings = [(person, 1) for person in people[:first]] + [(person, 2) for person in people[: count - first]]
    now = timezone.now()
    for start in range(0, len(sittings), 1_000):
        rows, answers_of = [], []
        for person, nth in sittings[start : start + 1_000]:
            teams = TRUST_TEAMS if kind_of[person.organisation_id] == OrganisationKind.NHS_TRUST else CARE_TEAMS
            staff_group, department = teams[person.pk % len(teams)]
            # The same person's second sitting is recent and a little further on; the first is 4-18 months old.
            days_ago = rng.randint(3, 100) if nth == 2 else rng.randint(120, 540)
            submitted_at = now - timedelta(days=days_ago, minutes=rng.randint(0, 600))
            ability = {key: min(4, max(0, int(rng.gauss(1.8, 1.1)) + nth - 1)) for key in domains}
            answers = {
                pk: rng.choice(["confidently", "confidently", "with_help"])
                if level <= ability[key]
                else rng.choice(["not_yet", "not_yet", "not_sure", "with_help"])
                for key, pk, level in statements
            }
            shared = rng.random() < 0.4
            rows.append(
                Assessment(
                    person=person,
                    framework_version=version,
                    submitted_at=submitted_at,
                    shared_with_employer=shared,
                    shared_at=submitted_at if shared else None,
                    staff_group=staff_group,
                    department=department,
                    department_key=department_key(department),
                    levels=scoring.levels_from_answers(statements, answers),
                )
            )
            answers_of.append(answers)
        made = Assessment.objects.bulk_create(rows)
        Response.objects.bulk_create(
            (
                Response(assessment=assessment, statement_id=pk, answer=answer)
                for assessment, answers in zip(made, answers_of, strict=True)
                for pk, answer in answers.items()
            ),
            batch_size=BATCH,
        )
        # started_at is auto_now_add: the sitting began about half an hour before it was sent.
        Assessment.objects.filter(pk__in=[a.pk for a in made]).update(
            started_at=F("submitted_at") - timedelta(minutes=30)
        )


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
