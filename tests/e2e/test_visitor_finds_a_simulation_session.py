"""Browser check: a visitor who is not signed in, on a 390 px phone, filters the simulation-training catalogue by
topic and postcode and opens a session. Every page passes axe-core; screenshots at 390 and 1280 px."""

import pytest

from tests import factories
from tests.e2e.helpers import SCREENSHOTS, assert_accessible, fits_the_phone, shoot
from tests.training.catalogue.helpers import make_entry, make_room, make_session, soon
from training.models import Audience, Topic

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = SCREENSHOTS / "catalogue"


def test_visitor_filters_by_topic_and_postcode_and_opens_a_session(page):
    college = factories.CollegeFactory(name="Riverside College", borough="Southwark")
    camberwell = make_room(college, postcode="SE5 9RS", step_free=True, name="Ward 1")
    croydon = make_room(college, postcode="CR0 1AA", name="Home-care flat")
    hoist = make_entry(
        college,
        title="Moving and handling with a hoist",
        audiences=[Audience.CARE_STAFF, Audience.CLINICAL_SUPPORT_STAFF],
        learning_outcomes="Use a ceiling hoist and a stand aid safely.\nCheck slings before use.",
    )
    make_session(hoist, croydon, soon(8, 9, 30), min_participants=4)
    near = make_session(hoist, camberwell, soon(12, 13, 0), min_participants=4)
    make_entry(college, title="Dementia friends", topic=Topic.DEMENTIA)
    make_session(make_entry(college, title="Dementia: a day in a care home", topic=Topic.DEMENTIA), camberwell, soon(9))

    page.goto("/")
    page.get_by_role("link", name="find simulation training sessions").click()
    assert page.locator("h1").inner_text() == "Find simulation training"
    assert_accessible(page)
    assert fits_the_phone(page)
    shoot(page, SHOTS / "catalogue")

    page.get_by_label("Topic").select_option(label="Moving and handling")
    page.get_by_label("Near a postcode").fill("se15 4aa")
    page.get_by_role("button", name="Show sessions").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Go to the 2 sessions").click()
    assert page.evaluate("document.querySelector('#results-heading').getBoundingClientRect().top < window.innerHeight")
    assert "2 sessions, nearest first" in page.locator("#results-heading").inner_text()
    cards = page.locator(".app-results .nhsuk-card__link")
    assert cards.count() == 2
    assert "Dementia" not in page.locator(".app-results").inner_text()
    assert "About" in page.locator(".app-results").inner_text()
    assert_accessible(page)
    assert fits_the_phone(page)
    shoot(page, SHOTS / "filtered")

    cards.first.click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/training/sessions/{near.pk}/")
    text = page.locator("main").inner_text()
    assert "Moving and handling with a hoist" in text and "Use a ceiling hoist" in text
    assert "If fewer than 4 people are booked by" in text
    sign_in = page.get_by_role("link", name="Sign in to book")
    assert f"next=%2Ftraining%2Fsessions%2F{near.pk}%2F" in sign_in.get_attribute("href")
    assert_accessible(page)
    assert fits_the_phone(page)
    shoot(page, SHOTS / "session")

    page.goto("/training/?postcode=" + "SE5" * 1700 + "&page=99999999999")
    assert "Enter a real postcode" in page.locator(".nhsuk-error-summary").inner_text()
    assert_accessible(page)
