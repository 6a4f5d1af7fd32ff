"""A session's public page: everything a training manager needs, the state it is in, and one way to book."""

from datetime import timedelta
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.training.catalogue.helpers import make_entry, make_room, make_session, soon
from training.models import (
    Attendee,
    Audience,
    Booking,
    CancelledReason,
    EmployerTrainingPolicy,
    Equipment,
    SelfBooking,
    Session,
    SessionStatus,
)

pytestmark = pytest.mark.django_db


def _url(session) -> str:
    return reverse("training:session-detail", kwargs={"pk": session.pk})


@pytest.fixture
def session(college):
    room = make_room(college, postcode="E1 1AA", step_free=True)
    room.equipment = [Equipment.HOISTS, Equipment.HOSPITAL_BEDS]
    room.save()
    entry = make_entry(
        college,
        title="Safer moving and handling",
        audiences=[Audience.CARE_STAFF, Audience.NON_CLINICAL_STAFF],
        learning_outcomes="Use a hoist safely.\nSpot a falls risk.",
        cpd_hours="3.5",
    )
    return make_session(
        entry,
        room,
        soon(14, 9, 30),
        hours=3,
        seats=8,
        min_participants=4,
        booking_cutoff=soon(10, 17, 0),
    )


def _book(session, seats=0) -> None:
    Session.objects.filter(pk=session.pk).update(seats_taken=seats)


def test_the_page_says_everything_a_training_manager_needs(client, session, django_assert_max_num_queries):
    _book(session, 3)
    with django_assert_max_num_queries(3):
        response = client.get(_url(session))
    page = response.content.decode()
    for expected in (
        "Safer moving and handling",
        "Use a hoist safely.",
        "Care staff, Non-clinical staff",
        "3 hours",
        "9:30am to 12:30pm",
        "College A",
        "1 Main St",
        "E1 1AA",
        "Ward 1",
        "Hoists, Hospital beds",
        "Step-free access",
        "3.5",
        "Free (LSIP funded)",
        "5 of 8",
        "Book by",
        "5pm on ",
        "If fewer than 4 people are booked by 5pm on",
        "the college cancels it and tells everyone",
    ):
        assert expected in page, expected


def test_a_cancelled_session_says_so_and_offers_no_booking(client, coordinator, session):
    Session.objects.filter(pk=session.pk).update(
        status=SessionStatus.CANCELLED, cancelled_reason=CancelledReason.BELOW_MINIMUM, cancelled_at=timezone.now()
    )
    client.force_login(coordinator)
    response = client.get(_url(session))
    page = response.content.decode()
    assert response.status_code == 200
    assert "This session was cancelled" in page and "Too few people had booked by the cut-off" in page
    assert response.context["action"] is None and "booking-create" not in page
    assert reverse("training:booking-create", kwargs={"pk": session.pk}) not in page


def test_a_past_session_says_it_has_taken_place_and_offers_no_booking(client, coordinator, college):
    past = make_session(make_entry(college), make_room(college), timezone.now() - timedelta(days=3))
    client.force_login(coordinator)
    response = client.get(_url(past))
    assert "This session has already taken place" in response.content.decode()
    assert response.context["action"] is None


def test_a_stale_entrys_session_says_so_and_offers_no_booking(client, coordinator, session):
    session.entry.last_confirmed_on = timezone.localdate() - timedelta(days=61)
    session.entry.save()
    client.force_login(coordinator)
    response = client.get(_url(session))
    assert "has not confirmed these details for more than 60 days" in response.content.decode()
    assert response.context["action"] is None


def test_closed_and_past_cutoff_sessions_explain_why_there_is_no_booking(client, coordinator, session):
    client.force_login(coordinator)
    Session.objects.filter(pk=session.pk).update(status=SessionStatus.CLOSED)
    closed = client.get(_url(session))
    assert "closed this session to new bookings" in closed.content.decode() and closed.context["action"] is None
    Session.objects.filter(pk=session.pk).update(
        status=SessionStatus.SCHEDULED, booking_cutoff=timezone.now() - timedelta(hours=1)
    )
    late = client.get(_url(session))
    assert "Bookings closed at" in late.content.decode() and late.context["action"] is None


def test_an_unknown_session_is_404(client):
    assert client.get(reverse("training:session-detail", kwargs={"pk": 999999})).status_code == 404


# --- One way to book, by visitor --------------------------------------------------------------------------


def test_anonymous_visitors_are_asked_to_sign_in_and_come_back(client, session):
    response = client.get(_url(session))
    page = response.content.decode()
    assert "Sign in to book" in page
    assert f"{reverse('accounts:login')}?next={quote(_url(session), safe='')}" in page


@pytest.mark.parametrize("who", ["coordinator", "care_provider_coordinator"])
def test_employer_coordinators_book_seats_for_their_staff(client, session, who, request):
    client.force_login(request.getfixturevalue(who))
    response = client.get(_url(session))
    booking = reverse("training:booking-create", kwargs={"pk": session.pk})
    assert response.context["action"].url == booking
    assert "Book seats for your staff" in response.content.decode()
    _book(session, 8)
    full = client.get(_url(session))
    assert "Full – join the waiting list" in full.content.decode()
    assert full.context["action"].label == "Join the waiting list" and full.context["action"].url == booking


def test_staff_book_for_themselves_only_when_their_employer_allows_it(client, session, staff_member, trust):
    client.force_login(staff_member)
    ask = client.get(_url(session))
    assert "Ask your training coordinator" in ask.content.decode() and not ask.context["action"].url
    EmployerTrainingPolicy.objects.create(employer=trust, self_booking=SelfBooking.WITH_APPROVAL)
    allowed = client.get(_url(session))
    assert allowed.context["action"].url == reverse("training:self-book", kwargs={"pk": session.pk})
    assert "Book a place for yourself" in allowed.content.decode()


def test_students_may_book_only_sessions_open_to_students(client, session, student):
    client.force_login(student)
    response = client.get(_url(session))
    assert response.context["action"] is None
    assert "not placed this round" not in response.content.decode()
    session.entry.audiences = [Audience.STUDENTS]
    session.entry.save()
    open_to_students = client.get(_url(session))
    page = open_to_students.content.decode()
    assert open_to_students.context["action"].url == reverse("training:student-book", kwargs={"pk": session.pk})
    assert "Students who were not placed this round may book" in page


def test_the_college_that_runs_it_gets_a_link_to_manage_it_and_others_no_booking(
    client, session, college_coordinator, other_college_coordinator, tutor, site_admin, partner
):
    client.force_login(college_coordinator)
    own = client.get(_url(session))
    assert own.context["runs_it"] and reverse("training:college-session", kwargs={"pk": session.pk}) in (
        own.content.decode()
    )
    for visitor in (other_college_coordinator, tutor, site_admin, partner):
        client.force_login(visitor)
        response = client.get(_url(session))
        assert response.status_code == 200
        assert response.context["action"] is None and not response.context["runs_it"]


def test_nobody_sees_who_is_booked(client, session, coordinator, personas, care_provider_coordinator):
    booked = factories.StaffMemberFactory(
        first_name="Zebedee", last_name="Quartermaine", organisation=coordinator.organisation
    )
    booking = Booking.objects.create(session=session, employer=coordinator.organisation, booked_by=coordinator, seats=2)
    Attendee.objects.create(session=session, booking=booking, person=booked, added_by=coordinator)
    _book(session, 2)
    for visitor in [None, coordinator, care_provider_coordinator, *personas.values()]:
        client.logout()
        if visitor is not None:
            client.force_login(visitor)
        for url in (_url(session), reverse("training:catalogue")):
            page = client.get(url).content.decode()
            assert "Zebedee" not in page and "Quartermaine" not in page and booked.email not in page
