"""The catalogue's body (form as filled in, sessions) is shared between visitors for CATALOGUE_CACHE_SECONDS: never
anyone's own data, seats left never older than those seconds, one per question; a session's own page stays live."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.training.catalogue.helpers import make_entry, make_room, make_session, soon
from training.models import Session

CATALOGUE = reverse("training:catalogue")
pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(settings):
    settings.CATALOGUE_CACHE_SECONDS = 5
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def session(college):
    return make_session(make_entry(college, title="Hoists"), make_room(college), soon(10), seats=6)


def _body(response) -> str:
    html = response.content.decode()
    return html[html.index('<main class="nhsuk-main-wrapper"') : html.index("</main>")]


def test_a_signed_in_visitor_gets_their_own_header_around_the_shared_body(client, shared, session, tutor):
    anonymous = client.get(CATALOGUE)
    client.force_login(tutor)
    signed_in = client.get(CATALOGUE)
    assert tutor.email in signed_in.content.decode() and "csrfmiddlewaretoken" in signed_in.content.decode()
    assert _body(signed_in) == _body(anonymous) and "Hoists" in _body(signed_in)
    cache.clear()
    first = client.get(CATALOGUE)  # kept while signed in...
    client.logout()
    later = client.get(CATALOGUE)  # ...shown to someone else: nothing of the first visitor's in it
    assert tutor.email not in later.content.decode() and "csrfmiddlewaretoken" not in later.content.decode()
    assert _body(later) == _body(first)


def test_a_repeat_question_renders_nothing_and_asks_nothing(client, shared, session, django_assert_num_queries):
    first = client.get(CATALOGUE, {"topic": session.entry.topic})
    with (
        django_assert_num_queries(0),
        mock.patch("nhsuk.fragments.render_to_string", side_effect=AssertionError("rendered again")),
    ):
        again = client.get(CATALOGUE, {"topic": session.entry.topic})
    assert again.content == first.content
    assert "Hoists" in again.content.decode()


def test_seats_left_are_at_most_the_stated_seconds_old_and_the_session_page_is_live(client, shared, session):
    with mock.patch("nhsuk.fragments.cache.set", wraps=cache.set) as kept:
        assert "6 of 6" in client.get(CATALOGUE).content.decode()
    assert [call.args[2] for call in kept.call_args_list] == [5]
    Session.objects.filter(pk=session.pk).update(seats_taken=4)
    assert "6 of 6" in client.get(CATALOGUE).content.decode()  # within the seconds: the body of a moment ago
    assert "2 of 6" in client.get(reverse("training:session-detail", args=[session.pk])).content.decode()
    cache.clear()  # the seconds have passed
    assert "2 of 6" in client.get(CATALOGUE).content.decode()


def test_each_question_and_page_has_its_own_body(client, shared, college, session):
    make_session(make_entry(college, title="Manikins", topic="basic_life_support"), make_room(college), soon(12))
    hoists = client.get(CATALOGUE, {"topic": session.entry.topic}).content.decode()
    assert "Hoists" in hoists and "Manikins" not in hoists
    invalid = client.get(CATALOGUE, {"postcode": "not a postcode"})
    assert "Error: Find simulation training" in invalid.content.decode()
    assert client.get(CATALOGUE, {"postcode": "not a postcode"}).content == invalid.content
