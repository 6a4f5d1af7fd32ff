"""Only a coordinator at the college sees its suites, rooms, catalogue and sessions; everyone else gets 404."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests import factories
from training.models import CancelledReason, Session, SessionStatus, Suite
from training.services.college import entry_confirm, suite_create
from training.services.college_cancellations import session_cancel, session_close

pytestmark = pytest.mark.django_db


def object_pages(suite, room, entry, session):
    return [
        ("get", "suite-edit", [suite.pk]),
        ("get", "room-create", [suite.pk]),
        ("get", "room-edit", [room.pk]),
        ("get", "entry-edit", [entry.pk]),
        ("post", "entry-confirm", [entry.pk]),
        ("get", "college-session", [session.pk]),
        ("get", "college-session-edit", [session.pk]),
        ("get", "college-session-duplicate", [session.pk]),
        ("post", "college-session-close", [session.pk]),
        ("get", "college-session-cancel", [session.pk]),
        ("post", "college-session-cancel", [session.pk]),
    ]


@pytest.fixture
def outsiders(other_college_coordinator, coordinator, care_provider_coordinator, tutor, student, staff_member):
    return {
        "other college's coordinator": other_college_coordinator,
        "trust coordinator": coordinator,
        "care provider coordinator": care_provider_coordinator,
        "tutor at the college": tutor,
        "student": student,
        "staff member": staff_member,
    }


def test_nobody_but_the_colleges_coordinator_reaches_its_objects(client, outsiders, suite, room, entry, session):
    for who, user in outsiders.items():
        client.force_login(user)
        for method, name, args in object_pages(suite, room, entry, session):
            response = getattr(client, method)(reverse(f"training:{name}", args=args), {"confirm": "on"})
            assert response.status_code == 404, f"{who}: {method} {name} gave {response.status_code}"
    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED


def test_trust_coordinator_and_tutor_get_404_on_the_college_pages(client, coordinator, tutor):
    for user in (coordinator, tutor):
        client.force_login(user)
        for name in ("college-home", "suite-create", "entry-list", "entry-create", "college-sessions"):
            assert client.get(reverse(f"training:{name}")).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, session):
    response = client.get(reverse("training:college-session", args=[session.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_another_colleges_coordinator_sees_only_their_own_sessions(client, other_college_coordinator, session):
    client.force_login(other_college_coordinator)
    response = client.get(reverse("training:college-sessions"))
    assert response.status_code == 200
    assert session.entry.title not in response.content.decode()
    response = client.get(reverse("training:college-home"))
    assert "Add your first suite" in response.content.decode()


def test_a_session_create_form_with_another_colleges_room_or_entry_is_refused(
    client, other_college_coordinator, room, entry
):
    client.force_login(other_college_coordinator)
    response = client.post(
        reverse("training:college-session-create"),
        {"entry": entry.pk, "room": room.pk, "day_0": "15", "day_1": "6", "day_2": "2027", "start": "09:00"},
    )
    assert response.status_code == 200
    assert "Choose a catalogue entry" in response.content.decode()
    assert Session.objects.count() == 0


def test_services_refuse_anyone_but_the_colleges_coordinator(
    other_college_coordinator, coordinator, tutor, college, entry, session
):
    for user in (other_college_coordinator, coordinator, tutor):
        with pytest.raises(PermissionDenied):
            suite_create(actor=user, college=college, name="Mine now", postcode="E1 1AA")
        with pytest.raises(PermissionDenied):
            entry_confirm(actor=user, entry=entry)
        with pytest.raises(PermissionDenied):
            session_close(actor=user, session=session)
        with pytest.raises(PermissionDenied):
            session_cancel(actor=user, session=session, reason=CancelledReason.BY_COLLEGE)
    assert not Suite.objects.filter(name="Mine now").exists()


def test_a_coordinator_of_a_college_that_is_not_a_college_cannot_manage_it(trust, coordinator):
    with pytest.raises(PermissionDenied):
        suite_create(actor=coordinator, college=trust, name="Trust suite", postcode="SE5 9RS")


def test_facilitators_offered_are_the_colleges_tutors_and_coordinators(
    client, college_coordinator, facilitators, tutor
):
    other = factories.TutorFactory(email="elsewhere@example.test", organisation=factories.CollegeFactory())
    client.force_login(college_coordinator)
    page = client.get(reverse("training:college-session-create")).content.decode()
    assert facilitators[0].get_full_name() in page and college_coordinator.get_full_name() in page
    assert other.get_full_name() not in page
