"""A college coordinator closing a session to new bookings, and cancelling one (also the cut-off job, below the
minimum): everyone on it is told in the same transaction."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from training.models import (
    Attendee,
    AttendeeStatus,
    Booking,
    CancelledReason,
    Facilitation,
    Session,
    SessionStatus,
    WaitlistEntry,
    WaitlistStatus,
)
from training.permissions import ensure_can_manage_suite
from training.services import college_emails
from training.services.college_sessions import ALREADY_STARTED

NOT_SCHEDULED = "Only a session that is taking bookings can be closed."


def session_close(*, actor: User, session: Session) -> Session:
    """Stop new bookings; the session still runs for those booked. A repeat changes nothing."""
    ensure_can_manage_suite(actor, session.room.suite.college)
    closed = Session.objects.filter(pk=session.pk, status=SessionStatus.SCHEDULED).update(status=SessionStatus.CLOSED)
    session.refresh_from_db()
    if not closed and session.status != SessionStatus.CLOSED:
        raise ValidationError(NOT_SCHEDULED, code="not_scheduled")
    return session


def session_cancel(*, actor: User | None, session: Session, reason: str) -> Session:
    """Cancel a session and tell everyone on it, in one transaction.

    ``actor``: the college's coordinator, whose permission is checked, and who cannot cancel a session that
    has started; or ``None`` for the system (the cut-off job cancelling below the minimum), with no permission
    check. ``reason``: a ``CancelledReason`` (``by_college``, ``below_minimum``), told to everyone.

    Sets status cancelled, ``cancelled_reason`` and ``cancelled_at``; deletes the ``Facilitation`` rows (the
    facilitator exclusion constraint ignores status, so this frees the facilitators); cancels every attendee;
    sets every booking to 0 seats (cancelled); lapses the waiting list; emails each attendee
    (``attendee_session_cancelled``), each booking's booker (``booker_session_cancelled``) and each waiting
    requester (``requester_session_cancelled``) through the outbox. A repeat (already cancelled) does nothing.
    """
    if reason not in CancelledReason.values:
        raise ValueError(f"unknown cancellation reason {reason!r}")
    if actor is not None:
        ensure_can_manage_suite(actor, session.room.suite.college)
    now = timezone.now()
    with transaction.atomic():
        locked = Session.objects.select_for_update().select_related("entry", "room__suite").get(pk=session.pk)
        if locked.status == SessionStatus.CANCELLED:
            session.refresh_from_db()
            return session
        if actor is not None and now >= locked.starts_at:
            raise ValidationError(ALREADY_STARTED, code="started")
        Session.objects.filter(pk=locked.pk).exclude(status=SessionStatus.CANCELLED).update(
            status=SessionStatus.CANCELLED, cancelled_reason=reason, cancelled_at=now, seats_taken=0
        )
        Facilitation.objects.filter(session_id=locked.pk).delete()
        attendees = list(
            Attendee.objects.filter(session_id=locked.pk)
            .exclude(status=AttendeeStatus.CANCELLED)
            .select_related("person")
        )
        Attendee.objects.filter(pk__in=[a.pk for a in attendees]).update(
            status=AttendeeStatus.CANCELLED, cancelled_at=now
        )
        bookings = list(Booking.objects.filter(session_id=locked.pk, seats__gt=0).select_related("booked_by"))
        Booking.objects.filter(pk__in=[b.pk for b in bookings]).update(seats=0, cancelled_at=now)
        waiting = list(
            WaitlistEntry.objects.filter(session_id=locked.pk, status=WaitlistStatus.WAITING).select_related(
                "requested_by"
            )
        )
        WaitlistEntry.objects.filter(pk__in=[w.pk for w in waiting]).update(
            status=WaitlistStatus.LAPSED, resolved_at=now
        )
        locked.refresh_from_db()
        college_emails.tell_session_cancelled(session=locked, attendees=attendees, bookings=bookings, waiting=waiting)
    session.refresh_from_db()
    return session
