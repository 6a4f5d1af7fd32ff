"""Journey: a member of staff books a simulation session for themselves, adds their training to their calendar,
and after the session opens their certificate and says how confident they feel now."""

from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from icalendar import Calendar

from tests import factories
from tests.e2e.helpers import SCREENSHOTS, assert_accessible, assert_accessible_and_shoot, sign_in
from training.models import (
    Attendance,
    Attendee,
    Audience,
    CatalogueEntry,
    EmployerTrainingPolicy,
    Room,
    SelfBooking,
    Session,
    Suite,
    Topic,
)
from training.services.sessions import session_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = SCREENSHOTS / "staff"


def _a_session():
    college = factories.CollegeFactory(name="Riverside College")
    coordinator = factories.CoordinatorFactory(email="sim.coordinator@example.test", organisation=college)
    suite = Suite.objects.create(
        college=college, name="Riverside sim suite", address="1 Quay Street\nLondon", postcode="E14 1AA"
    )
    room = Room.objects.create(suite=suite, name="Ward room", capacity=8, step_free_access=True)
    entry = CatalogueEntry.objects.create(
        college=college,
        title="Moving and handling people safely",
        topic=Topic.MOVING_AND_HANDLING,
        audiences=[Audience.CARE_STAFF],
        learning_outcomes="Use a hoist safely.\nPlan a transfer with the person.",
        duration_minutes=180,
        min_participants=1,
        max_participants=8,
        facilitators_per_participant=Decimal("0.25"),
        cpd_hours=Decimal("3"),
    )
    starts = (timezone.now() + timedelta(days=14)).replace(hour=9, minute=30, second=0, microsecond=0)
    return session_create(
        actor=coordinator,
        entry=entry,
        room=room,
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        facilitators=[],
        seats=6,
        booking_cutoff=starts - timedelta(days=2),
    )


def test_staff_member_adds_training_to_calendar_and_later_opens_the_certificate(page):
    session = _a_session()
    employer = factories.CareProviderFactory(name="Oak Lodge Care Home")
    EmployerTrainingPolicy.objects.create(employer=employer, self_booking=SelfBooking.WITHOUT_APPROVAL)
    person = factories.StaffMemberFactory(
        email="carer.ada@example.test", first_name="Ada", last_name="Okoye", organisation=employer
    )

    sign_in(page, person.email)

    page.goto(f"/training/sessions/{session.pk}/book-myself/")
    assert page.locator("h1").inner_text() == "Book a place for yourself"
    assert "The place is yours straight away" in page.locator("main").inner_text()
    assert_accessible_and_shoot(page, SHOTS / "self-book")
    page.get_by_role("button", name="Book my place").click()

    page.wait_for_url("**/training/my/")
    main = page.locator("main").inner_text()
    assert "You have a place on Moving and handling people safely" in main
    assert "Booked" in main and "9:30am to 12:30pm" in main
    assert_accessible_and_shoot(page, SHOTS / "my-training")

    link = page.get_by_label("Or copy your calendar link").input_value()
    assert page.get_by_role("link", name="Add to my calendar").get_attribute("href").startswith("webcal://")
    feed = page.request.get(urlsplit(link).path)  # as a calendar app would: no sign-in
    assert feed.ok and feed.headers["content-type"] == "text/calendar; charset=utf-8"
    events = Calendar.from_ical(feed.body()).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["Moving and handling people safely"]
    assert events[0].decoded("DTSTART") == session.starts_at

    # Later: the session has run and the college has marked Ada as attended (the college's pages have their own
    # journey).
    past = timezone.now() - timedelta(days=3)
    Session.objects.filter(pk=session.pk).update(
        starts_at=past,
        ends_at=past + timedelta(hours=3),
        booking_cutoff=past - timedelta(days=2),
        attendance_marked_at=timezone.now(),
    )
    Attendee.objects.filter(person=person).update(attendance=Attendance.ATTENDED, attendance_marked_at=timezone.now())

    page.goto("/training/my/")
    assert "Attended" in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="Certificate for Moving and handling people safely").click()
    assert page.locator("h1").inner_text() == "Certificate of attendance"
    certificate = page.locator("main").inner_text()
    assert "Ada Okoye" in certificate and "Riverside College" in certificate and "Use a hoist safely." in certificate
    assert "CPD hours" in certificate and "3 hours" in certificate
    assert_accessible_and_shoot(page, SHOTS / "certificate")
    page.emulate_media(media="print")
    page.screenshot(path=SHOTS / "certificate-print.png", full_page=True)
    assert not page.locator(".nhsuk-header").is_visible()
    page.emulate_media(media="screen")

    page.goto("/training/my/")
    page.get_by_role("link", name="How confident do you feel now? After Moving and handling people safely").click()
    assert page.locator("h1").inner_text() == "How confident do you feel?"
    page.get_by_role("button", name="Save my answer").click()
    assert "Choose how confident you feel, from 1 to 5" in page.locator(".nhsuk-error-summary").inner_text()
    assert_accessible_and_shoot(page, SHOTS / "confidence-error")
    page.get_by_label("4 – Confident").check()
    page.get_by_role("button", name="Save my answer").click()
    page.wait_for_url("**/training/my/")
    assert "Your answer is saved" in page.locator("main").inner_text()
    assert "you said 4 out of 5" in page.locator("main").inner_text()
    assert Attendee.objects.get(person=person).confidence_after == 4
    assert_accessible(page)
