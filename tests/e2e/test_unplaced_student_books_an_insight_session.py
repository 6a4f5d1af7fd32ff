"""Journey: a student not placed this round follows the email's link, finds a college's insight day and books it."""

import re
from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from notifications.models import OutboundEmail
from placements.models import Application
from placements.services import reminders
from placements.workflow import Status
from tests import factories
from tests.e2e.helpers import SCREENSHOTS, assert_accessible_and_shoot, sign_in
from tests.placements.helpers import make_application
from training.models import Attendee, Audience, CatalogueEntry, Room, Suite, Topic
from training.services.sessions import london, session_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = SCREENSHOTS / "student"


def _an_insight_day_at_a_college():
    college = factories.CollegeFactory(name="Southbank College")
    coordinator = factories.CoordinatorFactory(organisation=college, email="sim@example.test")
    suite = Suite.objects.create(
        college=college, name="Health and care simulation suite", address="12 Borough Road\nLondon", postcode="SE1 0AA"
    )
    room = Room.objects.create(suite=suite, name="Sim ward", capacity=12, step_free_access=True)
    insight_day = CatalogueEntry.objects.create(
        college=college,
        title="Careers in health and care: insight day",
        topic=Topic.CAREERS,
        audiences=[Audience.STUDENTS],
        learning_outcomes="Meet nurses, paramedics and carers, and try the sim ward.",
        duration_minutes=240,
        max_participants=12,
        facilitators_per_participant=Decimal("0.1"),
        min_age=16,
    )
    day = timezone.localdate() + timedelta(days=21)
    return session_create(
        actor=coordinator,
        entry=insight_day,
        room=room,
        starts_at=london(day, time(10)),
        ends_at=london(day, time(14)),
        facilitators=[],
        seats=12,
        booking_cutoff=london(day - timedelta(days=2), time(17)),
    )


def test_an_unplaced_student_books_an_insight_day_from_the_not_placed_email(page, live_server, settings):
    settings.SITE_URL = live_server.url
    today = timezone.localdate()
    round_ = factories.RoundFactory(
        name="Summer 2027",
        applications_open_on=today - timedelta(days=60),
        applications_close_on=today - timedelta(days=30),
        matching_on=today - timedelta(days=20),
        outcomes_by=today,
        placements_from=today,
        placements_to=today + timedelta(days=100),
    )
    student = factories.StudentFactory(email="amara@example.test", first_name="Amara")
    application = make_application(student, round_=round_, age=17, first_name="Amara")
    Application.objects.filter(pk=application.pk).update(status=Status.READY_FOR_MATCHING)
    session = _an_insight_day_at_a_college()

    # The round's outcome date: nobody could place Amara, and she is told so.
    reminders.round_send_outcomes(round_=round_)
    email = OutboundEmail.objects.get(template="student_round_outcome", recipient=student)
    link = next(url for url in re.findall(r"https?://\S+", email.body_text) if "/training/" in url)

    sign_in(page, student.email, login_url=link)  # the link asks her to sign in first
    page.wait_for_url("**/training/students/")
    main = page.locator("main").inner_text()
    assert "can no longer be changed" not in main
    assert "Your application was not placed this round, so you can book a place on these sessions" in main
    assert "Careers in health and care: insight day" in main
    assert_accessible_and_shoot(page, SHOTS / "1-sessions")

    page.get_by_role("link", name=re.compile("Book a place on Careers in health and care")).click()
    assert "Book a place" in page.locator("h1").inner_text()
    assert "12 Borough Road" in page.locator("main").inner_text()
    assert_accessible_and_shoot(page, SHOTS / "2-confirm")

    page.get_by_role("button", name="Book my place").click()
    page.wait_for_url("**/training/students/")
    main = page.locator("main").inner_text()
    assert "You have a place on ‘Careers in health and care: insight day’" in main and "Your places" in main
    assert_accessible_and_shoot(page, SHOTS / "3-booked")
    place = Attendee.objects.get(person=student)
    assert place.session == session and place.booking is None
    assert OutboundEmail.objects.filter(template="student_training_place_booked", recipient=student).exists()

    # The dashboard offers the same next step.
    page.goto("/my-application/")
    assert page.get_by_role("link", name="Book a simulation or insight session").is_visible()
    assert_accessible_and_shoot(page, SHOTS / "4-dashboard")
