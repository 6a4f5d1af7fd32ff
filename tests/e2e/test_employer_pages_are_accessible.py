"""The employer's other pages (waiting list, approvals, settings, training record, their error states) pass
axe-core; screenshots at 390 and 1280 px."""

from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from tests import factories
from tests.e2e.helpers import SCREENSHOTS, assert_accessible, assert_accessible_and_shoot, shoot, sign_in
from training.models import (
    Attendance,
    Attendee,
    AttendeeStatus,
    Audience,
    Booking,
    CatalogueEntry,
    EmployerTrainingPolicy,
    Room,
    SelfBooking,
    Session,
    Suite,
    Topic,
)
from training.services.seats import seats_book
from training.services.sessions import london, session_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = SCREENSHOTS / "employer"


def test_employer_pages_are_accessible(page):
    college = factories.CollegeFactory(name="Riverside College")
    sim = factories.CoordinatorFactory(organisation=college)
    room = Room.objects.create(
        suite=Suite.objects.create(college=college, name="Sim ward", postcode="E1 1AA"), name="Ward 1", capacity=12
    )
    entry = CatalogueEntry.objects.create(
        college=college,
        title="Dementia care in practice",
        topic=Topic.DEMENTIA,
        audiences=[Audience.CARE_STAFF],
        duration_minutes=120,
        max_participants=4,
        facilitators_per_participant=Decimal("0.25"),
        cpd_hours=Decimal("2.5"),
    )
    day = date.today() + timedelta(days=20)
    session = session_create(
        actor=sim,
        entry=entry,
        room=room,
        starts_at=london(day, time(10)),
        ends_at=london(day, time(12)),
        facilitators=[],
        seats=4,
        booking_cutoff=london(day - timedelta(days=2), time(17)),
    )
    care_home = factories.CareProviderFactory(name="Elm Lodge Care Home")
    manager = factories.CoordinatorFactory(email="training@elmlodge.test", organisation=care_home)
    carer = factories.StaffMemberFactory(first_name="Amara", last_name="Okafor", organisation=care_home)
    seats_book(
        actor=factories.CoordinatorFactory(organisation=factories.OrganisationFactory()), session=session, count=3
    )
    EmployerTrainingPolicy.objects.create(employer=care_home, self_booking=SelfBooking.WITH_APPROVAL)
    Session.objects.filter(pk=session.pk).update(seats_taken=4)
    held = Booking.objects.create(session=session, employer=care_home, booked_by=carer, seats=1)
    request = Attendee.objects.create(
        session=session, booking=held, person=carer, status=AttendeeStatus.AWAITING_APPROVAL
    )
    past_day = date.today() - timedelta(days=40)
    past = Session.objects.create(
        entry=entry,
        room=room,
        starts_at=london(past_day, time(10)),
        ends_at=london(past_day, time(12)),
        booking_cutoff=london(past_day - timedelta(days=2), time(17)),
        seats=4,
        seats_taken=1,
        created_by=sim,
    )
    went = Booking.objects.create(session=past, employer=care_home, booked_by=manager, seats=1)
    Attendee.objects.create(session=past, booking=went, person=carer, attendance=Attendance.ATTENDED)

    sign_in(page, manager.email)

    page.goto(reverse("training:booking-create", args=[session.pk]))
    page.get_by_role("button", name="Join the waiting list").click()
    assert "Enter how many seats" in page.locator(".nhsuk-error-summary").inner_text()
    assert_accessible(page)
    page.get_by_label("How many seats do you need?").fill("2")
    page.get_by_role("button", name="Join the waiting list").click()
    assert "You are on the waiting list for 2 seats" in page.locator("main").inner_text()
    assert "1 staff booking is waiting for your approval" in page.locator("main").inner_text()
    assert_accessible_and_shoot(page, SHOTS / "8-home-waiting-approvals-past")

    page.get_by_role("link", name="Approve or decline them").click()
    assert "1 request waiting" in page.locator("main").inner_text()
    assert_accessible_and_shoot(page, SHOTS / "9-approvals")
    page.get_by_role("link", name="Decline Amara Okafor").click()
    assert page.get_by_label("Reason (optional)").is_visible()
    assert_accessible_and_shoot(page, SHOTS / "10-decide")
    page.get_by_role("button", name="Approve", exact=True).click()
    assert "Approved. Amara Okafor has a place" in page.locator("main").inner_text()
    assert Attendee.objects.get(pk=request.pk).status == AttendeeStatus.BOOKED
    assert_accessible(page)

    page.goto(reverse("training:employer-policy"))
    assert_accessible(page)
    page.get_by_label("Yes, without approval").check()
    page.get_by_role("button", name="Save settings").click()
    assert "Training settings saved" in page.locator("main").inner_text()
    page.goto(reverse("training:employer-policy"))
    shoot(page, SHOTS / "11-policy")

    page.goto(reverse("training:employer-record"))
    assert "1 session attended, 2.5 CPD hours" in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_label("Day").first.fill("31")
    page.get_by_label("Month").first.fill("2")
    page.get_by_label("Year").first.fill("2026")
    page.get_by_role("button", name="Show training").click()
    assert page.locator(".nhsuk-error-message").count() >= 1
    assert_accessible_and_shoot(page, SHOTS / "12-record")

    page.goto(reverse("training:booking-cancel-seats", args=[held.pk]))
    assert_accessible(page)
