"""The finder's page is shared between visitors for a few seconds (FINDER_CACHE_SECONDS), and never longer."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.urls import reverse

from placements.models import Cohort
from tests.factories import CohortFactory

FINDER = reverse("placements:opportunity-list")


@pytest.fixture
def finder_cache(settings):
    settings.FINDER_CACHE_SECONDS = 5
    cache.clear()
    yield
    cache.clear()


def _places(response):
    return [(o.title, o.places_left) for o in response.context["page"]]


@pytest.mark.django_db
def test_a_repeat_question_within_seconds_is_answered_without_the_finder_queries(
    client, finder_cache, django_assert_num_queries
):
    CohortFactory(opportunity__title="Ward", capacity=5)
    first = client.get(FINDER, {"q": "Ward"})
    with django_assert_num_queries(0):  # anonymous: no session, no user, no finder query
        again = client.get(FINDER, {"q": "Ward"})
    assert _places(first) == _places(again) == [("Ward", 5)]
    assert again.content == first.content
    # Another question, or another page, is asked of the database.
    assert _places(client.get(FINDER, {"q": "ward"})) == [("Ward", 5)]


@pytest.mark.django_db
def test_places_left_are_at_most_the_cache_seconds_old(client, finder_cache):
    cohort = CohortFactory(opportunity__title="Ward", capacity=5)
    assert _places(client.get(FINDER)) == [("Ward", 5)]
    Cohort.objects.filter(pk=cohort.pk).update(booked=4)
    assert _places(client.get(FINDER)) == [("Ward", 5)]  # within the seconds: the answer of a moment ago
    cache.clear()  # the seconds have passed
    assert _places(client.get(FINDER)) == [("Ward", 1)]


@pytest.mark.django_db
def test_the_cache_stores_what_it_was_told_for_exactly_the_stated_seconds(client, finder_cache):
    CohortFactory(opportunity__title="Ward")
    with mock.patch("placements.selectors.opportunities.cache.set", wraps=cache.set) as kept:
        client.get(FINDER)
    assert kept.call_args.args[2] == 5
