"""A person's own training page: staff and students only, their own places, a bounded number of queries."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tests.training.staff.conftest import set_policy, student_place
from training.models import Attendance, Attendee, AttendeeStatus, Booking, SelfBooking, Session, SessionStatus
from training.services.staff import attendee_self_book

pytestmark = pytest.mark.django_db


def test_empty_states_and_the_calendar_section(client, staff_member, student):
    for person in (staff_member, student):
        client.force_login(person)
        text = client.get(reverse("training:my-training")).text
        assert "You have no training coming up." in text
        assert "You have no past training yet." in text
        assert "Add your training to your calendar" in text
        assert "webcal://" in text and f'value="{settings.SITE_URL}/training/calendar/' in text
        assert "Outlook" in text and "Google Calendar" in text and "Apple Calendar" in text
        assert "Create a new link" in text


@pytest.mark.parametrize("who", ["coordinator", "college_coordinator", "care_coordinator", "tutor", "admin", "partner"])
def test_people_without_places_get_404(client, personas, who):
    client.force_login(personas[who])
    assert client.get(reverse("training:my-training")).status_code == 404
    assert client.post(reverse("training:my-calendar-renew")).status_code == 404


def test_upcoming_waiting_past_and_cancelled_places_are_shown(
    client, staff_member, other_trust_staff_member, trust, make_session
):
    set_policy(trust, SelfBooking.WITH_APPROVAL)
    waiting = attendee_self_book(actor=staff_member, session=make_session(days=10))
    past = Attendee.objects.create(session=make_session(days=-10), person=staff_member, attendance=Attendance.ATTENDED)
    Session.objects.filter(pk=past.session_id).update(attendance_marked_at=timezone.now())
    cancelled = make_session(days=20)
    Attendee.objects.create(
        session=cancelled, person=staff_member, status=AttendeeStatus.CANCELLED, cancelled_at=timezone.now()
    )
    someone_elses = Attendee.objects.create(session=make_session(days=30), person=other_trust_staff_member)
    client.force_login(staff_member)
    text = client.get(reverse("training:my-training")).text
    assert "Waiting for approval" in text
    assert reverse("training:my-place-cancel", args=[waiting.pk]) in text
    assert reverse("training:confidence", args=[waiting.pk]) in text
    assert reverse("training:certificate", args=[past.pk]) in text
    assert "Cancelled places" in text and "place cancelled on" in text
    assert reverse("training:my-place-cancel", args=[someone_elses.pk]) not in text


def test_the_page_does_a_bounded_number_of_queries_with_200_places(
    client, django_assert_max_num_queries, student, open_to_everyone, college_coordinator, room
):
    now = timezone.now().replace(microsecond=0)
    sessions = Session.objects.bulk_create(
        Session(
            entry=open_to_everyone,
            room=room,
            starts_at=now + timedelta(days=day),
            ends_at=now + timedelta(days=day, hours=2),
            booking_cutoff=now + timedelta(days=day - 1),
            seats=4,
            seats_taken=1,
            created_by=college_coordinator,
            status=SessionStatus.CANCELLED if day % 10 == 0 else SessionStatus.SCHEDULED,
            attendance_marked_at=now if day < 0 else None,
        )
        for day in range(-120, 80)
    )
    Attendee.objects.bulk_create(
        Attendee(
            session=session,
            person=student,
            attendance=Attendance.ATTENDED if session.starts_at < now else Attendance.UNMARKED,
        )
        for session in sessions
    )
    client.force_login(student)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("training:my-training"))
    assert response.status_code == 200
    assert response.text.count("Certificate<span") == 25  # past places: 25 a page
    with django_assert_max_num_queries(14):
        assert client.get(reverse("training:my-training") + "?page=4").status_code == 200


def test_a_place_in_an_employers_block_says_the_seat_stays_with_the_employer(
    client, staff_member, coordinator, session
):
    from training.services.seats import seats_book

    booking = seats_book(actor=coordinator, session=session, count=2)
    place = Attendee.objects.create(session=session, booking=booking, person=staff_member, added_by=coordinator)
    client.force_login(staff_member)
    page = client.get(reverse("training:my-place-cancel", args=[place.pk]))
    assert "It stays with your employer" in page.text
    assert Booking.objects.get().seats == 2


def test_a_student_sees_their_place_and_the_student_finder(client, student, open_to_everyone, session):
    student_place(student, session)
    client.force_login(student)
    text = client.get(reverse("training:my-training")).text
    assert session.entry.title in text and reverse("training:student-sessions") in text
