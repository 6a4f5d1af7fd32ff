"""The booking cut-off: a session below its minimum is cancelled with everyone told; otherwise it runs.

At the cut-off the job claims each due session once (a conditional UPDATE of ``cutoff_checked_at``: exactly one
worker sees 1 row changed), then, in the same transaction:

- fewer people hold seats than the session's minimum (places still awaiting approval do not count): the session
  is cancelled through the college's ``session_cancel`` (``CancelledReason.BELOW_MINIMUM``), which emails every
  attendee, booker and waiting requester;
- otherwise it runs: its waiting list lapses (requesters told bookings have closed), places still awaiting a
  manager's approval are released (seat given back, no waiting-list fill after the cut-off, person told), and
  the college's coordinators get the final list.

Every email has a dedupe key, and a session once claimed is never claimed again, so a repeat changes nothing.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from notifications.outbox import absolute_url, email_enqueue, name_as_data
from training.models import (
    Attendee,
    AttendeeStatus,
    Booking,
    CancelledReason,
    Session,
    SessionStatus,
    WaitlistEntry,
    WaitlistStatus,
)
from training.services.college_cancellations import session_cancel
from training.services.seat_counts import seats_give_back

logger = logging.getLogger(__name__)

# A college may close a session to new bookings; it still runs for those booked, so it reaches its cut-off too.
LIVE = (SessionStatus.SCHEDULED, SessionStatus.CLOSED)
BATCH = 200
STUDENT = "Student"


def sessions_due_for_cutoff(*, now: datetime | None = None):
    now = now or timezone.now()
    return Session.objects.filter(status__in=LIVE, booking_cutoff__lte=now, cutoff_checked_at__isnull=True)


def sessions_check_cutoffs(*, now: datetime | None = None) -> int:
    """Decide every session whose cut-off has passed and was not decided yet; returns how many this run decided."""
    now = now or timezone.now()
    decided = 0
    for session_id in list(sessions_due_for_cutoff(now=now).order_by("booking_cutoff").values_list("pk", flat=True)):
        try:
            decided += session_check_cutoff(session_id=session_id, now=now) is not None
        except Exception:  # one broken session must not stop the others; the next run retries it
            logger.exception("Cut-off check failed for training session %s", session_id)
    return decided


def session_check_cutoff(*, session_id: int, now: datetime | None = None) -> str | None:
    """Claim one session at its cut-off and cancel or confirm it. Returns "cancelled", "runs", or None (not ours)."""
    now = now or timezone.now()
    with transaction.atomic():
        claimed = Session.objects.filter(
            pk=session_id, status__in=LIVE, booking_cutoff__lte=now, cutoff_checked_at__isnull=True
        ).update(cutoff_checked_at=now)
        if claimed != 1:
            return None  # another worker decided it, or it was cancelled meanwhile
        session = Session.objects.select_for_update().select_related("entry", "room__suite__college").get(pk=session_id)
        awaiting = list(
            session.attendees.filter(status=AttendeeStatus.AWAITING_APPROVAL).select_related("person", "booking")
        )
        holding = session.seats_taken - len(awaiting)
        if holding < session.min_participants:
            # The one way a session is cancelled: facilitations freed, everyone on it, or waiting, told once.
            session_cancel(actor=None, session=session, reason=CancelledReason.BELOW_MINIMUM)
            return "cancelled"
        _release_awaiting_approval(session, awaiting, now)
        _lapse_waitlist(session, now)
        _send_final_list(session)
        return "runs"


def _session_context(session: Session) -> dict:
    return {"session": session, "entry": session.entry, "room": session.room, "suite": session.room.suite}


def _release_awaiting_approval(session: Session, awaiting: list[Attendee], now: datetime) -> None:
    """Places nobody approved by the cut-off go: the seat goes back (the waiting list has closed), the person told."""
    for attendee in awaiting:
        released = Attendee.objects.filter(pk=attendee.pk, status=AttendeeStatus.AWAITING_APPROVAL).update(
            status=AttendeeStatus.CANCELLED, cancelled_at=now
        )
        if released != 1:
            continue
        if attendee.booking_id is not None:
            booking = Booking.objects.select_for_update().get(pk=attendee.booking_id)
            if booking.seats < 1:
                continue  # its seat was already given back
            booking.seats -= 1
            if booking.seats == 0:
                booking.cancelled_at = now
            booking.save(update_fields=["seats", "cancelled_at"])
        seats_give_back(session_id=session.pk, count=1)
        email_enqueue(
            dedupe_key=f"training-session-{session.pk}-unapproved-attendee-{attendee.pk}",
            template="attendee_place_not_approved_in_time",
            to_email=attendee.person.email,
            recipient=attendee.person,
            context={
                **_session_context(session),
                "attendee": attendee,
                "catalogue_url": absolute_url(reverse("training:catalogue")),
            },
        )


def _lapse_waitlist(session: Session, now: datetime) -> None:
    waiting = list(session.waitlist.filter(status=WaitlistStatus.WAITING).select_related("requested_by"))
    WaitlistEntry.objects.filter(pk__in=[entry.pk for entry in waiting], status=WaitlistStatus.WAITING).update(
        status=WaitlistStatus.LAPSED, resolved_at=now
    )
    for entry in waiting:
        email_enqueue(
            dedupe_key=f"training-session-{session.pk}-waitlist-lapsed-{entry.pk}",
            template="booker_waitlist_closed",
            to_email=entry.requested_by.email,
            recipient=entry.requested_by,
            context={
                **_session_context(session),
                "waiting": entry,
                "for_self": bool(entry.person_id),
                "catalogue_url": absolute_url(reverse("training:catalogue")),
            },
        )


def final_list(session: Session) -> dict:
    """Who is coming, for the college: seats and names by employer (students together), and unnamed seats."""
    attendees = list(
        session.attendees.filter(status=AttendeeStatus.BOOKED)
        .select_related("person", "booking__employer")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    bookings = list(session.bookings.filter(seats__gt=0).select_related("employer").order_by("employer__name", "pk"))
    named = Counter(attendee.booking.employer_id for attendee in attendees if attendee.booking_id is not None)
    seats: Counter[int] = Counter()
    names: dict[int, str] = {}
    for booking in bookings:
        seats[booking.employer_id] += booking.seats
        names[booking.employer_id] = booking.employer.name
    employers = [
        {
            "name": names[employer_id],
            "seats": seats[employer_id],
            "named": named[employer_id],
            "unnamed": max(seats[employer_id] - named[employer_id], 0),
            "people": [
                name_as_data(a.person.get_full_name())
                for a in attendees
                if a.booking_id and a.booking.employer_id == employer_id
            ],
        }
        for employer_id in sorted(names, key=lambda pk: names[pk].lower())
    ]
    students = [name_as_data(a.person.get_full_name()) for a in attendees if a.booking_id is None]
    return {
        "employers": employers,
        "students": students,
        "total": session.seats_taken,
        "unnamed": sum(row["unnamed"] for row in employers),
    }


def _send_final_list(session: Session) -> None:
    coordinators = User.objects.filter(
        organisation_id=session.room.suite.college_id, role=Role.COORDINATOR, is_active=True
    ).order_by("pk")
    session.refresh_from_db(fields=["seats_taken"])
    context = {
        **_session_context(session),
        "list": final_list(session),
        "link": absolute_url(reverse("training:college-session", args=[session.pk])),
        "attendance_url": absolute_url(reverse("training:college-attendance", args=[session.pk])),
    }
    for coordinator in coordinators:
        email_enqueue(
            dedupe_key=f"training-session-{session.pk}-final-list-{coordinator.pk}",
            template="coordinator_session_final_list",
            to_email=coordinator.email,
            recipient=coordinator,
            context=context,
        )
