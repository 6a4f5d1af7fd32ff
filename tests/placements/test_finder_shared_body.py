"""The finder's body (form as filled in, results) is shared between visitors for FINDER_CACHE_SECONDS: never anyone's
own data, never older than those seconds, one per question."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.urls import reverse

from placements.models import Cohort
from tests.factories import CohortFactory

FINDER = reverse("placements:opportunity-list")
pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(settings):
    settings.FINDER_CACHE_SECONDS = 5
    cache.clear()
    yield
    cache.clear()


def _body(response) -> str:
    """The page between <main> and </main> minus the messages: what the fragment holds."""
    html = response.content.decode()
    return html[html.index('<main class="nhsuk-main-wrapper"') : html.index("</main>")]


def test_a_signed_in_visitor_gets_their_own_header_around_the_shared_body(client, shared, student):
    CohortFactory(opportunity__title="Ward round", capacity=5)
    anonymous = client.get(FINDER, {"q": "Ward"})
    client.force_login(student)
    signed_in = client.get(FINDER, {"q": "Ward"})
    html = signed_in.content.decode()
    assert student.email in html and "csrfmiddlewaretoken" in html  # their header, their sign-out form
    assert _body(signed_in) == _body(anonymous)
    assert "Ward round" in _body(signed_in)
    # And the other way round: the body a signed-in visitor caused to be kept carries nothing of theirs.
    cache.clear()
    first = client.get(FINDER, {"q": "Ward"})
    client.logout()
    later = client.get(FINDER, {"q": "Ward"})
    assert student.email in first.content.decode()
    assert student.email not in later.content.decode() and "csrfmiddlewaretoken" not in later.content.decode()
    assert _body(later) == _body(first)


def test_a_repeat_question_renders_nothing_and_asks_nothing(client, shared, django_assert_num_queries):
    CohortFactory(opportunity__title="Ward round")
    first = client.get(FINDER, {"q": "Ward"})
    with (
        django_assert_num_queries(0),
        mock.patch("nhsuk.fragments.render_to_string", side_effect=AssertionError("rendered again")),
    ):
        again = client.get(FINDER, {"q": "Ward"})
    assert again.content == first.content


def test_places_left_shown_are_never_older_than_the_seconds_the_body_is_kept(client, shared):
    cohort = CohortFactory(opportunity__title="Ward round", capacity=5)
    client.get(FINDER, {"q": "Ward", "page": "1"})  # the shared answer for page 1 is kept from now...
    Cohort.objects.filter(pk=cohort.pk).update(booked=4)
    with mock.patch("nhsuk.fragments.cache.set", wraps=cache.set) as kept:
        # ...and a body for another spelling of the same question is built now: from a fresh answer, not that one.
        html = client.get(FINDER, {"page": "1", "q": "Ward"}).content.decode()
    assert "1 across 1 date" in html
    assert kept.call_args_list and {call.args[2] for call in kept.call_args_list} == {5}


def test_each_question_and_page_has_its_own_body(client, shared):
    CohortFactory(opportunity__title="Ward round")
    CohortFactory(opportunity__title="Pharmacy day")
    assert "Pharmacy day" not in client.get(FINDER, {"q": "Ward"}).content.decode()
    assert "Ward round" not in client.get(FINDER, {"q": "Pharmacy"}).content.decode()
    invalid = client.get(FINDER, {"q": "Ward", "postcode": "not a postcode"})
    assert "Error: Find a work experience placement" in invalid.content.decode()
    assert 'value="not a postcode"' in invalid.content.decode()
    again = client.get(FINDER, {"q": "Ward", "postcode": "not a postcode"})
    assert again.content == invalid.content  # the title's "Error:" comes with the kept body's error message


def test_with_no_seconds_nothing_is_kept(client, settings):
    settings.FINDER_CACHE_SECONDS = 0
    cache.clear()
    cohort = CohortFactory(opportunity__title="Ward round", capacity=5)
    client.get(FINDER)
    Cohort.objects.filter(pk=cohort.pk).update(booked=4)
    assert "1 across 1 date" in client.get(FINDER).content.decode()
