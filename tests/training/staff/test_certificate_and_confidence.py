"""The certificate is the attendee's alone, once attended; confidence is asked before (until the start) and after
(once attended), 1 to 5, and only the person sees their own answer."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.training.staff.conftest import set_policy
from training.models import Attendance, Attendee, AttendeeStatus, SelfBooking, Session
from training.services.staff import (
    CONFIDENCE_AFTER_NOT_YET,
    CONFIDENCE_BEFORE_CLOSED,
    CONFIDENCE_CHOOSE,
    attendee_rate_confidence,
    attendee_self_book,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def past_place(staff_member, make_session):
    """The staff member's place on a session that ran last week (named by their employer's coordinator)."""
    session = make_session(days=-7)
    return Attendee.objects.create(session=session, person=staff_member, added_by=staff_member)


def mark(place, attendance=Attendance.ATTENDED):
    Attendee.objects.filter(pk=place.pk).update(attendance=attendance, attendance_marked_at=timezone.now())
    Session.objects.filter(pk=place.session_id).update(attendance_marked_at=timezone.now())
    place.refresh_from_db()
    place.session.refresh_from_db()


def test_the_certificate_appears_only_once_attendance_is_marked_attended(client, staff_member, past_place):
    client.force_login(staff_member)
    url = reverse("training:certificate", args=[past_place.pk])
    assert client.get(url).status_code == 404
    assert (
        "Your certificate appears here once the college marks attendance"
        in client.get(reverse("training:my-training")).text
    )
    mark(past_place, Attendance.DID_NOT_ATTEND)
    assert client.get(url).status_code == 404
    mark(past_place)
    page = client.get(url)
    assert page.status_code == 200
    text = page.text
    entry = past_place.session.entry
    for expected in (
        staff_member.get_full_name(),
        entry.title,
        entry.learning_outcomes,
        entry.college.name,
        "3 hours",
        "CPD hours",
        str(past_place.certificate_reference),
        "To check this certificate, contact",
        "css/training-certificate.css",
    ):
        assert expected in text, expected
    assert "style=" not in text.split("<main", 1)[1]
    my_page = client.get(reverse("training:my-training")).text
    assert url in my_page and reverse("training:confidence", args=[past_place.pk]) in my_page


def test_nobody_else_opens_the_certificate(
    client, past_place, other_trust_staff_member, coordinator, college_coordinator, student, site_admin
):
    mark(past_place)
    for other in (other_trust_staff_member, coordinator, college_coordinator, student, site_admin):
        client.force_login(other)
        assert client.get(reverse("training:certificate", args=[past_place.pk])).status_code == 404
        assert client.get(reverse("training:confidence", args=[past_place.pk])).status_code == 404


def test_confidence_before_is_open_until_the_session_starts(client, staff_member, trust, session):
    set_policy(trust, SelfBooking.WITHOUT_APPROVAL)
    place = attendee_self_book(actor=staff_member, session=session)
    client.force_login(staff_member)
    url = reverse("training:confidence", args=[place.pk])
    page = client.get(url)
    assert page.status_code == 200 and "They see totals, not your answer with your name" in page.text
    response = client.post(url, {"confidence": "4"})
    assert response.status_code == 302
    place.refresh_from_db()
    assert (place.confidence_before, place.confidence_after) == (4, None)
    with pytest.raises(ValidationError) as error:
        attendee_rate_confidence(actor=staff_member, attendee=place, when="after", value=5)
    assert error.value.messages == [CONFIDENCE_AFTER_NOT_YET]


def test_confidence_after_needs_attendance_and_before_has_closed(client, staff_member, past_place):
    client.force_login(staff_member)
    url = reverse("training:confidence", args=[past_place.pk])
    response = client.get(url)
    assert response.status_code == 302  # not marked attended yet: told so on their page
    with pytest.raises(ValidationError) as error:
        attendee_rate_confidence(actor=staff_member, attendee=past_place, when="before", value=3)
    assert error.value.messages == [CONFIDENCE_BEFORE_CLOSED]
    mark(past_place)
    assert client.post(url, {"confidence": "5"}).status_code == 302
    past_place.refresh_from_db()
    assert (past_place.confidence_before, past_place.confidence_after) == (None, 5)


@pytest.mark.parametrize("hostile", [{"confidence": "0"}, {"confidence": "6"}, {"confidence": "very"}, {}])
def test_hostile_confidence_answers_get_a_message(client, staff_member, past_place, hostile):
    mark(past_place)
    client.force_login(staff_member)
    response = client.post(reverse("training:confidence", args=[past_place.pk]), hostile)
    assert response.status_code == 200 and CONFIDENCE_CHOOSE in response.text
    past_place.refresh_from_db()
    assert past_place.confidence_after is None


@pytest.mark.parametrize("value", [0, 6, -1, 10**12, "x", None])
def test_the_service_refuses_values_outside_1_to_5(staff_member, past_place, value):
    mark(past_place)
    with pytest.raises(ValidationError):
        attendee_rate_confidence(actor=staff_member, attendee=past_place, when="after", value=value)


def test_only_the_person_rates_their_own_place(other_trust_staff_member, past_place):
    mark(past_place)
    with pytest.raises(PermissionDenied):
        attendee_rate_confidence(actor=other_trust_staff_member, attendee=past_place, when="after", value=3)


def test_a_cancelled_place_has_no_confidence_form(client, staff_member, trust, session):
    set_policy(trust, SelfBooking.WITHOUT_APPROVAL)
    place = attendee_self_book(actor=staff_member, session=session)
    Attendee.objects.filter(pk=place.pk).update(status=AttendeeStatus.CANCELLED)
    client.force_login(staff_member)
    assert client.get(reverse("training:confidence", args=[place.pk])).status_code == 302


def test_no_page_of_this_area_shows_a_rating_to_anyone_but_the_person(client, staff_member, coordinator, past_place):
    mark(past_place)
    Attendee.objects.filter(pk=past_place.pk).update(confidence_after=2)
    client.force_login(staff_member)
    assert "you said 2 out of 5" in client.get(reverse("training:my-training")).text
    # The feeds carry no ratings either.
    from training.services.calendars import person_calendar_get_or_create

    calendar = person_calendar_get_or_create(person=staff_member)
    feed = client.get(reverse("training:person-calendar", args=[calendar.token])).text
    assert "out of 5" not in feed and "onfiden" not in feed
