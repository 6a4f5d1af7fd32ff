"""Reads for students' first-come places: the sessions open to them and the places they hold."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db.models import Case, F, IntegerField, QuerySet, TextField, Value, When
from django.db.models.functions import Cast
from django.utils import timezone

from training.models import STALE_AFTER, Attendee, AttendeeStatus, Audience, Session, SessionStatus
from training.services.sessions import london

# JSON lists are stored as text on SQLite and jsonb on PostgreSQL; both print a value as "students" with its quotes,
# and no other audience's value contains that, so one text match works on both (JSON __contains is PostgreSQL-only).
_STUDENTS_IN_JSON = f'"{Audience.STUDENTS.value}"'


def sessions_open_to_students(*, now: datetime | None = None) -> QuerySet[Session]:
    """Scheduled sessions open to students (Audience.STUDENTS) still taking bookings, whose entry is not stale."""
    now = now or timezone.now()
    return (
        Session.objects.filter(
            status=SessionStatus.SCHEDULED,
            starts_at__gt=now,
            booking_cutoff__gt=now,
            entry__last_confirmed_on__gte=timezone.localdate(now) - STALE_AFTER,
        )
        .annotate(_audiences=Cast("entry__audiences", output_field=TextField()))
        .filter(_audiences__contains=_STUDENTS_IN_JSON)
    )


def sessions_for_student(application, *, now: datetime | None = None) -> QuerySet[Session]:
    """Sessions ``application``'s student may look at booking: on days inside the dates they gave (when they gave
    both), those with seats left first, then soonest first; each knows whether it is ``full``."""
    sessions = sessions_open_to_students(now=now)
    if application.available_from and application.available_to:
        sessions = sessions.filter(
            starts_at__gte=london(application.available_from, time(0)),
            starts_at__lt=london(application.available_to + timedelta(days=1), time(0)),
        )
    return (
        sessions.annotate(
            full=Case(When(seats_taken__gte=F("seats"), then=Value(1)), default=Value(0), output_field=IntegerField())
        )
        .select_related("entry__college", "room__suite")
        .order_by("full", "starts_at", "pk")
    )


def student_places_for_student(student, *, now: datetime | None = None) -> QuerySet[Attendee]:
    """The student's own booked first-come places on sessions not over yet, soonest first."""
    return (
        Attendee.objects.filter(
            person=student,
            booking__isnull=True,
            status=AttendeeStatus.BOOKED,
            session__ends_at__gt=now or timezone.now(),
        )
        .exclude(session__status=SessionStatus.CANCELLED)
        .select_related("session__entry__college", "session__room__suite")
        .order_by("session__starts_at")
    )


def session_for_student_booking(pk: int) -> Session | None:
    """Any session, with what its booking page shows; the page explains why one not open to students cannot be
    booked (its details are public in the catalogue)."""
    return Session.objects.select_related("entry__college", "room__suite").filter(pk=pk).first()
