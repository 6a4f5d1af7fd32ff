"""Journey: a college's simulation coordinator adds a suite, a room and a catalogue entry, dates it weekly for four
weeks, and the sessions show in the public catalogue. axe-core on every page; screenshots at 390 and 1280 px."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.e2e.helpers import SCREENSHOTS, assert_accessible_and_shoot, next_monday, sign_in
from tests.factories import CollegeFactory, CoordinatorFactory, TutorFactory
from training.models import CatalogueEntry, Room, Session, Suite

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = SCREENSHOTS / "college"


def test_college_coordinator_publishes_a_weekly_session_that_employers_can_find(page):
    college = CollegeFactory(name="Newham College")
    CoordinatorFactory(email="trainer@college.ac.uk", organisation=college, first_name="Tess", last_name="Trainer")
    TutorFactory(email="fac@college.ac.uk", organisation=college, first_name="Femi", last_name="Facilitator")

    sign_in(page, "trainer@college.ac.uk")
    page.wait_for_url(lambda url: "/accounts/" not in url)

    page.goto("/training/college/")
    assert page.locator("h1").inner_text() == "Your simulation suite"
    assert_accessible_and_shoot(page, SHOTS / "01-home-empty")

    page.get_by_role("link", name="Add your first suite").click()
    page.get_by_label("Name of the suite").fill("Simulation ward")
    page.get_by_label("Address").fill("1 Romford Road\nStratford")
    page.get_by_label("Postcode").fill("e15 4hz")
    page.get_by_role("button", name="Add suite").click()
    assert Suite.objects.get(college=college).postcode == "E15 4HZ"

    assert page.locator("h1").inner_text() == "Add a room"
    page.get_by_label("Name of the room").fill("Ward 1")
    page.get_by_label("How many people it holds").fill("1000")
    page.get_by_label("Manikins").check()
    page.get_by_label("Hospital beds").check()
    page.get_by_label("Hoists").check()
    page.get_by_label("Step-free access").check()
    page.get_by_role("button", name="Add room").click()
    assert "The number of people must be 500 or fewer" in page.locator(".nhsuk-error-summary").inner_text()
    assert_accessible_and_shoot(page, SHOTS / "02-room-error")
    page.get_by_label("How many people it holds").fill("10")
    page.get_by_role("button", name="Add room").click()
    room = Room.objects.get(suite__college=college)
    assert (room.capacity, room.step_free_access) == (10, True)

    assert "Ward 1 added to Simulation ward." in page.locator(".nhsuk-notification-banner").inner_text()
    assert_accessible_and_shoot(page, SHOTS / "03-home-with-room")
    page.get_by_role("link", name="Add your first catalogue entry").click()
    page.get_by_label("Title").fill("Safe moving and handling with a hoist")
    page.get_by_label("Topic").select_option(label="Moving and handling")
    page.get_by_label("Care staff").check()
    page.get_by_label("Learning outcomes").fill("Use a hoist safely.\nPlan a transfer with a colleague.")
    page.get_by_label("Length in minutes").fill("180")
    page.get_by_label("Fewest participants").fill("3")
    page.get_by_label("Most participants").fill("8")
    page.get_by_label("Participants for each facilitator").fill("4")
    page.locator("input[name=equipment_needed][value=hoists]").check()
    page.get_by_label("CPD hours").fill("3")
    page.get_by_label("Price or funding").fill("Free (LSIP funded)")
    assert_accessible_and_shoot(page, SHOTS / "04-entry-form")
    page.get_by_role("button", name="Add entry").click()
    entry = CatalogueEntry.objects.get(college=college)
    assert str(entry.facilitators_per_participant) == "0.250"

    assert page.locator("h1").inner_text() == "Add a session"
    assert page.get_by_label("Catalogue entry").input_value() == str(entry.pk)
    first = next_monday(3)
    page.get_by_label("Room").select_option(label="Ward 1, Simulation ward (holds 10)")
    page.locator("input[name=date_day]").fill(str(first.day))
    page.locator("input[name=date_month]").fill(str(first.month))
    page.locator("input[name=date_year]").fill(str(first.year))
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("Femi Facilitator").check()
    page.get_by_label("Repeat weekly for this many more weeks").fill("3")
    assert_accessible_and_shoot(page, SHOTS / "05-session-form")
    page.get_by_role("button", name="Add session").click()

    main = page.locator("main").inner_text()
    assert "4 sessions added, weekly from" in main
    assert page.locator("h1").inner_text() == "Safe moving and handling with a hoist"
    sessions = list(Session.objects.filter(entry=entry).order_by("starts_at"))
    assert [timezone.localtime(s.starts_at).date() for s in sessions] == [first + timedelta(weeks=k) for k in range(4)]
    assert all(s.seats == 8 and s.min_participants == 3 for s in sessions)
    assert "Nobody is waiting." in main
    assert_accessible_and_shoot(page, SHOTS / "06-session-page")

    page.get_by_role("link", name="Back to your sessions").click()
    assert "4 sessions from today" in page.locator("main").inner_text()
    assert_accessible_and_shoot(page, SHOTS / "07-session-list")

    page.get_by_role("link", name="Back to your simulation suite").click()
    assert "See all sessions" in page.locator("main").inner_text()
    assert page.get_by_role("link", name="Safe moving and handling with a hoist").count() == 5  # catalogue + 4 dates
    assert_accessible_and_shoot(page, SHOTS / "08-home-with-sessions")

    page.context.clear_cookies()  # now anyone: a care home's training manager, say
    page.goto("/training/")
    assert page.get_by_text("Safe moving and handling with a hoist").first.is_visible()
    assert_accessible_and_shoot(page, SHOTS / "09-public-catalogue")
