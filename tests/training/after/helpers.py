"""Building blocks for the after-session tests: sessions at any time (past ones too), seats and named people."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import F

from tests import factories
from training.models import Attendee, AttendeeStatus, Booking, Session
from training.services.sessions import session_create


def make_session(
    actor, entry, room, starts_at, *, hours=3, ends_at=None, seats=8, minimum=2, cutoff_before=timedelta(days=2)
):
    return session_create(
        actor=actor,
        entry=entry,
        room=room,
        starts_at=starts_at,
        ends_at=ends_at or starts_at + timedelta(hours=hours),
        facilitators=[],
        seats=seats,
        booking_cutoff=starts_at - cutoff_before,
        min_participants=minimum,
    )


def hold_seats(session, coordinator, count) -> Booking:
    """A block of seats for ``coordinator``'s employer, whatever the time (the service refuses after the cut-off)."""
    Session.objects.filter(pk=session.pk).update(seats_taken=F("seats_taken") + count)
    return Booking.objects.create(
        session=session, employer_id=coordinator.organisation_id, booked_by=coordinator, seats=count
    )


def name_people(booking, people, status=AttendeeStatus.BOOKED) -> list[Attendee]:
    return [
        Attendee.objects.create(
            session=booking.session, booking=booking, person=person, added_by=booking.booked_by, status=status
        )
        for person in people
    ]


def staff(employer, count, prefix="carer") -> list:
    return [
        factories.StaffMemberFactory(email=f"{prefix}{n}.{employer.pk}@example.test", organisation=employer)
        for n in range(count)
    ]


def student_place(session, student) -> Attendee:
    Session.objects.filter(pk=session.pk).update(seats_taken=F("seats_taken") + 1)
    return Attendee.objects.create(session=session, booking=None, person=student, added_by=student)


def seats_taken(session) -> int:
    return Session.objects.get(pk=session.pk).seats_taken
