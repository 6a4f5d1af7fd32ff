"""Demo simulation suites for ``seed_demo``, made the way real people make them (ADR 0011).

Every row here comes from the service the pages call: the colleges' simulation coordinators set up their suites,
rooms, catalogue and sessions; the employers' coordinators choose their self-booking policy, book blocks of seats,
name their staff and join a waiting list; staff book themselves; a coordinator approves; students who were not
placed take first-come places; the college marks attendance, so certificates exist. Nothing writes a seat count,
a status or an attendee itself.

Story (days before today):
  -28   Southbank's coordinator (trainer@) publishes a moving-and-handling session for day -7; Riverside Care Homes
        books three seats and names Sam (staff@) and two carers; South Thames books two and names Bea (staff.b@).
  -25   Sam and Bea say how confident they feel before the session.
  -10   The cut-off passes: the session runs, everyone booked gets the final list.
  -7    The session runs; trainer@ marks attendance (one carer did not come), so certificates are ready; Sam and
        Bea rate their confidence again.
  today Both colleges have 30 sessions over the next eight weeks. Both employers have booked seats on several,
        named some staff, one session is full with Riverside waiting for seats; Sam has asked to book one session
        for himself (waiting for his coordinator) and was approved for another; Bea booked herself (the trust needs
        no approval); students not placed this round have taken insight-day places.

Running ``seed_demo`` again leaves existing demo sessions alone (a room cannot hold two sessions at once, and the
story was told against the dates it was first run on); suites, rooms and the catalogue are only added if missing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.mail.backends.dummy import EmailBackend as DiscardingBackend
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD
from accounts.models import Organisation, Role, User
from accounts.services import invitation_accept, invitation_create
from notifications.models import EmailStatus, OutboundEmail
from notifications.outbox import email_deliver
from placements.demo_clock import demo_clock
from placements.working_days import is_working_day
from training.models import (
    Attendance,
    Audience,
    CatalogueEntry,
    Equipment,
    Room,
    SelfBooking,
    Session,
    Suite,
    Topic,
)
from training.services.attendance import attendance_mark
from training.services.college import entry_create, room_create, suite_create
from training.services.cutoff import session_check_cutoff
from training.services.employer import attendee_approve, attendee_name, training_policy_set
from training.services.seats import seats_book
from training.services.sessions import london, session_create
from training.services.staff import AFTER, BEFORE, attendee_rate_confidence, attendee_self_book
from training.services.student import student_place_book
from training.services.waitlist import waitlist_join

A, B = "college_a", "college_b"
TRAINERS = {A: "trainer@demo.test", B: "trainer.b@demo.test"}
# Facilitators are people at the college: its simulation coordinator and a tutor.
FACILITATORS = {A: ["trainer@demo.test", "tutor@demo.test"], B: ["trainer.b@demo.test", "tutor.b@demo.test"]}
TRUST, CARE = "coordinator@demo.test", "coordinator.b@demo.test"
SAM, BEA = "staff@demo.test", "staff.b@demo.test"
# More staff for the employers to name (they join through their employer's invitation, as staff do).
COLLEAGUES = {
    CARE: [("carer.joy@demo.test", "Joy", "Mbeki"), ("carer.leo@demo.test", "Leo", "Fraser")],
    TRUST: [("hca.nia@demo.test", "Nia", "Roberts"), ("porter.raj@demo.test", "Raj", "Patel")],
}
STUDENTS = ["demo.declined@demo.test", "demo.expired@demo.test", "demo.unsuccessful@demo.test"]

E = Equipment
SUITES = {
    # key: (college, name, address, postcode)
    "sb": (A, "Southbank College Simulation Suite", "Westminster Bridge Road\nLondon", "SE1 7JN"),
    "ew": (B, "Eastway Clinical Skills Lab", "Welfare Road\nLondon", "E15 1DA"),
}
ROOMS = {
    # key: (suite, name, capacity, equipment, step-free, hours a week)
    "ward": ("sb", "Simulated hospital ward", 12, [E.MANIKINS, E.HOSPITAL_BEDS, E.HOISTS], True, 30),
    "flat": ("sb", "Home-care flat", 6, [E.HOME_CARE_FLAT, E.HOISTS], True, 30),
    "skills": ("sb", "Skills room", 16, [E.MANIKINS], True, 35),
    "debrief": ("sb", "Debrief room", 16, [E.DEBRIEF_ROOM], True, 35),
    "lab": ("ew", "Clinical skills lab", 14, [E.MANIKINS, E.HOSPITAL_BEDS], True, 25),
    "studio": ("ew", "Moving and handling studio", 8, [E.HOISTS, E.HOSPITAL_BEDS], True, 25),
    "community": ("ew", "Community care room (first floor, no lift)", 10, [E.HOME_CARE_FLAT], False, 20),
}
CARE_STAFF, NON_CLINICAL, CLINICAL_SUPPORT, STUDENT = (
    Audience.CARE_STAFF,
    Audience.NON_CLINICAL_STAFF,
    Audience.CLINICAL_SUPPORT_STAFF,
    Audience.STUDENTS,
)


@dataclass(frozen=True)
class Entry:
    college: str
    room: str
    title: str
    topic: str
    audiences: list[str]
    outcomes: str
    minutes: int
    min_participants: int
    max_participants: int
    per_participant: str
    equipment: list[str]
    cpd_hours: str
    price: str
    min_age: int | None = None


ENTRIES = [
    Entry(
        A,
        "ward",
        "Safe moving and handling with hoists",
        Topic.MOVING_AND_HANDLING,
        [CARE_STAFF, CLINICAL_SUPPORT],
        "Plan a safe transfer.\nUse a mobile and a ceiling hoist.\nChoose and check slings.\nSpot when not to move "
        "someone and who to call.",
        180,
        4,
        8,
        "0.250",
        [E.HOISTS, E.HOSPITAL_BEDS],
        "3",
        "Free for care providers in south London (LSIP funded)",
    ),
    Entry(
        A,
        "ward",
        "Recognising and responding to a deteriorating resident",
        Topic.DETERIORATING_PATIENT,
        [CARE_STAFF, CLINICAL_SUPPORT],
        "Take and record observations.\nUse RESTORE2 and NEWS2 to spot a resident getting worse.\nEscalate with SBAR.",
        210,
        4,
        10,
        "0.200",
        [E.MANIKINS, E.HOSPITAL_BEDS],
        "3.5",
        "£45 a person; free for care providers in Lambeth and Southwark",
    ),
    Entry(
        A,
        "flat",
        "Dementia care at home",
        Topic.DEMENTIA,
        [CARE_STAFF, NON_CLINICAL],
        "Communicate with someone living with dementia.\nMake a home safer.\nRespond to distress calmly.",
        180,
        3,
        6,
        "0.200",
        [E.HOME_CARE_FLAT],
        "3",
        "Free (NHS England workforce funding)",
    ),
    Entry(
        A,
        "skills",
        "Basic life support refresher",
        Topic.BASIC_LIFE_SUPPORT,
        [CARE_STAFF, NON_CLINICAL, CLINICAL_SUPPORT],
        "Recognise cardiac arrest.\nGive good-quality chest compressions and rescue breaths.\nUse a defibrillator.",
        120,
        4,
        16,
        "0.125",
        [E.MANIKINS],
        "2",
        "£30 a person",
    ),
    Entry(
        A,
        "ward",
        "Careers in health and care: simulation insight day",
        Topic.CAREERS,
        [STUDENT],
        "See what nurses, healthcare assistants and carers do in a day.\nTry basic observations on a manikin.\n"
        "Talk to people about how they trained.",
        300,
        6,
        12,
        "0.167",
        [E.MANIKINS, E.HOSPITAL_BEDS],
        "0",
        "Free for students",
        16,
    ),
    Entry(
        B,
        "lab",
        "Infection prevention and control in practice",
        Topic.INFECTION_PREVENTION,
        [CARE_STAFF, NON_CLINICAL, CLINICAL_SUPPORT],
        "Wash hands and use PPE correctly.\nClean equipment between people.\nKnow what to do in an outbreak.",
        150,
        4,
        14,
        "0.125",
        [E.MANIKINS],
        "2.5",
        "Free (Newham council funded)",
    ),
    Entry(
        B,
        "lab",
        "Medicines: safe administration in care settings",
        Topic.MEDICINES,
        [CARE_STAFF],
        "Read a medicines administration record.\nGive medicines safely.\nReport and learn from errors.",
        180,
        4,
        10,
        "0.200",
        [E.HOSPITAL_BEDS],
        "3",
        "£50 a person",
    ),
    Entry(
        B,
        "community",
        "End-of-life care: difficult conversations",
        Topic.END_OF_LIFE,
        [CARE_STAFF, CLINICAL_SUPPORT],
        "Talk with a person and their family about dying.\nRecognise the last days of life.\nLook after yourself.",
        180,
        4,
        8,
        "0.250",
        [E.HOME_CARE_FLAT],
        "3",
        "Free (hospice partnership)",
    ),
    Entry(
        B,
        "lab",
        "Communication and customer care on the front desk",
        Topic.COMMUNICATION,
        [NON_CLINICAL],
        "Welcome people who are worried or upset.\nHandle a complaint.\nKeep information safe at the desk.",
        150,
        4,
        14,
        "0.100",
        [],
        "2.5",
        "£35 a person",
    ),
    Entry(
        B,
        "studio",
        "First steps in care: a simulation taster",
        Topic.MOVING_AND_HANDLING,
        [STUDENT, CARE_STAFF],
        "Help someone move safely in bed.\nMake a bed with someone in it.\nTry a hoist as the person being moved.",
        240,
        4,
        8,
        "0.250",
        [E.HOISTS, E.HOSPITAL_BEDS],
        "0",
        "Free for students and new care staff",
        16,
    ),
]
FUTURE_SESSIONS = 30
WEEKS_AHEAD = 8
CUTOFF_DAYS = 3


def _user(email: str) -> User:
    return User.objects.get(email=email)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return london(day, time(hour, minute))


def _college_open(day: date) -> bool:
    """A working day outside the colleges' Christmas closure (24 December to 1 January)."""
    christmas = (day.month == 12 and day.day >= 24) or (day.month == 1 and day.day == 1)
    return is_working_day(day) and not christmas


def _open_days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1) if _college_open(first + timedelta(n))]


def seed_training(organisations: dict[str, Organisation]) -> dict[str, int]:
    """Suites, rooms and the catalogue (added if missing), policies, and the story (told once). Returns counts."""
    demo = TrainingDemo(organisations)
    demo.policies()
    rooms = demo.rooms()
    entries = demo.catalogue()
    colleges = [organisations[A].pk, organisations[B].pk]
    if not Session.objects.filter(entry__college_id__in=colleges).exists():
        demo.colleagues()
        demo.past_session(entries, rooms)
        demo.future_sessions(entries, rooms)
        demo.deliver_emails()
    return {
        "rooms": Room.objects.filter(suite__college_id__in=colleges).count(),
        "entries": CatalogueEntry.objects.filter(college_id__in=colleges).count(),
        "sessions": Session.objects.filter(entry__college_id__in=colleges, starts_at__gte=timezone.now()).count(),
    }


class TrainingDemo:
    def __init__(self, organisations: dict[str, Organisation]):
        self.organisations = organisations

    # --- what the colleges publish --------------------------------------------------------------------------------

    def rooms(self) -> dict[str, Room]:
        suites = {}
        for key, (college_key, name, address, postcode) in SUITES.items():
            college = self.organisations[college_key]
            suites[key] = Suite.objects.filter(college=college, name=name).first() or suite_create(
                actor=_user(TRAINERS[college_key]), college=college, name=name, address=address, postcode=postcode
            )
        rooms = {}
        for key, (suite_key, name, capacity, equipment, step_free, hours) in ROOMS.items():
            suite = suites[suite_key]
            rooms[key] = Room.objects.filter(suite=suite, name=name).first() or room_create(
                actor=_user(TRAINERS[SUITES[suite_key][0]]),
                suite=suite,
                name=name,
                capacity=capacity,
                equipment=list(equipment),
                step_free_access=step_free,
                hours_available_per_week=hours,
            )
        return rooms

    def catalogue(self) -> dict[str, CatalogueEntry]:
        entries = {}
        for item in ENTRIES:
            college = self.organisations[item.college]
            existing = CatalogueEntry.objects.filter(college=college, title=item.title).first()
            entries[item.title] = existing or entry_create(
                actor=_user(TRAINERS[item.college]),
                college=college,
                title=item.title,
                topic=item.topic,
                audiences=list(item.audiences),
                learning_outcomes=item.outcomes,
                duration_minutes=item.minutes,
                min_participants=item.min_participants,
                max_participants=item.max_participants,
                facilitators_per_participant=Decimal(item.per_participant),
                equipment_needed=list(item.equipment),
                cpd_hours=Decimal(item.cpd_hours),
                price_or_funding=item.price,
                min_age=item.min_age,
            )
        return entries

    def _session(self, item: Entry, entries, rooms, day: date, hour: int, minute: int = 0) -> Session:
        room = rooms[item.room]
        seats = min(item.max_participants, room.capacity)
        needed = min(2, max(1, math.ceil(seats * float(item.per_participant))))
        starts_at = _at(day, hour, minute)
        return session_create(
            actor=_user(TRAINERS[item.college]),
            entry=entries[item.title],
            room=room,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=item.minutes),
            facilitators=[_user(email) for email in FACILITATORS[item.college][:needed]],
            seats=seats,
            booking_cutoff=starts_at - timedelta(days=CUTOFF_DAYS),
        )

    # --- what the employers decide ---------------------------------------------------------------------------------

    def policies(self) -> None:
        """Riverside lets its staff book for themselves once a coordinator approves; South Thames without approval."""
        for coordinator, policy in ((CARE, SelfBooking.WITH_APPROVAL), (TRUST, SelfBooking.WITHOUT_APPROVAL)):
            actor = _user(coordinator)
            training_policy_set(actor=actor, employer=actor.organisation, self_booking=policy)

    def colleagues(self) -> None:
        for coordinator, people in COLLEAGUES.items():
            inviter = _user(coordinator)
            for email, first_name, last_name in people:
                if User.objects.filter(email=email).exists():
                    continue
                invitation = invitation_create(
                    actor=inviter, email=email, organisation=inviter.organisation, role=Role.STAFF
                )
                invitation_accept(
                    token=invitation.token, first_name=first_name, last_name=last_name, password=DEMO_PASSWORD
                )

    def _book_and_name(self, coordinator: str, session: Session, seats: int, names: list[str]):
        actor = _user(coordinator)
        booking = seats_book(actor=actor, session=session, count=seats)
        return [attendee_name(actor=actor, booking=booking, person=_user(email)) for email in names]

    # --- the story -------------------------------------------------------------------------------------------------

    def past_session(self, entries, rooms) -> None:
        """A moving-and-handling session a week ago: booked, named, run, attendance marked, certificates ready."""
        today = timezone.localdate()
        day = today - timedelta(days=7)
        while not _college_open(day):
            day -= timedelta(days=1)
        item = ENTRIES[0]
        with demo_clock(_at(day - timedelta(days=21), 10)):
            session = self._session(item, entries, rooms, day, 9, 30)
        with demo_clock(_at(day - timedelta(days=20), 11)):
            sam, *carers = self._book_and_name(CARE, session, 3, [SAM, *(e for e, *_ in COLLEAGUES[CARE])])
            (bea,) = self._book_and_name(TRUST, session, 2, [BEA])
        with demo_clock(_at(day - timedelta(days=18), 19)):
            attendee_rate_confidence(actor=_user(SAM), attendee=sam, when=BEFORE, value=2)
            attendee_rate_confidence(actor=_user(BEA), attendee=bea, when=BEFORE, value=3)
        cutoff = session.booking_cutoff
        with demo_clock(cutoff + timedelta(minutes=5)) as moment:
            session_check_cutoff(session_id=session.pk, now=moment)
        with demo_clock(session.ends_at + timedelta(minutes=30)) as moment:
            marks = {sam.pk: Attendance.ATTENDED, bea.pk: Attendance.ATTENDED, carers[0].pk: Attendance.ATTENDED}
            marks[carers[1].pk] = Attendance.DID_NOT_ATTEND
            session.refresh_from_db()
            attendance_mark(actor=_user(TRAINERS[item.college]), session=session, marks=marks, now=moment)
        with demo_clock(session.ends_at + timedelta(days=1, hours=3)):
            sam.refresh_from_db()
            bea.refresh_from_db()
            attendee_rate_confidence(actor=_user(SAM), attendee=sam, when=AFTER, value=4)
            attendee_rate_confidence(actor=_user(BEA), attendee=bea, when=AFTER, value=4)

    def future_sessions(self, entries, rooms) -> None:
        """15 sessions a college over the next eight weeks (never two the same day at one college), then bookings."""
        today = timezone.localdate()
        days = _open_days(today + timedelta(days=CUTOFF_DAYS + 2), today + timedelta(weeks=WEEKS_AHEAD))
        sessions: dict[str, list[Session]] = {}
        per_college = FUTURE_SESSIONS // 2
        for offset, college in enumerate((A, B)):
            items = [item for item in ENTRIES if item.college == college]
            for n in range(per_college):
                day = days[min(len(days) - 1, offset + round(n * (len(days) - 2) / (per_college - 1)))]
                item = items[n % len(items)]
                hour, minute = (9, 30) if item.minutes > 180 or n % 2 == 0 else (13, 30)
                session = self._session(item, entries, rooms, day, hour, minute)
                sessions.setdefault(item.title, []).append(session)
        self._bookings(sessions)

    def _bookings(self, sessions: dict[str, list[Session]]) -> None:
        hoists, deteriorating, dementia, life_support, insight = (sessions[item.title] for item in ENTRIES[:5])
        infection, medicines, end_of_life, front_desk, taster = (sessions[item.title] for item in ENTRIES[5:])
        joy, leo = (email for email, *_ in COLLEAGUES[CARE])
        nia, raj = (email for email, *_ in COLLEAGUES[TRUST])
        # Riverside books blocks for its carers, names some now and leaves seats to name later.
        self._book_and_name(CARE, hoists[0], 4, [joy, leo])
        self._book_and_name(CARE, medicines[0], 3, [joy])
        self._book_and_name(CARE, end_of_life[1], 2, [])
        self._book_and_name(CARE, infection[1], 5, [leo])
        # South Thames books for healthcare assistants and reception staff.
        self._book_and_name(TRUST, deteriorating[0], 4, [nia])
        self._book_and_name(TRUST, front_desk[0], 3, [raj])
        self._book_and_name(TRUST, life_support[1], 6, [nia, raj])
        self._book_and_name(TRUST, infection[0], 2, [])
        # The home-care flat's dementia session is full: South Thames took four seats and Riverside two, and
        # Riverside waits for two more.
        full = dementia[0]
        self._book_and_name(TRUST, full, 4, [])
        self._book_and_name(CARE, full, full.seats - 4, [leo])
        waitlist_join(actor=_user(CARE), session=full, seats=2)
        # Staff book for themselves: Sam (Riverside needs approval) asks for two; his coordinator approves one.
        attendee_self_book(actor=_user(SAM), session=deteriorating[1])
        approved = attendee_self_book(actor=_user(SAM), session=hoists[1])
        attendee_approve(actor=_user(CARE), attendee=approved)
        attendee_self_book(actor=_user(BEA), session=life_support[0])  # the trust needs no approval
        # Riverside also names Sam in a seat it booked.
        self._book_and_name(CARE, medicines[1], 2, [SAM])
        # Students not placed this round take first-come places on the insight day and the taster.
        for number, student in enumerate(STUDENTS):
            for session in (*taster, *insight) if number % 2 else (*insight, *taster):
                try:
                    student_place_book(actor=_user(student), session=session)
                    break
                except ValidationError:
                    continue

    def deliver_emails(self) -> None:
        """The worker sends each email a minute after it was written (to nowhere: every address is @demo.test)."""
        discard = DiscardingBackend()
        pending = OutboundEmail.objects.filter(status=EmailStatus.PENDING, to_email__endswith="@demo.test")
        for pk, created_at in pending.order_by("created_at", "pk").values_list("pk", "created_at"):
            with demo_clock(created_at + timedelta(minutes=1)):
                email_deliver(email_id=pk, connection=discard)
