"""Changing a session: overlap checks under the same locks, Facilitation times moved with it, seats never below
those taken, and everyone booked told once when the date, time or room changes. Runs on SQLite and PostgreSQL."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from notifications.models import OutboundEmail
from tests import factories
from tests.training.conftest import DAY, at
from training.models import Attendee, Facilitation, Session
from training.services.college_sessions import session_update
from training.services.seats import seats_book
from training.services.sessions import session_create

pytestmark = pytest.mark.django_db


def update(actor, session, **changes):
    values = {
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "room": session.room,
        "facilitators": list(session.facilitators.all()),
        "seats": session.seats,
        "booking_cutoff": session.booking_cutoff,
    }
    values.update(changes)
    return session_update(actor=actor, session=session, **values)


def test_moving_a_session_moves_its_facilitations_in_the_same_change(college_coordinator, session, facilitators):
    update(college_coordinator, session, starts_at=at(14), ends_at=at(16), booking_cutoff=at(14) - timedelta(days=1))
    session.refresh_from_db()
    assert (session.starts_at, session.ends_at) == (at(14), at(16))
    rows = Facilitation.objects.filter(session=session)
    assert sorted(rows.values_list("facilitator_id", flat=True)) == sorted(f.pk for f in facilitators)
    assert set(rows.values_list("starts_at", "ends_at")) == {(at(14), at(16))}


def test_the_old_time_is_free_for_the_facilitators_after_the_move(
    college_coordinator, session, entry, other_room, facilitators
):
    update(college_coordinator, session, starts_at=at(14), ends_at=at(16))
    # On PostgreSQL the exclusion constraint would refuse this if the facilitations kept their old times.
    session_create(
        actor=college_coordinator,
        entry=entry,
        room=other_room,
        starts_at=at(9),
        ends_at=at(12),
        facilitators=facilitators,
    )
    with pytest.raises(ValidationError, match="facilitator is already running"):
        session_create(
            actor=college_coordinator,
            entry=entry,
            room=other_room,
            starts_at=at(15),
            ends_at=at(17),
            facilitators=facilitators[:1],
        )


def test_a_move_onto_another_session_in_the_room_is_refused(college_coordinator, session, entry, room):
    session_create(actor=college_coordinator, entry=entry, room=room, starts_at=at(13), ends_at=at(15), facilitators=[])
    with pytest.raises(ValidationError) as error:
        update(college_coordinator, session, starts_at=at(12), ends_at=at(14))
    assert error.value.code == "room_taken"
    session.refresh_from_db()
    assert session.starts_at == at(9)
    assert set(Facilitation.objects.filter(session=session).values_list("starts_at", flat=True)) == {at(9)}


def test_a_move_that_puts_a_facilitator_in_two_places_is_refused_and_names_them(
    college_coordinator, session, entry, other_room, facilitators
):
    session_create(
        actor=college_coordinator,
        entry=entry,
        room=other_room,
        starts_at=at(13),
        ends_at=at(15),
        facilitators=facilitators[1:],
    )
    with pytest.raises(ValidationError) as error:
        update(college_coordinator, session, starts_at=at(12), ends_at=at(14))
    assert error.value.code == "facilitator_taken"
    assert f"Busy: {facilitators[1].get_full_name()}." in error.value.messages[0]
    assert Session.objects.get(pk=session.pk).starts_at == at(9)


def test_adding_and_removing_facilitators(college_coordinator, session, facilitators, tutor):
    update(college_coordinator, session, facilitators=[facilitators[0], tutor])
    assert set(session.facilitators.all()) == {facilitators[0], tutor}
    assert set(Facilitation.objects.filter(session=session).values_list("starts_at", flat=True)) == {at(9)}


def test_seats_cannot_go_below_those_taken(college_coordinator, coordinator, session):
    seats_book(actor=coordinator, session=session, count=5)
    with pytest.raises(ValidationError) as error:
        update(college_coordinator, session, seats=4)
    assert error.value.message_dict == {"seats": ["5 seats are already taken, so the session needs at least 5 seats."]}
    update(college_coordinator, session, seats=5)
    assert Session.objects.get(pk=session.pk).seats == 5


def test_a_move_emails_each_attendee_and_booker_once(
    college_coordinator, coordinator, staff_member, session, other_room
):
    booking = seats_book(actor=coordinator, session=session, count=2)
    Attendee.objects.create(session=session, booking=booking, person=staff_member, added_by=coordinator)
    student = factories.StudentFactory(email="pupil@example.test")
    Attendee.objects.create(session=session, person=student)
    update(college_coordinator, session, room=other_room, seats=6)
    sent = OutboundEmail.objects.order_by("template", "to_email")
    assert list(sent.values_list("template", "to_email")) == [
        ("attendee_session_changed", "pupil@example.test"),
        ("attendee_session_changed", staff_member.email),
        ("booker_session_changed", coordinator.email),
    ]
    assert "Home-care flat" in sent.first().body_text
    update(college_coordinator, session, room=other_room, seats=6)  # nothing moved: nothing sent
    assert OutboundEmail.objects.count() == 3
    update(college_coordinator, session, seats=5)  # seats only: nobody needs telling
    assert OutboundEmail.objects.count() == 3


def test_more_seats_go_to_the_waiting_list(college_coordinator, coordinator, care_provider_coordinator, session):
    from training.services.waitlist import waitlist_join

    seats_book(actor=coordinator, session=session, count=8)
    waiting = waitlist_join(actor=care_provider_coordinator, session=session, seats=2)
    update(college_coordinator, session, seats=10)
    waiting.refresh_from_db()
    assert waiting.status == "booked" and Session.objects.get(pk=session.pk).seats_taken == 10


def test_a_started_or_cancelled_session_cannot_be_changed(college_coordinator, session):
    Session.objects.filter(pk=session.pk).update(status="cancelled")
    with pytest.raises(ValidationError, match="cancelled session cannot be changed"):
        update(college_coordinator, session, starts_at=at(14), ends_at=at(16))


def test_the_edit_page_changes_the_session(client, college_coordinator, session, facilitators):
    client.force_login(college_coordinator)
    response = client.post(
        reverse("training:college-session-edit", args=[session.pk]),
        {
            "room": session.room_id,
            "date_day": "16",
            "date_month": "6",
            "date_year": "2027",
            "start": "10:00",
            "end": "13:00",
            "facilitators": [facilitators[0].pk],
            "seats": "6",
            "cutoff_days": "1",
        },
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.starts_at, session.ends_at, session.seats) == (
        at(10, day=DAY + timedelta(days=1)),
        at(13, day=DAY + timedelta(days=1)),
        6,
    )
    assert session.booking_cutoff == at(10)
    assert list(session.facilitators.all()) == [facilitators[0]]


def test_the_edit_page_refuses_seats_below_those_taken_with_a_message(
    client, college_coordinator, coordinator, session
):
    seats_book(actor=coordinator, session=session, count=3)
    client.force_login(college_coordinator)
    response = client.post(
        reverse("training:college-session-edit", args=[session.pk]),
        {
            "room": session.room_id,
            "date_day": "15",
            "date_month": "6",
            "date_year": "2027",
            "start": "09:00",
            "end": "12:00",
            "seats": "2",
            "cutoff_days": "2",
        },
    )
    assert response.status_code == 200
    assert "3 seats are already taken" in response.content.decode()
