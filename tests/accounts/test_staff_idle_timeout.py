"""Staff sessions end after STAFF_IDLE_TIMEOUT_MINUTES without a request; students' sessions do not."""

import time

import pytest
from django.test import override_settings
from django.urls import reverse

from accounts.sessions import LAST_ACTIVITY

pytestmark = pytest.mark.django_db


def _idle_for(client, seconds: int) -> None:
    session = client.session
    session[LAST_ACTIVITY] = int(time.time()) - seconds
    session.save()


@override_settings(STAFF_IDLE_TIMEOUT_MINUTES=30)
def test_a_tutor_idle_for_longer_than_the_timeout_is_signed_out_and_told_why(client, tutor):
    client.force_login(tutor)
    assert client.get(reverse("placements:tutor-home")).status_code == 200
    _idle_for(client, 31 * 60)

    response = client.get(reverse("placements:tutor-home"), follow=True)

    assert response.redirect_chain[0][0].startswith(reverse("accounts:login"))
    assert "next=" in response.redirect_chain[0][0]
    assert not response.context["user"].is_authenticated
    assert "had not used the portal for 30 minutes" in response.content.decode()


@override_settings(STAFF_IDLE_TIMEOUT_MINUTES=30)
def test_a_tutor_active_within_the_timeout_stays_signed_in(client, tutor):
    client.force_login(tutor)
    client.get(reverse("placements:tutor-home"))
    _idle_for(client, 29 * 60)

    assert client.get(reverse("placements:tutor-home")).status_code == 200
    # The activity was recorded, so the clock starts again.
    assert time.time() - client.session[LAST_ACTIVITY] < 60


@override_settings(STAFF_IDLE_TIMEOUT_MINUTES=30)
def test_a_student_is_not_signed_out_after_the_staff_timeout(client, student):
    client.force_login(student)
    _idle_for(client, 31 * 60)

    response = client.get(reverse("accounts:home"))

    assert response.status_code == 200
    assert response.context["user"].is_authenticated


def test_the_last_activity_is_written_at_most_once_a_minute(client, coordinator):
    client.force_login(coordinator)
    client.get(reverse("placements:coordinator-home"))
    first = client.session[LAST_ACTIVITY]
    client.get(reverse("placements:coordinator-home"))
    assert client.session[LAST_ACTIVITY] == first
