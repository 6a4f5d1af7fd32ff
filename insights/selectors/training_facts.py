"""Reads for the snapshot job's simulation-training theme: plain facts, never a name.

Four queries whatever the number of sessions or colleges (one pass over every college's sessions, not
``utilisation_for_college`` per college): the colleges with a suite, their rooms, every session, every attendance.
Sessions and attendances are streamed (``iterator``), so 5,000 sessions and their people stay a few MB.
"""

from __future__ import annotations

from django.utils import timezone

from accounts.models import Organisation
from insights.training_figures import AttendanceFact, RoomFact, SessionFact
from training.models import Attendance, Attendee, AttendeeStatus, Room, Session, SessionStatus
from training.selectors.after import LONDON

CHUNK = 2000


def colleges_with_suites() -> dict[int, tuple[str, str]]:
    """id -> (name, borough) of every organisation with a simulation suite."""
    rows = Organisation.objects.filter(simulation_suites__isnull=False).values_list("pk", "name", "borough").distinct()
    return {pk: (name, borough) for pk, name, borough in rows}


def room_facts() -> list[RoomFact]:
    return [RoomFact(*row) for row in Room.objects.values_list("suite__college_id", "hours_available_per_week")]


def session_facts():
    """Every session, cancelled ones too (they are counted as cancelled), with its London start date."""
    rows = (
        Session.objects.order_by()
        .values_list(
            "pk",
            "starts_at",
            "ends_at",
            "status",
            "seats",
            "seats_taken",
            "room__suite__college_id",
            "entry__audiences",
            "entry__topic",
            "entry__cpd_hours",
        )
        .iterator(chunk_size=CHUNK)
    )
    for pk, starts_at, ends_at, status, seats, taken, college_id, audiences, topic, cpd_hours in rows:
        yield SessionFact(
            session_id=pk,
            start=timezone.localtime(starts_at, LONDON).date(),
            status=status,
            seats=seats,
            seats_taken=taken,
            # Real elapsed time (aware instants), as the colleges' utilisation counts it across a clock change.
            seconds=(ends_at - starts_at).total_seconds(),
            college_id=college_id,
            audiences=tuple(audiences or ()),
            topic=topic,
            cpd_hours=float(cpd_hours or 0),
        )


def attendance_facts():
    """Each place marked attended: the session and the kind of employer whose booking the seat was in."""
    rows = (
        Attendee.objects.filter(status=AttendeeStatus.BOOKED, attendance=Attendance.ATTENDED)
        .exclude(session__status=SessionStatus.CANCELLED)
        .order_by()
        .values_list("session_id", "booking__employer__kind")
        .iterator(chunk_size=CHUNK)
    )
    for session_id, employer_kind in rows:
        yield AttendanceFact(session_id, employer_kind)


def training_facts() -> dict:
    return {
        "colleges": colleges_with_suites(),
        "rooms": room_facts(),
        "sessions": session_facts(),
        "attendances": attendance_facts(),
    }
