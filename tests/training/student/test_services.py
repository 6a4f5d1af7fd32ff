"""Who may book a first-come student place, and why not, in plain English; seats, limits and emails."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from notifications.models import OutboundEmail
from placements.models import Application, GuardianConsent
from placements.workflow import Status
from tests import factories
from tests.factories import RoundFactory
from tests.training.student.conftest import application_for, in_days, make_session
from training.models import Attendee, AttendeeStatus, Audience, Session, SessionStatus
from training.services import student as services
from training.services.student import student_eligibility, student_place_book

pytestmark = pytest.mark.django_db


def _refusal(actor, session) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        student_place_book(actor=actor, session=session)
    return caught.value


def _taken(session) -> int:
    return Session.objects.get(pk=session.pk).seats_taken


@pytest.mark.parametrize("status", [Status.UNSUCCESSFUL, Status.DECLINED, Status.EXPIRED])
def test_a_student_whose_application_ended_without_a_place_books_a_seat(student, round_, student_session, status):
    application_for(student, round_, status=status)
    attendee = student_place_book(actor=student, session=student_session)
    assert (attendee.booking, attendee.person, attendee.status, attendee.added_by) == (
        None,
        student,
        AttendeeStatus.BOOKED,
        student,
    )
    assert _taken(student_session) == 1
    assert student_eligibility(student).why == services.WHY_YOU_CAN_BOOK[status]


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (Status.CONFIRMED, "You have been offered or hold a placement (‘Confirmed’ in Summer 2027)"),
        (Status.ACCEPTED, "You have been offered or hold a placement (‘Accepted’ in Summer 2027)"),
        (Status.OFFERED, "You have been offered or hold a placement (‘Offered’ in Summer 2027)"),
        (Status.COMPLETED, "You have been offered or hold a placement (‘Completed’ in Summer 2027)"),
        (Status.READY_FOR_MATCHING, "Your application for Summer 2027 is still going (‘Ready for matching’)"),
        (Status.DRAFT, "Your application for Summer 2027 is still going (‘Draft’)"),
        (Status.WITHDRAWN, "Your application for Summer 2027 ended as ‘Withdrawn’"),
        (Status.CANCELLED_BY_HOST, "Your application for Summer 2027 ended as ‘Cancelled by the host’"),
    ],
)
def test_a_student_placed_or_still_in_the_round_is_told_why_they_cannot_book(
    student, round_, student_session, status, message
):
    application_for(student, round_, status=status)
    error = _refusal(student, student_session)
    assert error.code == "not_eligible" and message in error.messages[0]
    assert _taken(student_session) == 0 and not Attendee.objects.exists()


def test_a_student_who_never_applied_is_told_who_can_book(student, student_session):
    error = _refusal(student, student_session)
    assert error.messages == [services.NO_APPLICATION]
    assert "not placed in the round, an offer they declined, or an offer that expired" in error.messages[0]


def test_a_place_in_a_later_round_ends_it_but_a_new_draft_does_not(student, round_, student_session):
    application_for(student, round_, status=Status.UNSUCCESSFUL)
    later = RoundFactory(
        name="Winter 2028",
        placements_from=round_.placements_from + timedelta(days=300),
        placements_to=round_.placements_to + timedelta(days=300),
    )
    newer = application_for(student, later, status=Status.DRAFT)
    assert student_eligibility(student).eligible
    Application.objects.filter(pk=newer.pk).update(status=Status.CONFIRMED)
    assert not student_eligibility(student).eligible


def test_only_students_may_book(staff_member, tutor, coordinator, student_session):
    for actor in (staff_member, tutor, coordinator):
        with pytest.raises(PermissionDenied):
            student_place_book(actor=actor, session=student_session)
    assert _taken(student_session) == 0


def test_too_young_on_the_day_is_refused_with_the_age_they_will_be(student, round_, student_session):
    application_for(student, round_, age=15)
    error = _refusal(student, student_session)
    assert error.code == "too_young"
    assert error.messages[0].startswith("This session is for people aged 16 or over on the day. You will be 15 on ")


def test_a_student_who_turns_the_minimum_age_on_the_day_may_book(student, round_, student_session):
    day = timezone.localtime(student_session.starts_at).date()
    application_for(student, round_, date_of_birth=day.replace(year=day.year - 16))
    student_place_book(actor=student, session=student_session)


def test_unknown_date_of_birth_says_why_and_what_to_do(student, round_, student_session, settings):
    application = application_for(student, round_, date_of_birth=None)
    error = _refusal(student, student_session)
    assert error.code == "no_date_of_birth"
    assert settings.SUPPORT_EMAIL in error.messages[0] and application.reference in error.messages[0]
    assert "we cannot check your age" in error.messages[0]


def test_unknown_date_of_birth_is_fine_when_the_session_has_no_minimum_age(student, round_, student_session):
    student_session.entry.min_age = None
    student_session.entry.save()
    application_for(student, round_, date_of_birth=None)
    student_place_book(actor=student, session=student_session)


def test_a_session_outside_the_students_dates_is_refused(student, round_, student_session):
    today = timezone.localdate()
    application_for(student, round_, available_from=today, available_to=today + timedelta(days=10))
    error = _refusal(student, student_session)
    assert error.code == "outside_dates" and "outside the dates you said you were free" in error.messages[0]


def test_dates_only_count_when_both_are_given(student, round_, student_session):
    application_for(student, round_, available_from=timezone.localdate(), available_to=None)
    student_place_book(actor=student, session=student_session)


def test_a_session_for_staff_only_is_refused(student, unplaced, college_coordinator, entry, other_room):
    staff_only = make_session(college_coordinator, entry, other_room, seats=4)
    assert Audience.STUDENTS not in entry.audiences
    assert _refusal(student, staff_only).messages == [services.NOT_FOR_STUDENTS]


def test_past_the_cut_off_and_closed_sessions_are_refused(student, unplaced, college_coordinator, insight_day, room):
    closed_soon = make_session(college_coordinator, insight_day, room, days=1, cutoff_days_before=2)
    error = _refusal(student, closed_soon)
    assert error.code == "closed" and error.messages[0].startswith("Bookings for this session closed at ")
    closed = make_session(college_coordinator, insight_day, room, days=30)
    Session.objects.filter(pk=closed.pk).update(status=SessionStatus.CLOSED)
    closed.refresh_from_db()
    assert _refusal(student, closed).messages == [services.NOT_TAKING_BOOKINGS]


def test_a_full_session_says_so_and_keeps_no_waiting_list(student, unplaced, student_session):
    Session.objects.filter(pk=student_session.pk).update(seats_taken=student_session.seats)
    assert _refusal(student, student_session).messages == [services.SESSION_FULL]
    assert not Attendee.objects.exists()


def test_booking_twice_is_refused_and_takes_no_second_seat(student, unplaced, student_session):
    student_place_book(actor=student, session=student_session)
    error = _refusal(student, student_session)
    assert error.code == "already_booked"
    assert _taken(student_session) == 1 and Attendee.objects.count() == 1
    assert OutboundEmail.objects.filter(template="student_training_place_booked").count() == 1


def test_no_more_than_two_upcoming_places_at_once(student, unplaced, college_coordinator, insight_day, room):
    sessions = [make_session(college_coordinator, insight_day, room, days=20 + n) for n in range(3)]
    student_place_book(actor=student, session=sessions[0])
    student_place_book(actor=student, session=sessions[1])
    error = _refusal(student, sessions[2])
    assert error.code == "too_many" and "To be fair to other students" in error.messages[0]
    assert _taken(sessions[2]) == 0
    # A cancelled place no longer counts.
    Attendee.objects.filter(session=sessions[0]).update(status=AttendeeStatus.CANCELLED)
    student_place_book(actor=student, session=sessions[2])


def test_the_student_is_emailed_when_where_what_to_bring_and_how_to_cancel(student, unplaced, student_session):
    suite = student_session.room.suite
    suite.address = "Denmark Hill Campus\nLondon"
    suite.save()
    student_place_book(actor=student, session=student_session)
    email = OutboundEmail.objects.get(template="student_training_place_booked")
    assert email.recipient == student and email.to_email == student.email
    text = email.body_text
    for words in (
        "Careers in health and care: insight day",
        "10am to 1pm",
        "Denmark Hill Campus",
        "E1 1AA",
        "photo ID",
        "/training/my/",
    ):
        assert words in text, words
    assert timezone.localtime(student_session.starts_at).strftime("%B") in email.subject


def test_an_under_18s_guardian_is_told_with_the_minimum_of_data(student, unplaced, student_session):
    student_place_book(actor=student, session=student_session)
    email = OutboundEmail.objects.get(template="guardian_training_place_booked")
    assert email.to_email == "parent@example.test" and email.recipient is None
    assert "Sam Student" in email.body_text and unplaced.reference in email.body_text
    assert "Sam" not in email.subject and student.email not in email.body_text
    assert unplaced.phone not in email.body_text or not unplaced.phone


def test_the_guardian_who_gave_consent_is_the_one_told(student, unplaced, student_session):
    GuardianConsent.objects.create(
        application=unplaced,
        guardian_email="consented@example.test",
        given_at=timezone.now(),
        expires_at=timezone.now() + timedelta(days=14),
        token_hash="x",
    )
    student_place_book(actor=student, session=student_session)
    assert OutboundEmail.objects.get(template="guardian_training_place_booked").to_email == "consented@example.test"


def test_an_adult_students_guardian_is_not_told(student, round_, student_session):
    application_for(student, round_, age=19, guardian_email="parent@example.test")
    student_place_book(actor=student, session=student_session)
    assert not OutboundEmail.objects.filter(template="guardian_training_place_booked").exists()


def test_a_student_seat_is_one_of_the_sessions_seats(student, unplaced, student_session, coordinator):
    from training.services.seats import seats_book

    seats_book(actor=coordinator, session=student_session, count=student_session.seats - 1)
    student_place_book(actor=student, session=student_session)
    assert _taken(student_session) == student_session.seats
    other = factories.StudentFactory()
    application_for(other, unplaced.round)
    assert _refusal(other, student_session).code == "full"


def test_an_expired_offer_in_the_past_still_counts_when_the_session_is_soon(student, round_, student_session):
    application_for(student, round_, status=Status.EXPIRED)
    assert in_days(20) == student_session.starts_at
    student_place_book(actor=student, session=student_session)
