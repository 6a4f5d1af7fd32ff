"""iCalendar feeds read back with the icalendar library: events, times across the October clock change,
cancelled places, renewed tokens; rooms' feeds name nobody."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from tests.training.staff.conftest import set_policy
from training.models import Attendee, AttendeeStatus, PersonCalendar, Room, SelfBooking, Session, SessionStatus
from training.services.calendars import person_calendar_get_or_create
from training.services.sessions import london, session_create
from training.services.staff import attendee_self_book

pytestmark = pytest.mark.django_db


def events(response) -> dict[str, object]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "private" in response["Cache-Control"]
    return {str(event["UID"]): event for event in Calendar.from_ical(response.content).walk("VEVENT")}


def feed_of(client, person):
    calendar = person_calendar_get_or_create(person=person)
    client.logout()  # calendar apps are not signed in
    return client.get(reverse("training:person-calendar", args=[calendar.token]))


def test_a_booked_place_is_an_event_with_where_what_and_a_link(client, staff_member, trust, session, suite):
    suite.address = "1 College Road\nStratford"
    suite.save()
    set_policy(trust, SelfBooking.WITHOUT_APPROVAL)
    place = attendee_self_book(actor=staff_member, session=session)
    found = events(feed_of(client, staff_member))
    assert len(found) == 1 and next(iter(found)).startswith(f"training-place-{place.pk}@")
    event = next(iter(found.values()))
    assert event.decoded("DTSTART") == session.starts_at.astimezone(UTC)
    assert event.decoded("DTEND") == session.ends_at.astimezone(UTC)
    assert str(event["SUMMARY"]) == session.entry.title and str(event["STATUS"]) == "CONFIRMED"
    assert "1 College Road, Stratford" in str(event["LOCATION"]) and "Sim ward" in str(event["LOCATION"])
    assert "Use a hoist safely." in str(event["DESCRIPTION"])
    assert reverse("training:session-detail", args=[session.pk]) in str(event["DESCRIPTION"])
    # The UID stays the same from one fetch to the next, so calendars update the event, not duplicate it.
    assert list(events(feed_of(client, staff_member))) == list(found)


def test_times_are_right_across_the_october_clock_change(client, college_coordinator, entry, room, student):
    day = date(2027, 10, 31)
    first = london(day, time(0, 30))  # 00:30 BST = 23:30 UTC the day before
    second = london(day, time(1, 30, fold=1))  # 01:30 the second time round (GMT) = 01:30 UTC
    made = []
    for starts in (first, second):
        made.append(
            session_create(
                actor=college_coordinator,
                entry=entry,
                room=room,
                starts_at=starts,
                ends_at=starts.astimezone(UTC) + timedelta(hours=1),
                facilitators=[],
                seats=4,
            )
        )
    for session in made:
        Attendee.objects.create(session=session, person=student, added_by=student)
    found = sorted(events(feed_of(client, student)).values(), key=lambda e: e.decoded("DTSTART"))
    assert [e.decoded("DTSTART") for e in found] == [
        datetime(2027, 10, 30, 23, 30, tzinfo=UTC),
        datetime(2027, 10, 31, 1, 30, tzinfo=UTC),
    ]
    assert found[1].decoded("DTEND") == datetime(2027, 10, 31, 2, 30, tzinfo=UTC)
    assert b"DTSTART:20271031T013000Z" in feed_of(client, student).content


def test_awaiting_approval_is_tentative_and_cancelled_places_stay_30_days_as_cancelled(
    client, staff_member, trust, make_session
):
    set_policy(trust, SelfBooking.WITH_APPROVAL)
    waiting = attendee_self_book(actor=staff_member, session=make_session(days=10))
    recent = Attendee.objects.create(
        session=make_session(days=20),
        person=staff_member,
        status=AttendeeStatus.CANCELLED,
        cancelled_at=timezone.now() - timedelta(days=3),
    )
    old = Attendee.objects.create(
        session=make_session(days=30),
        person=staff_member,
        status=AttendeeStatus.CANCELLED,
        cancelled_at=timezone.now() - timedelta(days=31),
    )
    by_college = Attendee.objects.create(session=make_session(days=40), person=staff_member)
    Session.objects.filter(pk=by_college.session_id).update(status=SessionStatus.CANCELLED, cancelled_at=timezone.now())
    found = {uid.split("@")[0]: event for uid, event in events(feed_of(client, staff_member)).items()}
    assert str(found[f"training-place-{waiting.pk}"]["STATUS"]) == "TENTATIVE"
    assert str(found[f"training-place-{recent.pk}"]["STATUS"]) == "CANCELLED"
    assert str(found[f"training-place-{by_college.pk}"]["STATUS"]) == "CANCELLED"
    assert f"training-place-{old.pk}" not in found


def test_a_new_link_revokes_the_old_one(client, staff_member, student):
    for person in (staff_member, student):
        old = person_calendar_get_or_create(person=person).token
        client.force_login(person)
        response = client.post(reverse("training:my-calendar-renew"))
        assert response.status_code == 302
        new = PersonCalendar.objects.get(person=person).token
        assert new != old and len(new) >= 43
        client.logout()
        assert client.get(reverse("training:person-calendar", args=[old])).status_code == 404
        assert client.get(reverse("training:person-calendar", args=[new])).status_code == 200
        client.force_login(person)
        assert new in client.get(reverse("training:my-training")).text


def test_a_feed_shows_only_its_own_persons_places(client, staff_member, other_trust_staff_member, trust, session):
    set_policy(trust, SelfBooking.WITHOUT_APPROVAL)
    attendee_self_book(actor=staff_member, session=session)
    assert events(feed_of(client, other_trust_staff_member)) == {}


def test_an_inactive_persons_feed_is_gone(client, staff_member):
    token = person_calendar_get_or_create(person=staff_member).token
    staff_member.is_active = False
    staff_member.save()
    assert client.get(reverse("training:person-calendar", args=[token])).status_code == 404


def test_a_rooms_feed_lists_its_sessions_with_seats_and_no_names(
    client, college_coordinator, staff_member, trust, room, make_session
):
    set_policy(trust, SelfBooking.WITHOUT_APPROVAL)
    running = make_session(days=10)
    attendee_self_book(actor=staff_member, session=running)
    cancelled = make_session(days=12)
    Session.objects.filter(pk=cancelled.pk).update(status=SessionStatus.CANCELLED)
    client.force_login(college_coordinator)
    response = client.post(reverse("training:room-calendar-renew", args=[room.pk]))
    assert response.status_code == 302 and response.url == reverse("training:room-edit", args=[room.pk])
    room.refresh_from_db()
    client.logout()
    feed = client.get(reverse("training:room-calendar", args=[room.calendar_token]))
    found = list(events(feed).values())
    assert len(found) == 1 and "1 of 4 seats taken" in str(found[0]["DESCRIPTION"])
    text = feed.content.decode()
    for secret in (staff_member.first_name, staff_member.last_name, staff_member.email, str(trust)):
        assert secret not in text
    old = room.calendar_token
    client.force_login(college_coordinator)
    client.post(reverse("training:room-calendar-renew", args=[room.pk]))
    client.logout()
    assert client.get(reverse("training:room-calendar", args=[old])).status_code == 404


def test_only_the_colleges_coordinator_renews_a_rooms_link(
    client, room, other_college_coordinator, coordinator, care_provider_coordinator, tutor, staff_member
):
    for outsider in (other_college_coordinator, coordinator, care_provider_coordinator, tutor, staff_member):
        client.force_login(outsider)
        assert client.post(reverse("training:room-calendar-renew", args=[room.pk])).status_code == 404
    assert Room.objects.get(pk=room.pk).calendar_token is None


@pytest.mark.parametrize("token", ["%00", "a%00" * 10, "x" * 5000, "..%2F..%2Fetc", "short"])
def test_a_feed_address_that_is_not_a_token_is_simply_not_found(client, token):
    for name in ("training:person-calendar", "training:room-calendar"):
        url = reverse(name, kwargs={"token": "PLACEHOLDER"}).replace("PLACEHOLDER", token)
        assert client.get(url).status_code == 404
