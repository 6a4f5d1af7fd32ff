"""Journey: a care provider's training coordinator finds a college session, books three seats, names two carers,
and cancels the seat nobody needs. Every page passes axe-core; screenshots at 390 and 1280 px."""

from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from notifications.models import OutboundEmail
from tests import factories
from tests.e2e.helpers import SCREENSHOTS, assert_accessible, assert_accessible_and_shoot, shoot, sign_in
from training.models import Attendee, Audience, Booking, CatalogueEntry, Equipment, Room, Session, Suite, Topic
from training.services.sessions import london, session_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = SCREENSHOTS / "employer"


def _college_session():
    college = factories.CollegeFactory(name="Riverside College")
    sim = factories.CoordinatorFactory(email="sim@riverside.test", organisation=college)
    suite = Suite.objects.create(college=college, name="Sim ward", address="1 River Road\nLondon", postcode="E1 1AA")
    room = Room.objects.create(suite=suite, name="Ward 1", capacity=12, equipment=[Equipment.HOISTS])
    entry = CatalogueEntry.objects.create(
        college=college,
        title="Moving and handling with a hoist",
        topic=Topic.MOVING_AND_HANDLING,
        audiences=[Audience.CARE_STAFF],
        learning_outcomes="Use a hoist safely.",
        duration_minutes=180,
        min_participants=2,
        max_participants=8,
        facilitators_per_participant=Decimal("0.25"),
        cpd_hours=Decimal("3"),
        price_or_funding="Free (LSIP funded)",
    )
    day = date.today() + timedelta(days=30)
    return session_create(
        actor=sim,
        entry=entry,
        room=room,
        starts_at=london(day, time(9, 30)),
        ends_at=london(day, time(12, 30)),
        facilitators=[],
        seats=8,
        booking_cutoff=london(day - timedelta(days=3), time(17)),
    )


def test_care_provider_books_three_seats_names_two_staff_cancels_one(page):
    session = _college_session()
    care_home = factories.CareProviderFactory(name="Elm Lodge Care Home")
    manager = factories.CoordinatorFactory(
        email="training@elmlodge.test", first_name="Priya", last_name="Shah", organisation=care_home
    )
    for first, last in (("Amara", "Okafor"), ("Ben", "Kowalski"), ("Chloe", "Evans")):
        factories.StaffMemberFactory(
            email=f"{first.lower()}@elmlodge.test", first_name=first, last_name=last, organisation=care_home
        )

    sign_in(page, manager.email)

    page.goto(reverse("training:employer-home"))
    assert "You have no upcoming sessions booked" in page.locator("main").inner_text()
    assert_accessible_and_shoot(page, SHOTS / "1-home-empty")

    page.goto(reverse("training:session-detail", args=[session.pk]))
    page.get_by_role("link", name="Book seats for your staff").click()
    assert page.locator("h1").inner_text() == "Moving and handling with a hoist"
    assert_accessible(page)
    page.get_by_label("How many seats?").fill("3")
    shoot(page, SHOTS / "2-book")
    page.get_by_role("button", name="Book seats").click()

    assert "3 seats booked. Name the people who will go before bookings close" in page.locator("main").inner_text()
    assert "3 not named yet" in page.locator("main").inner_text()
    assert_accessible_and_shoot(page, SHOTS / "3-booking")
    for person in ("Okafor", "Kowalski"):
        page.get_by_label("Who will go?").select_option(
            label=next(o for o in page.locator("select option").all_inner_texts() if person in o)
        )
        page.get_by_role("button", name="Name this person").click()
        assert "is booked on this session" in page.locator("main").inner_text()
    assert "2 named, 1 not named yet" in page.locator("main").inner_text()
    assert_accessible_and_shoot(page, SHOTS / "4-named")
    sent = OutboundEmail.objects.filter(template="attendee_place_booked")
    assert sorted(sent.values_list("to_email", flat=True)) == ["amara@elmlodge.test", "ben@elmlodge.test"]

    page.get_by_role("link", name="Cancel seats").click()
    assert page.locator("h1").inner_text() == "Cancel seats"
    assert_accessible_and_shoot(page, SHOTS / "5-cancel")
    page.get_by_label("How many seats do you want to cancel?").fill("1")
    page.get_by_role("button", name="Cancel these seats").click()
    assert "1 seat cancelled" in page.locator("main").inner_text()
    assert "You hold 2 seats: 2 named, 0 not named yet" in page.locator("main").inner_text()
    assert_accessible_and_shoot(page, SHOTS / "6-after-cancel")

    booking = Booking.objects.get(employer=care_home)
    assert booking.seats == 2 and Attendee.objects.filter(booking=booking).count() == 2
    assert Session.objects.get(pk=session.pk).seats_taken == 2

    page.goto(reverse("training:employer-home"))
    assert "Moving and handling with a hoist" in page.locator("main").inner_text()
    assert_accessible_and_shoot(page, SHOTS / "7-home")
