"""Did it work? Colleges and employers see confidence before and after as totals, never one person's answers."""

from datetime import date, time, timedelta

import pytest
from django.urls import reverse

from tests import factories
from training.models import Attendance, Attendee, Booking, Session
from training.selectors.confidence import confidence_by_entry, confidence_change
from training.services.sessions import london

pytestmark = pytest.mark.django_db


def _past_session(entry, room, actor, day=date(2026, 3, 10)):
    return Session.objects.create(
        entry=entry,
        room=room,
        starts_at=london(day, time(9)),
        ends_at=london(day, time(12)),
        booking_cutoff=london(day - timedelta(days=2), time(9)),
        seats=12,
        seats_taken=0,
        created_by=actor,
    )


def _rated(session, employer, booker, ratings):
    booking = Booking.objects.create(session=session, employer=employer, booked_by=booker, seats=len(ratings))
    for n, (before, after) in enumerate(ratings):
        person = factories.StaffMemberFactory(email=f"p{session.pk}-{n}@example.test", organisation=employer)
        Attendee.objects.create(
            session=session,
            booking=booking,
            person=person,
            attendance=Attendance.ATTENDED,
            confidence_before=before,
            confidence_after=after,
        )


def test_five_people_rating_both_times_show_the_change(
    college_coordinator, care_provider, care_provider_coordinator, entry, room
):
    session = _past_session(entry, room, college_coordinator)
    _rated(session, care_provider, care_provider_coordinator, [(2, 4), (1, 3), (3, 3), (2, 5), (2, 4), (4, None)])
    change = confidence_change(Attendee.objects.filter(session=session))
    assert (change.rated, change.people, change.before_text, change.after_text, change.rose) == (5, 5, "2.0", "3.8", 4)
    assert change.shown and not change.rose_shown  # 1 of 5 did not rise: a small number, so neither is shown
    assert confidence_by_entry([entry.pk])[entry.pk] == change


def test_fewer_than_five_people_show_nothing(
    college_coordinator, care_provider, care_provider_coordinator, entry, room, client
):
    session = _past_session(entry, room, college_coordinator)
    _rated(session, care_provider, care_provider_coordinator, [(1, 5), (2, 4), (3, 3), (2, 2)])
    assert not confidence_change(Attendee.objects.filter(session=session)).shown
    client.force_login(college_coordinator)
    page = client.get(reverse("training:entry-list")).content.decode()
    assert "Fewer than 5 people have rated their confidence" in page
    assert "out of 5 before" not in page


def test_the_college_and_the_employer_read_the_totals(
    college_coordinator, care_provider, care_provider_coordinator, entry, room, client
):
    session = _past_session(entry, room, college_coordinator)
    _rated(session, care_provider, care_provider_coordinator, [(2, 4)] * 6)
    client.force_login(college_coordinator)
    page = client.get(reverse("training:entry-list")).content.decode()
    assert "6 ratings before and after, from 6 people: on average 2.0 out of 5 before, 4.0 after." in page
    assert "6 of the 6 felt more confident" in page  # none did not: 0 is not a small number
    client.force_login(care_provider_coordinator)
    page = client.get(reverse("training:employer-record")).content.decode()
    assert "from 6 people: on average 2.0 out of 5 before, 4.0 after." in page
    # Filtered to one person: no confidence figures at all.
    one = Attendee.objects.filter(session=session).first().person
    page = client.get(reverse("training:employer-record"), {"person": one.email}).content.decode()
    assert "out of 5 before" not in page and "Did it work?" not in page
