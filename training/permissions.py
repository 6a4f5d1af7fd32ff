"""Who may do what with simulation suites: ``can_*`` predicates and the ``ensure_*`` guards services call."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from accounts.models import EMPLOYER_KINDS, OrganisationKind, Role
from training.models import EmployerTrainingPolicy, SelfBooking

NOT_COLLEGE_COORDINATOR = "Only a coordinator at the college that runs this suite can do this."
NOT_EMPLOYER_COORDINATOR = "Only a coordinator at an NHS trust or care provider can book seats."
NOT_BOOKING_EMPLOYER = "Only a coordinator at the employer that made this booking can change it."


def _coordinator_at(user, organisation_id) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.role == Role.COORDINATOR
        and user.organisation_id is not None
        and user.organisation_id == organisation_id
    )


def can_manage_suite(user, college) -> bool:
    """A coordinator of this college (and it is a college) manages its suites, rooms, catalogue and sessions."""
    return college.kind == OrganisationKind.COLLEGE and _coordinator_at(user, college.pk)


def can_book_seats(user) -> bool:
    """A coordinator of an NHS trust or care provider books seats for its staff."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.role == Role.COORDINATOR
        and user.organisation_id is not None
        and user.organisation_kind in EMPLOYER_KINDS
    )


def can_cancel_booking(user, booking) -> bool:
    return can_book_seats(user) and user.organisation_id == booking.employer_id


def ensure_can_manage_suite(user, college) -> None:
    if not can_manage_suite(user, college):
        raise PermissionDenied(NOT_COLLEGE_COORDINATOR)


def ensure_can_book_seats(user) -> None:
    if not can_book_seats(user):
        raise PermissionDenied(NOT_EMPLOYER_COORDINATOR)


def ensure_can_cancel_booking(user, booking) -> None:
    if not can_cancel_booking(user, booking):
        raise PermissionDenied(NOT_BOOKING_EMPLOYER)


# staff ------------------------------------------------------------------------------------------------------------
# A member of staff books a seat for themselves when their employer lets them (EmployerTrainingPolicy).

NOT_SELF_BOOKER = "Your employer has not switched on booking training for yourself. Ask your training coordinator."


def can_self_book(user) -> bool:
    """An active staff member of an NHS trust or care provider whose employer's self-booking policy is not off."""
    if not (
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.role == Role.STAFF
        and user.organisation_id is not None
        and user.organisation_kind in EMPLOYER_KINDS
    ):
        return False
    policy = EmployerTrainingPolicy.objects.filter(employer_id=user.organisation_id).values_list(
        "self_booking", flat=True
    )
    return (policy.first() or SelfBooking.OFF) != SelfBooking.OFF


def ensure_can_self_book(user) -> None:
    if not can_self_book(user):
        raise PermissionDenied(NOT_SELF_BOOKER)


# employer ---------------------------------------------------------------------------------------------------------
# An employer's coordinator decides its staff's self-booking requests and sets its self-booking policy.

NOT_YOUR_STAFF = "Only a coordinator at this person's employer can decide on their request."
NOT_YOUR_POLICY = "Only a coordinator at this organisation can change its training settings."


def can_decide_approval(user, attendee) -> bool:
    if attendee.booking_id is None:
        return False
    return can_book_seats(user) and attendee.booking.employer_id == user.organisation_id


def can_set_training_policy(user, employer) -> bool:
    return can_book_seats(user) and user.organisation_id == employer.pk


def ensure_can_decide_approval(user, attendee) -> None:
    if not can_decide_approval(user, attendee):
        raise PermissionDenied(NOT_YOUR_STAFF)


def ensure_can_set_training_policy(user, employer) -> None:
    if not can_set_training_policy(user, employer):
        raise PermissionDenied(NOT_YOUR_POLICY)


# --- Students: first-come places on sessions open to students (student area) ---------------------------------
# Whether a student's application lets them book (ended without a place, age, dates) is decided in
# training.services.student, which explains each refusal; this is only "a signed-in, active student".

NOT_A_STUDENT = "Only students can book a student place on a session."


def can_book_student_place(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.role == Role.STUDENT)


def ensure_can_book_student_place(user) -> None:
    if not can_book_student_place(user):
        raise PermissionDenied(NOT_A_STUDENT)
