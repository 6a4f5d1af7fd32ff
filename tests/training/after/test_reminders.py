"""Reminders: each booked person once, within 2 days of the session; a booker with unnamed seats once, 3 days
before the cut-off. A late, repeated or overlapping run sends nothing twice."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import OutboundEmail
from tests.training.after.helpers import hold_seats, make_session, name_people, staff, student_place
from tests.training.conftest import at
from training.models import AttendeeStatus, SessionStatus
from training.services.reminders import attendees_remind, bookers_remind_unnamed, sessions_remind
from training.tasks import remind_upcoming_sessions_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(college_coordinator, entry, room, suite):
    suite.address = "1 College Road\nLondon"
    suite.save()
    return make_session(college_coordinator, entry, room, at(9), cutoff_before=timedelta(days=2))


def sent(template):
    return sorted(OutboundEmail.objects.filter(template=template).values_list("to_email", flat=True))


def test_each_booked_person_is_reminded_once_in_the_two_days_before(
    session, care_provider, care_provider_coordinator, care_staff_member, student
):
    booking = hold_seats(session, care_provider_coordinator, 3)
    carers = name_people(booking, staff(care_provider, 2))
    name_people(hold_seats(session, care_staff_member, 1), [care_staff_member], AttendeeStatus.AWAITING_APPROVAL)
    student_place(session, student)

    assert attendees_remind(now=session.starts_at - timedelta(days=2, minutes=1)) == 0  # too early
    assert attendees_remind(now=session.starts_at - timedelta(days=2)) == 3
    assert attendees_remind(now=session.starts_at - timedelta(days=1)) == 0
    assert sent("attendee_session_reminder") == sorted([c.person.email for c in carers] + [student.email])
    email = OutboundEmail.objects.filter(template="attendee_session_reminder").first()
    assert "1 College Road" in email.body_text and "9am to midday" in email.body_text
    assert "does not have step-free access" in email.body_text and "What to bring" in email.body_text
    assert "/training/my/" in email.body_text  # how to cancel


def test_nobody_on_a_cancelled_or_finished_session_is_reminded(session, care_provider, care_provider_coordinator):
    name_people(hold_seats(session, care_provider_coordinator, 1), staff(care_provider, 1))
    assert attendees_remind(now=session.starts_at + timedelta(minutes=1)) == 0
    session.status = SessionStatus.CANCELLED
    session.save()
    assert attendees_remind(now=session.starts_at - timedelta(days=1)) == 0


def test_a_booker_with_unnamed_seats_is_reminded_once_three_days_before_the_cut_off(
    session, care_provider, care_provider_coordinator, coordinator, staff_member
):
    unnamed = hold_seats(session, care_provider_coordinator, 3)
    name_people(unnamed, staff(care_provider, 1))
    all_named = hold_seats(session, coordinator, 1)
    name_people(all_named, [staff_member])
    cutoff = session.booking_cutoff

    assert bookers_remind_unnamed(now=cutoff - timedelta(days=3, minutes=1)) == 0
    assert bookers_remind_unnamed(now=cutoff - timedelta(days=3)) == 1
    assert bookers_remind_unnamed(now=cutoff - timedelta(days=2)) == 0
    assert bookers_remind_unnamed(now=cutoff + timedelta(minutes=1)) == 0
    assert sent("booker_seats_unnamed_reminder") == [care_provider_coordinator.email]
    email = OutboundEmail.objects.get(template="booker_seats_unnamed_reminder")
    assert "2 seats not named yet" in email.subject


def test_the_daily_job_sends_both_kinds_once(
    college_coordinator, entry, room, care_provider, care_provider_coordinator
):
    soon = make_session(
        college_coordinator, entry, room, timezone.now() + timedelta(days=1), cutoff_before=timedelta(hours=1)
    )
    booking = hold_seats(soon, care_provider_coordinator, 2)
    name_people(booking, staff(care_provider, 1))
    assert remind_upcoming_sessions_task.apply().get() == 2
    assert remind_upcoming_sessions_task.apply().get() == 0
    assert sessions_remind() == 0


def test_nobody_whose_account_was_deactivated_is_reminded(session, care_provider, care_provider_coordinator):
    (carer,) = name_people(hold_seats(session, care_provider_coordinator, 1), staff(care_provider, 1))
    carer.person.is_active = False
    carer.person.save()
    assert attendees_remind(now=session.starts_at - timedelta(days=1)) == 0
