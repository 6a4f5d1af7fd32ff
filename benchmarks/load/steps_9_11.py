"""The load benchmark's steps 9-11 part (issue 15): their data at the sizes issues 12-14 name, and their pages.

Issue 12 asks for the college's pages and the catalogue to hold with 5,000 simulation sessions, issue 13 for the
employer's skills dashboard with 50,000 skills responses, issue 14 for the insights pages over both. `load()` adds
them to the demo data `seed_demo` made (run by run.py after `generate_load`; run it alone with
`manage.py shell -c "from benchmarks.load.steps_9_11 import load; load()"`):

- 5,000 dated sessions (the demo ones included) over both demo colleges' rooms, from four months ago to about four
  months ahead, never two at once in a room (PostgreSQL's exclusion constraint holds them to that);
- every tenth of them booked by each demo employer (3 seats, 2 named staff; attendance marked and confidence given
  on the past ones), so the bookings lists, the training record and the utilisation page have real lengths;
- 1,000 or so staff across the two demo employers with two submitted sittings each, 50,000 responses in all, their
  levels scored by the same rule as a real submission (skills.scoring);
- an open sitting for staff.b@demo.test (the assessment's domain page is measured on it);
- one insights snapshot taken over all of it (the insights pages answer from snapshots);
- ANALYZE, so the planner knows the tables' sizes as it would on a live database.

Bulk inserts, no emails; for a disposable database only (run.py refuses any name not ending in _perf or _bench).
"""

from __future__ import annotations

import math
import random
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
SESSIONS = 5_000
RESPONSES = 50_000
TRAINER = "trainer@demo.test"
EMPLOYERS = ("coordinator@demo.test", "coordinator.b@demo.test")
# Slots a room can hold in a day: five of up to 110 minutes, never overlapping.
SLOTS = [time(8), time(10), time(12), time(14), time(16)]
GROUPS = ["nurses_midwives", "admin_clerical", "allied_health", "clinical_support", "social_care", "managers"]
OPEN_SITTER = "staff.b@demo.test"
DEMO_STAFF = ("staff@demo.test", OPEN_SITTER)


def load(*, sessions: int = SESSIONS, responses: int = RESPONSES, seed: int = 15) -> None:
    from django.db import connection, transaction

    rng = random.Random(seed)
    with transaction.atomic():
        staff = _skills(rng, responses)
        _training(rng, sessions, staff)
        _open_sitting()
    _snapshot()
    # Planner statistics, as autovacuum would have them on a live database: straight after bulk inserts the
    # planner believes the new tables are empty and nests loops over them (the training record took 170 ms).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# --- issue 13: staff and their sittings -------------------------------------------------------------------------


def _skills(rng: random.Random, responses: int) -> dict[int, list[int]]:
    """Staff with two sittings each, ``responses`` answers in all; returns employer id -> the new staff's ids."""
    from django.utils import timezone

    from accounts.models import Role, User
    from skills.models import Assessment, FrameworkVersion, Response, Statement
    from skills.scoring import levels_from_answers

    version = FrameworkVersion.objects.order_by("-version").first()
    statements = list(
        Statement.objects.filter(domain__framework_version=version)
        .select_related("domain")
        .order_by("domain__position", "level", "position")
    )
    triples = [(s.domain.key, s.pk, s.level) for s in statements]
    employers = [User.objects.get(email=email).organisation for email in EMPLOYERS]
    people_needed = math.ceil(responses / len(statements) / 2)
    people = User.objects.bulk_create(
        [
            User(
                email=f"load-staff-{n}@example.test",
                first_name=f"Staff{n}",
                last_name=f"Load{n:05d}",
                role=Role.STAFF,
                organisation=employers[n % 2],
                organisation_kind=employers[n % 2].kind,
                password="!",  # unusable: nobody signs in as them
            )
            for n in range(people_needed)
        ],
        batch_size=1000,
    )
    now = timezone.now()
    sittings, answers_of = [], []
    for n, person in enumerate(people):
        ability = rng.randint(0, 4)
        for when, gain in ((now - timedelta(days=200 + n % 60), 0), (now - timedelta(days=n % 60), 1)):
            answers = {
                s.pk: (
                    rng.choice(["confidently", "with_help"])
                    if s.level <= min(4, ability + gain + rng.randint(-1, 1))
                    else rng.choice(["not_yet", "not_sure", "with_help"])
                )
                for s in statements
            }
            sittings.append(
                Assessment(
                    person=person,
                    framework_version=version,
                    submitted_at=when,
                    shared_with_employer=n % 4 == 0,
                    shared_at=when if n % 4 == 0 else None,
                    staff_group=GROUPS[n % len(GROUPS)],
                    department=f"Team {n % 40}",
                    department_key=f"team {n % 40}",
                    levels=levels_from_answers(triples, answers),
                )
            )
            answers_of.append(answers)
    sittings = Assessment.objects.bulk_create(sittings, batch_size=1000)
    Response.objects.bulk_create(
        (
            Response(assessment=sitting, statement_id=statement_id, answer=answer)
            for sitting, answers in zip(sittings, answers_of, strict=True)
            for statement_id, answer in answers.items()
        ),
        batch_size=5000,
    )
    print(f"{len(people)} staff, {len(sittings)} sittings, {len(sittings) * len(statements)} skills responses")
    by_employer: dict[int, list[int]] = {}
    for person in people:
        by_employer.setdefault(person.organisation_id, []).append(person.pk)
    return by_employer


def _open_sitting() -> None:
    """staff.b@demo.test half way through a sitting: the domain page is the one a person answers on."""
    from accounts.models import User
    from skills.models import Assessment, FrameworkVersion

    person = User.objects.get(email=OPEN_SITTER)
    if not Assessment.objects.filter(person=person, submitted_at__isnull=True).exists():
        Assessment.objects.create(
            person=person,
            framework_version=FrameworkVersion.objects.order_by("-version").first(),
            staff_group="clinical_support",
            department="Ward 7",
            department_key="ward 7",
        )


# --- issue 12: sessions, bookings, attendance -------------------------------------------------------------------


def _training(rng: random.Random, sessions: int, staff: dict[int, list[int]]) -> None:
    from django.db.models import F
    from django.utils import timezone

    from accounts.models import User
    from training.models import Attendance, Attendee, Booking, CatalogueEntry, Room, Session

    trainer = User.objects.get(email=TRAINER)
    colleges = list(CatalogueEntry.objects.values_list("college_id", flat=True).distinct())
    rooms = list(Room.objects.filter(suite__college_id__in=colleges).select_related("suite").order_by("pk"))
    entries: dict[int, list] = {}
    for entry in CatalogueEntry.objects.filter(college_id__in=colleges).order_by("pk"):
        entries.setdefault(entry.college_id, []).append(entry)
    taken = {room.pk: [] for room in rooms}
    for room_id, starts_at, ends_at in Session.objects.values_list("room_id", "starts_at", "ends_at"):
        taken[room_id].append((starts_at, ends_at))
    to_add = sessions - Session.objects.count()
    today = timezone.localdate()
    day, made = today - timedelta(days=120), []
    while len(made) < to_add:
        day += timedelta(days=1)
        if day.weekday() >= 5:
            continue
        for room in rooms:
            for slot in SLOTS:
                if len(made) >= to_add:
                    break
                entry = rng.choice(entries[room.suite.college_id])
                starts_at = datetime.combine(day, slot, tzinfo=LONDON)
                ends_at = starts_at + timedelta(minutes=min(entry.duration_minutes, 110))
                if any(s < ends_at and starts_at < e for s, e in taken[room.pk]):
                    continue
                made.append(
                    Session(
                        entry=entry,
                        room=room,
                        starts_at=starts_at,
                        ends_at=ends_at,
                        booking_cutoff=starts_at - timedelta(days=3),
                        seats=min(entry.max_participants, room.capacity),
                        min_participants=1,
                        created_by=trainer,
                    )
                )
    made = Session.objects.bulk_create(made, batch_size=1000)
    now = timezone.now()
    employers = [User.objects.get(email=email) for email in EMPLOYERS]
    bookings, named = [], []
    for n, session in enumerate(made):
        if n % 10 or session.seats < 3:
            continue
        for coordinator in employers:
            people = staff[coordinator.organisation_id]
            if session.seats_taken + 3 > session.seats:
                continue
            booking = Booking(session=session, employer_id=coordinator.organisation_id, booked_by=coordinator, seats=3)
            session.seats_taken += 3
            bookings.append(booking)
            past = session.ends_at < now
            for k in range(2):
                named.append(
                    Attendee(
                        session=session,
                        booking=booking,
                        person_id=people[(n + k) % len(people)],
                        added_by=coordinator,
                        attendance=Attendance.ATTENDED if past else Attendance.UNMARKED,
                        confidence_before=rng.randint(1, 4) if past else None,
                        confidence_after=rng.randint(2, 5) if past else None,
                    )
                )
    Booking.objects.bulk_create(bookings, batch_size=1000)
    for attendee in named:
        attendee.booking_id = attendee.booking.pk
    Attendee.objects.bulk_create(named, batch_size=1000)
    booked = [s for s in made if s.seats_taken]
    Session.objects.bulk_update(booked, ["seats_taken"], batch_size=1000)
    past = [s.pk for s in made if s.ends_at < now]
    Session.objects.filter(pk__in=past).update(attendance_marked_at=F("ends_at"))
    print(
        f"{len(made)} sessions added ({Session.objects.count()} in all), {len(bookings)} bookings, {len(named)} named"
    )


# --- issue 14: a snapshot over it all ---------------------------------------------------------------------------


def _snapshot() -> None:
    from accounts.models import User
    from insights.models import Snapshot, SnapshotKind
    from insights.services.snapshots import snapshot_run

    snapshot = Snapshot.objects.create(kind=SnapshotKind.ON_DEMAND, taken_by=User.objects.get(email="admin@demo.test"))
    snapshot = snapshot_run(snapshot_id=snapshot.pk)
    print(f"insights snapshot {snapshot.pk}: {snapshot.status} in {snapshot.duration_ms} ms {snapshot.error[:200]}")


# --- the pages ----------------------------------------------------------------------------------------------------

# (key, label, path, persona) for run.py's Page: "{name}" placeholders are filled from discover().
EMPLOYER = "coordinator.b@demo.test"
PAGES = [
    ("booking-create", "Employer's booking page for a session", "/training/sessions/{bookable}/book/", EMPLOYER),
    ("booking-detail", "Employer's booking (name staff)", "/training/employer/bookings/{booking}/", EMPLOYER),
    ("employer-record", "Employer's training record", "/training/employer/record/", EMPLOYER),
    ("employer-approvals", "Employer's approvals", "/training/employer/approvals/", EMPLOYER),
    ("my-training", "Staff member's own bookings", "/training/my/", "staff@demo.test"),
    ("college-sessions", "College's sessions list", "/training/college/sessions/", TRAINER),
    ("college-roster", "College's session page (roster)", "/training/college/sessions/{roster_session}/", TRAINER),
    ("college-utilisation", "College utilisation", "/training/college/utilisation/", TRAINER),
    ("skills-domain", "Skills assessment, a domain page", "/skills/assessment/{open_sitting}/{domain}/", "{sitter}"),
    ("insights-who", "Insights: who gets in", "/insights/who-gets-in/", "partner@demo.test"),
    ("insights-training", "Insights: simulation training", "/insights/simulation-training/", "partner@demo.test"),
    ("insights-skills", "Insights: digital skills", "/insights/digital-skills/", "partner@demo.test"),
    ("insights-compare", "Insights: compare snapshots", "/insights/compare/", "partner@demo.test"),
]


def discover() -> dict:
    """Ids these pages need: a booked future session of the employer's, the trainer's fullest session, a sitting."""
    from django.db.models import Count, Q
    from django.utils import timezone

    from accounts.models import User
    from skills.models import Assessment
    from skills.selectors import domains_of
    from training.models import Booking, Session, SessionStatus

    employer = User.objects.get(email=EMPLOYER)
    trainer = User.objects.get(email=TRAINER)
    now = timezone.now()
    booking = (
        Booking.objects.filter(employer_id=employer.organisation_id, seats__gt=0, session__starts_at__gt=now)
        .annotate(named=Count("attendees"))
        .order_by("-named", "session__starts_at", "pk")
        .first()
    )
    bookable = (
        Session.objects.filter(status=SessionStatus.SCHEDULED, booking_cutoff__gt=now, seats_taken__lt=3)
        .order_by("starts_at", "pk")
        .values_list("pk", flat=True)
        .first()
    )
    roster = (
        Session.objects.filter(room__suite__college_id=trainer.organisation_id)
        .annotate(people=Count("attendees", filter=~Q(attendees__status="cancelled")))
        .order_by("-people", "starts_at", "pk")
        .values_list("pk", flat=True)
        .first()
    )
    sitting = (
        Assessment.objects.filter(submitted_at__isnull=True, person__email__in=DEMO_STAFF)
        .select_related("person", "framework_version")
        .first()
    )
    return {
        "booking": booking.pk if booking else None,
        "bookable": bookable,
        "roster_session": roster,
        "open_sitting": sitting.pk if sitting else None,
        "sitter": sitting.person.email if sitting else None,
        "domain": domains_of(sitting.framework_version)[0].key if sitting else None,
    }
