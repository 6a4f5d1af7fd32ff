"""Attendance: the running college marks who came, from the start of the session; certificates follow.

Marks can be corrected for 30 days after attendance was first marked. Each person marked as attended gets one
email (certificate ready, and "how confident do you feel now?"); a later correction sends nothing again.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from notifications.outbox import absolute_url, email_enqueue
from placements.templatetags.wording import deadline
from training.models import Attendance, Attendee, AttendeeStatus, Session, SessionStatus
from training.permissions import ensure_can_manage_suite

CORRECTIONS_FOR = timedelta(days=30)
MARKS = (Attendance.ATTENDED, Attendance.DID_NOT_ATTEND)

NOT_STARTED = "You can mark attendance once the session has started, from {opens}."
CANCELLED = "This session was cancelled, so there is no attendance to mark."
TOO_LATE = "Attendance can only be changed for 30 days after it was first marked."
NOT_ON_SESSION = "Someone in the list is no longer booked on this session. Reload the page and try again."
MARK_EVERYONE = "Select whether {name} attended."
NOT_A_MARK = "Select Attended or Did not attend for {name}."


def attendance_window(session: Session, now: datetime | None = None) -> str | None:
    """Why attendance cannot be marked now (a message), or None when it can."""
    now = now or timezone.now()
    if session.status == SessionStatus.CANCELLED:
        return CANCELLED
    if now < session.starts_at:
        return NOT_STARTED.format(opens=deadline(session.starts_at))
    if session.attendance_marked_at and now > session.attendance_marked_at + CORRECTIONS_FOR:
        return TOO_LATE
    return None


def attendees_to_mark(session: Session):
    """Everyone holding a booked place on the session, with what is shown beside their name."""
    return (
        session.attendees.filter(status=AttendeeStatus.BOOKED)
        .select_related("person", "booking__employer")
        .order_by("person__last_name", "person__first_name", "pk")
    )


def attendance_mark(*, actor: User, session: Session, marks: dict[int, str], now: datetime | None = None) -> int:
    """Record who attended (every booked person needs a mark); email each newly attended person once.

    Returns how many marks changed. A repeat with the same marks changes and sends nothing.
    """
    ensure_can_manage_suite(actor, session.room.suite.college)
    now = now or timezone.now()
    with transaction.atomic():
        session = Session.objects.select_for_update().select_related("entry", "room__suite__college").get(pk=session.pk)
        if reason := attendance_window(session, now):
            raise ValidationError(reason, code="closed")
        attendees = list(attendees_to_mark(session))
        on_session = {attendee.pk for attendee in attendees}
        if set(marks) - on_session:
            raise ValidationError(NOT_ON_SESSION, code="not_on_session")
        errors = []
        for attendee in attendees:
            name = attendee.person.get_full_name()
            if attendee.pk not in marks:
                errors.append(ValidationError(MARK_EVERYONE.format(name=name), code="missing"))
            elif marks[attendee.pk] not in MARKS:
                errors.append(ValidationError(NOT_A_MARK.format(name=name), code="invalid"))
        if errors:
            raise ValidationError(errors)
        changed = [attendee for attendee in attendees if attendee.attendance != marks[attendee.pk]]
        for attendee in changed:
            attendee.attendance = marks[attendee.pk]
            attendee.attendance_marked_by = actor
            attendee.attendance_marked_at = now
        Attendee.objects.bulk_update(changed, ["attendance", "attendance_marked_by", "attendance_marked_at"])
        if session.attendance_marked_at is None:
            session.attendance_marked_at = now
            session.save(update_fields=["attendance_marked_at"])
        for attendee in changed:
            if attendee.attendance == Attendance.ATTENDED:
                _certificate_ready(session, attendee)
    return len(changed)


def _certificate_ready(session: Session, attendee: Attendee) -> None:
    email_enqueue(
        dedupe_key=f"training-certificate-ready-attendee-{attendee.pk}",
        template="attendee_certificate_ready",
        to_email=attendee.person.email,
        recipient=attendee.person,
        context={
            "attendee": attendee,
            "session": session,
            "entry": session.entry,
            "certificate_url": absolute_url(reverse("training:certificate", args=[attendee.pk])),
            "confidence_url": absolute_url(reverse("training:confidence", args=[attendee.pk])),
        },
    )
