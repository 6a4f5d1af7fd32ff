"""Suites, rooms and the catalogue: stored as typed, stale entries nudged, "still accurate" confirmed once a day."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from training.models import STALE_AFTER, CatalogueEntry, Room, Suite

pytestmark = pytest.mark.django_db


def test_an_entry_stores_one_facilitator_to_n_as_a_fraction(client, college_coordinator):
    client.force_login(college_coordinator)
    response = client.post(
        reverse("training:entry-create"),
        {
            "title": "  Dementia friends  ",
            "topic": "dementia",
            "audiences": ["care_staff", "students"],
            "min_age": "16",
            "learning_outcomes": "Talk with someone living with dementia.",
            "duration_minutes": "90",
            "min_participants": "2",
            "max_participants": "9",
            "participants_per_facilitator": "3",
            "cpd_hours": "1.5",
            "price_or_funding": "Free",
        },
    )
    entry = CatalogueEntry.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"?entry={entry.pk}")
    assert entry.title == "Dementia friends" and entry.facilitators_per_participant == Decimal("0.333")
    assert entry.min_age == 16 and entry.cpd_hours == Decimal("1.5") and entry.last_confirmed_on == timezone.localdate()
    page = client.get(reverse("training:entry-edit", args=[entry.pk])).content.decode()
    assert 'name="participants_per_facilitator" value="3"' in page


def test_a_stale_entry_is_nudged_and_still_accurate_brings_it_back(client, college_coordinator, entry):
    old = timezone.localdate() - STALE_AFTER - timedelta(days=1)
    CatalogueEntry.objects.filter(pk=entry.pk).update(last_confirmed_on=old)
    client.force_login(college_coordinator)
    home = client.get(reverse("training:college-home")).content.decode()
    assert "Not in the public catalogue" in home and "do not show in the public catalogue" in home
    assert client.get(reverse("training:entry-confirm", args=[entry.pk])).status_code == 405
    response = client.post(reverse("training:entry-confirm", args=[entry.pk]), {"next": "home"}, follow=True)
    assert "is confirmed as accurate today" in response.content.decode()
    entry.refresh_from_db()
    assert entry.last_confirmed_on == timezone.localdate()
    assert "Not in the public catalogue" not in client.get(reverse("training:college-home")).content.decode()


def test_suite_and_room_are_saved_as_typed(client, college_coordinator):
    client.force_login(college_coordinator)
    response = client.post(reverse("training:suite-create"), {"name": "Skills lab", "postcode": "se59rs"})
    suite = Suite.objects.get()
    assert suite.postcode == "SE5 9RS" and response.url == reverse("training:room-create", args=[suite.pk])
    client.post(
        reverse("training:room-create", args=[suite.pk]),
        {
            "name": "Flat",
            "capacity": "6",
            "equipment": ["home_care_flat"],
            "step_free_access": "on",
            "hours_available_per_week": "20",
        },
    )
    room = Room.objects.get()
    assert (room.capacity, room.equipment, room.step_free_access, room.hours_available_per_week) == (
        6,
        ["home_care_flat"],
        True,
        20,
    )


def test_the_room_page_shows_its_calendar_feed_and_a_form_for_a_new_link(client, college_coordinator, room):
    client.force_login(college_coordinator)
    page = client.get(reverse("training:room-edit", args=[room.pk])).content.decode()
    assert reverse("training:room-calendar-renew", args=[room.pk]) in page and "Create a new calendar link" in page
    Room.objects.filter(pk=room.pk).update(calendar_token="secret-token")
    page = client.get(reverse("training:room-edit", args=[room.pk])).content.decode()
    assert reverse("training:room-calendar", kwargs={"token": "secret-token"}) in page
