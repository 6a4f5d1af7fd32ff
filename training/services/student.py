"""Students left without a place book first-come places on college sessions open to students (issue 12).

Who may book: a student whose latest application ended without a place (not placed by the round's outcome date,
an offer they declined, or one that expired: ``placements.workflow.ENDED_WITHOUT_PLACE``), on a session whose
catalogue entry is open to students, old enough on the day (``CatalogueEntry.min_age``) and on a day inside the
dates they gave (when they gave both). Every refusal says why, in plain English.

Seats move only by conditional UPDATE (``seat_counts.seats_take``): first come, first served, no waiting list.
The student's own row is locked while booking, so two tabs cannot pass the "two at a time" rule together.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from notifications.outbox import absolute_url, email_enqueue, name_as_data
from placements.selectors.applications import (
    PLACED_OR_OFFERED,
    application_ended_without_place_for,
    applications_of,
)
from placements.templatetags.wording import day, day_range, deadline
from placements.workflow import OPEN, Status
from training.models import Attendee, AttendeeStatus, Audience, Session, SessionStatus
from training.permissions import ensure_can_book_student_place
from training.selectors.student import student_places_for_student
from training.services.seat_counts import seats_take
from training.services.sessions import LONDON

# To be fair to other students, nobody holds more than this many upcoming student places at once.
MAX_UPCOMING_PLACES = 2
ADULT_AGE = 18

WHO_CAN_BOOK = (
    "These places are for students whose application for a work experience placement ended without a place: "
    "not placed in the round, an offer they declined, or an offer that expired."
)
NO_APPLICATION = f"{WHO_CAN_BOOK} You have not applied in a round, so you cannot book one."
STILL_GOING = (
    f"{WHO_CAN_BOOK} Your application for {{round}} is still going (‘{{status}}’), so you cannot book one yet. "
    "If it ends without a place, you can book here."
)
HAS_PLACE = (
    "These places are kept for students who were not placed. You have been offered or hold a placement "
    "(‘{status}’ in {round}), so you cannot book one."
)
ENDED_OTHERWISE = (
    f"{WHO_CAN_BOOK} Your application for {{round}} ended as ‘{{status}}’, so you cannot book one. "
    "Your tutor can help you find other options."
)
WHY_YOU_CAN_BOOK = {
    Status.UNSUCCESSFUL: "Your application was not placed this round",
    Status.DECLINED: "You declined the placement you were offered this round",
    Status.EXPIRED: "Your placement offer expired this round",
}
NOT_FOR_STUDENTS = "This session is for health and care staff, not students, so you cannot book it."
NOT_TAKING_BOOKINGS = "This session is not taking bookings."
CUTOFF_PASSED = "Bookings for this session closed at {deadline}."
TOO_YOUNG = "This session is for people aged {min_age} or over on the day. You will be {age} on {day}."
NO_DATE_OF_BIRTH = (
    "This session is for people aged {min_age} or over, and your application does not give your date of birth, "
    "so we cannot check your age. Email {support} with your application reference ({reference}) and your date "
    "of birth, and we will add it."
)
OUTSIDE_DATES = "This session is on {day}, outside the dates you said you were free ({dates})."
SESSION_FULL = "This session is now full."
ALREADY_BOOKED = "You already have a place on this session."
TOO_MANY_PLACES = (
    f"You already have {MAX_UPCOMING_PLACES} upcoming student places. To be fair to other students, you can hold "
    f"{MAX_UPCOMING_PLACES} at a time: book another once one of them has happened, or cancel one you no longer need."
)
WHAT_TO_BRING = (
    "Bring your student card or another photo ID. Wear comfortable clothes and flat, closed shoes; the college "
    "provides any equipment and uniform the session needs."
)


@dataclass(frozen=True)
class Eligibility:
    """Whether a student may book student places at all, the application that decides it, and why (not)."""

    application: object | None  # placements.models.Application
    refusal: str = ""

    @property
    def eligible(self) -> bool:
        return not self.refusal

    @property
    def why(self) -> str:
        """Why they can book, for the page: "Your application was not placed this round"."""
        if not self.eligible:
            return ""
        return WHY_YOU_CAN_BOOK.get(self.application.status, WHY_YOU_CAN_BOOK[Status.UNSUCCESSFUL])


def student_eligibility(student: User) -> Eligibility:
    """May ``student`` book first-come student places? The application that decides it, or why not."""
    application = application_ended_without_place_for(student)
    if application is not None:
        return Eligibility(application=application)
    latest = applications_of(student).order_by("-round__placements_from", "-created_at").first()
    if latest is None:
        return Eligibility(application=None, refusal=NO_APPLICATION)
    words = {"round": latest.round.name, "status": Status(latest.status).label}
    if latest.status in PLACED_OR_OFFERED:
        return Eligibility(application=latest, refusal=HAS_PLACE.format(**words))
    if latest.status in OPEN:
        return Eligibility(application=latest, refusal=STILL_GOING.format(**words))
    return Eligibility(application=latest, refusal=ENDED_OTHERWISE.format(**words))


def session_day(session: Session):
    return session.starts_at.astimezone(LONDON).date()


def session_refusal(*, application, session: Session, now: datetime | None = None) -> ValidationError | None:
    """Why this eligible student's ``application`` cannot book ``session`` (a ValidationError with a code), or None.

    Seats and the student's other places are checked under lock when booking, not here.
    """
    now = now or timezone.now()
    entry = session.entry
    if Audience.STUDENTS not in (entry.audiences or []):
        return ValidationError(NOT_FOR_STUDENTS, code="not_for_students")
    if session.status != SessionStatus.SCHEDULED or entry.is_stale():
        return ValidationError(NOT_TAKING_BOOKINGS, code="not_open")
    if now >= session.booking_cutoff or now >= session.starts_at:
        return ValidationError(CUTOFF_PASSED.format(deadline=deadline(session.booking_cutoff)), code="closed")
    on_the_day = session_day(session)
    if entry.min_age:
        age = application.age_on(on_the_day)
        if age is None:
            return ValidationError(
                NO_DATE_OF_BIRTH.format(
                    min_age=entry.min_age, support=settings.SUPPORT_EMAIL, reference=application.reference
                ),
                code="no_date_of_birth",
            )
        if age < entry.min_age:
            return ValidationError(
                TOO_YOUNG.format(min_age=entry.min_age, age=age, day=day(on_the_day)), code="too_young"
            )
    if application.available_from and application.available_to:
        if not application.available_from <= on_the_day <= application.available_to:
            return ValidationError(
                OUTSIDE_DATES.format(
                    day=day(on_the_day), dates=day_range(application.available_from, application.available_to)
                ),
                code="outside_dates",
            )
    return None


def student_place_book(*, actor: User, session: Session) -> Attendee:
    """A student left without a place takes one seat on ``session``, first come, first served; emails them (and,
    for an under-18, their parent or guardian). Refused, with the reason, when not eligible, already booked,
    past the cut-off, holding too many places, or full (no waiting list for students)."""
    ensure_can_book_student_place(actor)
    eligibility = student_eligibility(actor)
    if not eligibility.eligible:
        raise ValidationError(eligibility.refusal, code="not_eligible")
    application = eligibility.application
    refusal = session_refusal(application=application, session=session)
    if refusal is not None:
        raise refusal
    try:
        with transaction.atomic():
            # One booking at a time per student: the "already booked" and "two at a time" checks cannot be raced.
            list(User.objects.select_for_update().filter(pk=actor.pk).values_list("pk", flat=True))
            mine = Attendee.objects.filter(person=actor).exclude(status=AttendeeStatus.CANCELLED)
            if mine.filter(session=session).exists():
                raise ValidationError(ALREADY_BOOKED, code="already_booked")
            if student_places_for_student(actor).count() >= MAX_UPCOMING_PLACES:
                raise ValidationError(TOO_MANY_PLACES, code="too_many")
            if not seats_take(session_id=session.pk, count=1):
                raise ValidationError(SESSION_FULL, code="full")
            attendee = Attendee.objects.create(
                session=session, booking=None, person=actor, status=AttendeeStatus.BOOKED, added_by=actor
            )
            _tell_student_and_guardian(attendee=attendee, application=application)
    except IntegrityError as error:  # the once-per-session constraint: a place made by another path got there first
        raise ValidationError(ALREADY_BOOKED, code="already_booked") from error
    return attendee


def _tell_student_and_guardian(*, attendee: Attendee, application) -> None:
    session = Session.objects.select_related("entry__college", "room__suite").get(pk=attendee.session_id)
    context = {
        "session": session,
        "entry": session.entry,
        "college": session.entry.college,
        "suite": session.room.suite,
        "room": session.room,
        "what_to_bring": WHAT_TO_BRING,
    }
    email_enqueue(
        dedupe_key=f"student_training_place_booked:attendee:{attendee.pk}",
        template="student_training_place_booked",
        to_email=attendee.person.email,
        recipient=attendee.person,
        context={
            **context,
            "first_name": application.first_name or attendee.person.first_name,
            "cancel_url": absolute_url(reverse("training:my-training")),
        },
    )
    guardian_email = _guardian_email(application)
    age = application.age_on(session_day(session))
    if guardian_email and (age is None or age < ADULT_AGE):
        email_enqueue(
            dedupe_key=f"guardian_training_place_booked:attendee:{attendee.pk}",
            template="guardian_training_place_booked",
            to_email=guardian_email,
            context={
                **context,
                "reference": application.reference,
                # The student typed their name: quoted as data for someone else, never in the subject.
                "student_name": name_as_data(f"{application.first_name} {application.last_name}"),
            },
        )


def _guardian_email(application) -> str:
    """The parent or guardian who gave consent, else the one the student named (placements emails the same)."""
    consent = getattr(application, "guardian_consent", None)
    if consent is not None and consent.given_at is not None:
        return consent.guardian_email
    return application.guardian_email
