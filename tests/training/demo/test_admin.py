"""The site admin reads simulation suites: every list and record opens, lists are bounded, hostile searches find
nothing instead of failing, records that only services may change are read-only, and calendar secrets are hidden."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.urls import reverse

from accounts.admin_guards import ReadOnlyAdminMixin
from tests.training.conftest import at
from training.models import (
    Attendee,
    Booking,
    CatalogueEntry,
    EmployerTrainingPolicy,
    Equipment,
    PersonCalendar,
    Room,
    SelfBooking,
    Session,
    Suite,
    WaitlistEntry,
)
from training.services.seats import seats_book
from training.services.sessions import session_create
from training.services.waitlist import waitlist_join

pytestmark = pytest.mark.django_db

MODELS = [Suite, Room, CatalogueEntry, Session, Booking, Attendee, WaitlistEntry, EmployerTrainingPolicy]
READ_ONLY = [Session, Booking, Attendee, WaitlistEntry, EmployerTrainingPolicy]
HOSTILE_SEARCHES = ["\x00", "a\x00b", "9" * 400, "' OR 1=1 --", "<script>", "%", "_", "x" * 10_000, "½"]


def _url(model, view, *args):
    return reverse(f"admin:training_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def admin_client(client, site_admin):
    client.force_login(site_admin)
    return client


def _sessions(college_coordinator, entry, room, facilitators, count):
    return [
        session_create(
            actor=college_coordinator,
            entry=entry,
            room=room,
            starts_at=at(9) + timedelta(days=day),
            ends_at=at(12) + timedelta(days=day),
            facilitators=facilitators[:1],
            seats=2,
            booking_cutoff=at(9) + timedelta(days=day - 2),
        )
        for day in range(count)
    ]


@pytest.fixture
def data(college_coordinator, entry, room, facilitators, coordinator, care_provider_coordinator, staff_member):
    sessions = _sessions(college_coordinator, entry, room, facilitators, 3)
    booking = seats_book(actor=coordinator, session=sessions[0], count=2)
    Attendee.objects.create(session=sessions[0], booking=booking, person=staff_member, added_by=coordinator)
    waitlist_join(actor=care_provider_coordinator, session=sessions[0], seats=1)
    EmployerTrainingPolicy.objects.create(employer=coordinator.organisation, self_booking=SelfBooking.WITHOUT_APPROVAL)
    PersonCalendar.objects.create(person=staff_member, token="secret-calendar-token")
    return sessions


def test_every_training_model_is_on_the_site_admin_and_calendar_secrets_are_not():
    registered = {model for model in admin.site._registry if model._meta.app_label == "training"}
    assert registered == set(MODELS)
    assert PersonCalendar not in admin.site._registry
    for model in READ_ONLY:
        assert isinstance(admin.site._registry[model], ReadOnlyAdminMixin), model


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_site_admin_opens_every_list_and_record(admin_client, data, model):
    assert admin_client.get(_url(model, "changelist")).status_code == 200
    obj = model.objects.first()
    page = admin_client.get(_url(model, "change", obj.pk))
    assert page.status_code == 200
    assert "secret-calendar-token" not in page.content.decode()


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
@pytest.mark.parametrize("term", HOSTILE_SEARCHES)
def test_a_hostile_search_finds_nothing_or_something_but_never_fails(admin_client, data, model, term):
    assert admin_client.get(_url(model, "changelist"), {"q": term}).status_code == 200


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
@pytest.mark.parametrize("query", ["status=%00", "starts_at__year=99999999999", "employer__id__exact=x", "o=99"])
def test_filters_the_list_cannot_apply_answer_as_the_admin_does(admin_client, data, model, query):
    assert admin_client.get(f"{_url(model, 'changelist')}?{query}").status_code in (200, 302)


def test_an_attendee_is_found_by_their_certificate_reference(admin_client, data):
    attendee = Attendee.objects.get()
    page = admin_client.get(_url(Attendee, "changelist"), {"q": str(attendee.certificate_reference)})
    assert page.context["cl"].result_count == 1
    assert admin_client.get(_url(Attendee, "changelist"), {"q": "not-a-uuid"}).context["cl"].result_count == 0


@pytest.mark.parametrize("model", READ_ONLY, ids=lambda m: m.__name__)
def test_records_that_services_change_cannot_be_added_changed_or_deleted_here(admin_client, data, model):
    obj = model.objects.first()
    assert admin_client.get(_url(model, "add")).status_code == 403
    assert admin_client.post(_url(model, "change", obj.pk), {}).status_code == 403
    assert admin_client.post(_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=obj.pk).exists()


def test_session_seats_cannot_be_edited_by_hand(admin_client, data):
    session = data[0]
    admin_client.post(_url(Session, "change", session.pk), {"seats_taken": "0", "seats": "99"})
    session.refresh_from_db()
    assert (session.seats, session.seats_taken) == (2, 2)


def test_a_room_can_be_corrected_but_not_moved_or_added(admin_client, room, other_college):
    assert admin_client.get(_url(Room, "add")).status_code == 403
    response = admin_client.post(
        _url(Room, "change", room.pk),
        {
            "name": "Ward 1 (corrected)",
            "capacity": "10",
            "equipment": [Equipment.HOISTS],
            "step_free_access": "on",
            "hours_available_per_week": "30",
            "suite": "999999",
        },
    )
    assert response.status_code == 302
    room.refresh_from_db()
    assert (room.name, room.capacity, room.equipment, room.step_free_access) == (
        "Ward 1 (corrected)",
        10,
        [Equipment.HOISTS],
        True,
    )
    assert room.suite.college.name != other_college.name


@pytest.mark.parametrize(
    ("field", "value"),
    [("capacity", "0"), ("capacity", "99999999999"), ("capacity", "ten"), ("equipment", "rocket"), ("name", "")],
)
def test_a_bad_room_correction_is_a_form_error(admin_client, room, field, value):
    data = {"name": "Ward 1", "capacity": "12", "equipment": [], "hours_available_per_week": "35", field: value}
    response = admin_client.post(_url(Room, "change", room.pk), data)
    assert response.status_code == 200 and response.context["adminform"].form.errors
    room.refresh_from_db()
    assert (room.name, room.capacity) == ("Ward 1", 12)


def test_a_catalogue_entry_cannot_have_a_minimum_above_its_maximum(admin_client, entry):
    data = {
        "title": entry.title,
        "topic": entry.topic,
        "audiences": ["care_staff", "students"],
        "duration_minutes": "180",
        "min_participants": "9",
        "max_participants": "8",
        "facilitators_per_participant": "0.25",
        "cpd_hours": "3",
    }
    response = admin_client.post(_url(CatalogueEntry, "change", entry.pk), data)
    assert response.status_code == 200 and response.context["adminform"].form.errors
    data["min_participants"] = "2"
    assert admin_client.post(_url(CatalogueEntry, "change", entry.pk), data).status_code == 302
    entry.refresh_from_db()
    assert entry.audiences == ["care_staff", "students"]


@pytest.mark.parametrize("model", [Session, Booking, Attendee], ids=lambda m: m.__name__)
def test_lists_do_a_bounded_number_of_queries(
    admin_client, college_coordinator, entry, room, facilitators, coordinator, model, django_assert_max_num_queries
):
    sessions = _sessions(college_coordinator, entry, room, facilitators, 40)
    from tests import factories

    for session in sessions:
        booking = seats_book(actor=coordinator, session=session, count=1)
        person = factories.StaffMemberFactory(organisation=coordinator.organisation)
        Attendee.objects.create(session=session, booking=booking, person=person, added_by=coordinator)
    with django_assert_max_num_queries(12):
        assert admin_client.get(_url(model, "changelist")).status_code == 200
