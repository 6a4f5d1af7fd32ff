"""Attendance: the running college's coordinator marks everyone booked, from the start of the session;
each person marked as attended gets one certificate email; corrections for 30 days; others get 404."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from notifications.models import OutboundEmail
from tests.training.after.helpers import hold_seats, make_session, name_people, staff, student_place
from training.models import Attendance, Attendee, AttendeeStatus, Session, SessionStatus
from training.services.attendance import CORRECTIONS_FOR, NOT_ON_SESSION, TOO_LATE, attendance_mark

pytestmark = pytest.mark.django_db


@pytest.fixture
def started(college_coordinator, entry, room):
    return make_session(college_coordinator, entry, room, timezone.now() - timedelta(hours=2), minimum=1)


@pytest.fixture
def upcoming(college_coordinator, entry, other_room):
    return make_session(college_coordinator, entry, other_room, timezone.now() + timedelta(days=1), seats=6)


@pytest.fixture
def people(started, care_provider, care_provider_coordinator, student):
    booking = hold_seats(started, care_provider_coordinator, 3)
    carers = name_people(booking, staff(care_provider, 2))
    return [*carers, student_place(started, student)]


def certificates():
    return sorted(
        OutboundEmail.objects.filter(template="attendee_certificate_ready").values_list("to_email", flat=True)
    )


def url(session):
    return reverse("training:college-attendance", args=[session.pk])


def post_data(marks):
    return {f"attendee_{attendee.pk}": mark for attendee, mark in marks}


def test_marking_attended_sends_one_certificate_email_each_and_did_not_attend_none(
    college_coordinator, started, people
):
    first, second, student_place = people
    marks = {first.pk: Attendance.ATTENDED, second.pk: Attendance.DID_NOT_ATTEND, student_place.pk: Attendance.ATTENDED}
    assert attendance_mark(actor=college_coordinator, session=started, marks=marks) == 3
    assert attendance_mark(actor=college_coordinator, session=started, marks=marks) == 0  # a repeat changes nothing
    assert certificates() == sorted([first.person.email, student_place.person.email])
    email = OutboundEmail.objects.get(to_email=first.person.email)
    assert reverse("training:certificate", args=[first.pk]) in email.body_text
    assert reverse("training:confidence", args=[first.pk]) in email.body_text
    first.refresh_from_db()
    assert first.attendance == Attendance.ATTENDED and first.attendance_marked_by == college_coordinator
    marked_at = Session.objects.get(pk=started.pk).attendance_marked_at
    assert marked_at is not None

    # A correction: the absent person did come after all; the one who attended is not emailed again.
    marks[second.pk] = Attendance.ATTENDED
    assert attendance_mark(actor=college_coordinator, session=started, marks=marks) == 1
    assert certificates() == sorted(p.person.email for p in people)
    assert Session.objects.get(pk=started.pk).attendance_marked_at == marked_at  # first marked, for the window


def test_corrections_close_30_days_after_attendance_was_first_marked(college_coordinator, started, people):
    marks = dict.fromkeys((p.pk for p in people), Attendance.ATTENDED)
    attendance_mark(actor=college_coordinator, session=started, marks=marks)
    later = Session.objects.get(pk=started.pk).attendance_marked_at + CORRECTIONS_FOR + timedelta(minutes=1)
    with pytest.raises(ValidationError) as error:
        attendance_mark(actor=college_coordinator, session=started, marks=marks, now=later)
    assert error.value.messages == [TOO_LATE]


def test_attendance_opens_when_the_session_starts(college_coordinator, upcoming, care_provider_coordinator):
    [carer] = name_people(
        hold_seats(upcoming, care_provider_coordinator, 1), staff(care_provider_coordinator.organisation, 1)
    )
    with pytest.raises(ValidationError) as error:
        attendance_mark(actor=college_coordinator, session=upcoming, marks={carer.pk: Attendance.ATTENDED})
    assert error.value.code == "closed" and "once the session has started" in error.value.messages[0]
    assert (
        attendance_mark(
            actor=college_coordinator,
            session=upcoming,
            marks={carer.pk: Attendance.ATTENDED},
            now=upcoming.starts_at,
        )
        == 1
    )


def test_only_the_running_colleges_coordinator_marks(other_college_coordinator, coordinator, tutor, started, people):
    marks = dict.fromkeys((p.pk for p in people), Attendance.ATTENDED)
    for outsider in (other_college_coordinator, coordinator, tutor):
        with pytest.raises(PermissionDenied):
            attendance_mark(actor=outsider, session=started, marks=marks)
    assert certificates() == []


def test_every_booked_person_needs_a_mark_and_nobody_else_can_be_marked(
    college_coordinator, started, people, entry, other_room, care_provider_coordinator
):
    first, second, third = people
    with pytest.raises(ValidationError) as error:
        attendance_mark(actor=college_coordinator, session=started, marks={first.pk: Attendance.ATTENDED})
    assert len(error.value.messages) == 2
    elsewhere = make_session(college_coordinator, entry, other_room, started.starts_at, seats=6)
    [stranger] = name_people(
        hold_seats(elsewhere, care_provider_coordinator, 1), staff(care_provider_coordinator.organisation, 1, "x")
    )
    marks = {p.pk: Attendance.ATTENDED for p in people} | {stranger.pk: Attendance.ATTENDED}
    with pytest.raises(ValidationError) as error:
        attendance_mark(actor=college_coordinator, session=started, marks=marks)
    assert error.value.messages == [NOT_ON_SESSION]
    with pytest.raises(ValidationError):
        attendance_mark(
            actor=college_coordinator, session=started, marks=dict.fromkeys((p.pk for p in people), "unmarked")
        )
    assert certificates() == []


def test_cancelled_and_unapproved_places_are_not_on_the_register(
    client, college_coordinator, started, people, care_staff_member
):
    Attendee.objects.filter(pk=people[1].pk).update(status=AttendeeStatus.CANCELLED)
    name_people(hold_seats(started, care_staff_member, 1), [care_staff_member], AttendeeStatus.AWAITING_APPROVAL)
    client.force_login(college_coordinator)
    response = client.get(url(started))
    body = response.content.decode()
    assert people[0].person.last_name in body and people[2].person.last_name in body
    assert people[1].person.last_name not in body and care_staff_member.last_name not in body


# --- The page ------------------------------------------------------------------------------------------------


def test_the_register_lists_each_person_with_their_employer_or_student(
    client, college_coordinator, started, people, care_provider
):
    client.force_login(college_coordinator)
    response = client.get(url(started))
    assert response.status_code == 200
    body = response.content.decode()
    assert f"{people[0].person.get_full_name()} ({care_provider.name})" in body
    assert f"{people[2].person.get_full_name()} (Student)" in body
    assert body.count('value="attended"') == 3 and body.count('value="did_not_attend"') == 3


def test_saving_the_register_records_it_and_emails_once_even_if_posted_twice(
    client, college_coordinator, started, people
):
    client.force_login(college_coordinator)
    data = post_data([(people[0], "attended"), (people[1], "did_not_attend"), (people[2], "attended")])
    for _ in range(2):
        response = client.post(url(started), data)
        assert response.status_code == 302 and response.url == url(started)
    assert certificates() == sorted([people[0].person.email, people[2].person.email])
    assert "Attendance saved" in client.get(url(started)).content.decode()


def test_another_colleges_coordinator_and_employers_get_404(
    client, other_college_coordinator, care_provider_coordinator, staff_member, started, people
):
    for outsider in (other_college_coordinator, care_provider_coordinator, staff_member):
        client.force_login(outsider)
        assert client.get(url(started)).status_code == 404
        assert client.post(url(started), post_data([(p, "attended") for p in people])).status_code == 404
    assert certificates() == []


def test_before_the_start_the_page_says_when_it_opens_and_refuses_a_post(
    client, college_coordinator, upcoming, care_provider_coordinator
):
    [carer] = name_people(
        hold_seats(upcoming, care_provider_coordinator, 1), staff(care_provider_coordinator.organisation, 1)
    )
    client.force_login(college_coordinator)
    response = client.get(url(upcoming))
    assert response.status_code == 200
    assert "You can mark attendance once the session has started, from" in response.content.decode()
    assert 'type="radio"' not in response.content.decode()
    response = client.post(url(upcoming), post_data([(carer, "attended")]))
    assert response.status_code == 200
    carer.refresh_from_db()
    assert carer.attendance == Attendance.UNMARKED and certificates() == []


def test_a_cancelled_session_has_no_register(client, college_coordinator, started, people):
    Session.objects.filter(pk=started.pk).update(status=SessionStatus.CANCELLED)
    client.force_login(college_coordinator)
    assert "was cancelled" in client.get(url(started)).content.decode()


@pytest.mark.parametrize("value", ["", "maybe", "attended' OR 1=1", "9" * 400, "unmarked", "-1"])
def test_hostile_answers_get_a_message_not_an_error(client, college_coordinator, started, people, value):
    client.force_login(college_coordinator)
    data = post_data([(people[0], value), (people[1], "attended"), (people[2], "attended")])
    data["attendee_999999"] = "attended"
    response = client.post(url(started), data)
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert certificates() == []


def test_forty_people_register_in_bounded_queries(
    client, college_coordinator, started, care_provider, care_provider_coordinator, django_assert_max_num_queries
):
    Session.objects.filter(pk=started.pk).update(seats=40)
    booking = hold_seats(started, care_provider_coordinator, 40)
    people = name_people(booking, staff(care_provider, 40, "many"))
    client.force_login(college_coordinator)
    with django_assert_max_num_queries(10):
        assert client.get(url(started)).status_code == 200
    data = post_data([(person, "attended" if n % 4 else "did_not_attend") for n, person in enumerate(people)])
    # Per certificate: a look-up for an earlier one, and the insert (in a savepoint); the rest is fixed.
    with django_assert_max_num_queries(25 + 30 * 4):
        assert client.post(url(started), data).status_code == 302
    assert len(certificates()) == 30
