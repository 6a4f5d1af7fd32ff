"""Ordinary requests with hostile values get a clear answer on the form, never a server error.

Each test here answered 500 before its fix. The long-address ones only fail on PostgreSQL, which enforces
column lengths (SQLite stores the 300 characters happily), so they are marked ``postgres``.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation, User
from notifications.models import OutboundEmail
from placements.models import Application
from tests.factories import RoundFactory

HUGE = "99999999999999999999"
# 300 characters that Django's EmailValidator accepts (it allows 320), longer than the 254 our columns hold.
LONG_ADDRESS = "a" * 64 + "@" + ".".join(["b" * 60, "c" * 60, "d" * 60, "e" * 48]) + ".test"
TOO_LONG = "Email address must be 254 characters or fewer"


def test_the_long_address_is_valid_to_django_but_longer_than_our_columns():
    from django.core.validators import validate_email

    validate_email(LONG_ADDRESS)
    assert 254 < len(LONG_ADDRESS) <= 320


@pytest.mark.django_db
@pytest.mark.parametrize("part", ["day", "month", "year"])
def test_opportunity_finder_with_a_huge_date_part_says_the_date_is_not_real(client, part):
    params = {"available_from_day": "1", "available_from_month": "1", "available_from_year": "2027"}
    params[f"available_from_{part}"] = HUGE
    response = client.get(reverse("placements:opportunity-list"), params)
    assert response.status_code == 200
    assert "Date must be a real date" in response.content.decode()


@pytest.mark.django_db
def test_application_dates_with_a_huge_day_say_the_date_is_not_real(client, student):
    RoundFactory()
    client.force_login(student)
    client.post(reverse("placements:application-start"))
    assert Application.objects.filter(student=student).exists()
    today = timezone.localdate()
    response = client.post(
        reverse("placements:application-step", kwargs={"slug": "dates"}),
        {
            "available_from_day": HUGE,
            "available_from_month": today.month,
            "available_from_year": today.year,
            "available_to_day": today.day,
            "available_to_month": today.month,
            "available_to_year": today.year + 1,
        },
    )
    assert response.status_code == 200
    assert "Date must be a real date" in " ".join(response.context["form"].errors["available_from"])


@pytest.mark.django_db
def test_date_of_birth_with_a_huge_year_says_the_date_is_not_real(client, student):
    RoundFactory()
    client.force_login(student)
    client.post(reverse("placements:application-start"))
    response = client.post(
        reverse("placements:application-step", kwargs={"slug": "about-you"}),
        {
            "first_name": "Sam",
            "last_name": "Lee",
            "home_postcode": "SE15 4AA",
            "date_of_birth_day": "1",
            "date_of_birth_month": HUGE,
            "date_of_birth_year": "2009",
        },
    )
    assert response.status_code == 200
    assert "Date must be a real date" in " ".join(response.context["form"].errors["date_of_birth"])


@pytest.mark.postgres
@pytest.mark.django_db
def test_sign_up_with_a_300_character_address_asks_for_a_shorter_one(client):
    response = client.post(
        reverse("accounts:signup"),
        {
            "first_name": "Sam",
            "last_name": "Lee",
            "email": LONG_ADDRESS,
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
        },
    )
    assert response.status_code == 200
    assert TOO_LONG in " ".join(response.context["form"].errors["email"])
    assert not User.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db
def test_invitation_to_a_300_character_address_asks_for_a_shorter_one(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("accounts:invitation-create"),
        {"email": LONG_ADDRESS, "role": "coordinator", "organisation": coordinator.organisation_id},
    )
    assert response.status_code == 200
    assert TOO_LONG in " ".join(response.context["form"].errors["email"])
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_sign_in_with_a_300_character_address_is_just_a_wrong_sign_in(client):
    response = client.post(reverse("accounts:login"), {"username": LONG_ADDRESS, "password": "whatever-it-is"})
    assert response.status_code == 200
    assert TOO_LONG in " ".join(response.context["form"].errors["username"])


def _upload(client, text: str):
    upload = SimpleUploadedFile("students.csv", text.encode(), content_type="text/csv")
    return client.post(reverse("placements:tutor-invite"), {"file": upload})


@pytest.mark.postgres
@pytest.mark.django_db
def test_tutor_invite_reports_a_300_character_address_and_invites_a_long_valid_one(client, tutor):
    # 250 characters: a real address whose outbox key would pass the 200-character column.
    long_valid = "a" * 64 + "@" + ".".join(["b" * 60, "c" * 60, "d" * 60]) + ".test"
    assert len(long_valid) <= 254
    client.force_login(tutor)
    response = _upload(client, f"email\n{LONG_ADDRESS}\n{long_valid}\nsam@example.test\n")
    assert response.status_code == 200
    report = response.context["report"]
    assert report.sent == [long_valid, "sam@example.test"]
    assert [(row, why) for row, _, why in report.invalid] == [(2, "longer than 254 characters")]
    assert OutboundEmail.objects.filter(to_email=long_valid).count() == 1
    # A second upload of the same file emails nobody again, the long address included.
    again = _upload(client, f"email\n{long_valid}\n")
    assert again.context["report"].already_invited == [long_valid]
    assert OutboundEmail.objects.filter(to_email=long_valid).count() == 1


@pytest.mark.django_db
def test_tutor_invite_reads_a_file_with_old_mac_line_endings(client, tutor):
    client.force_login(tutor)
    response = _upload(client, "email\rsam@example.test\rkim@example.test\r")
    assert response.status_code == 200
    assert response.context["report"].sent == ["sam@example.test", "kim@example.test"]


@pytest.mark.django_db
def test_tutor_invite_with_a_huge_quoted_field_says_the_file_cannot_be_read(client, tutor):
    client.force_login(tutor)
    response = _upload(client, 'email\n"' + "x" * 140_000 + '"\nsam@example.test\n')
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["file"])
    assert "We could not read row 2" in errors
    assert not OutboundEmail.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["²", "١", "99999999999999999999999", "-1", ""])
def test_bulk_approve_with_a_selection_that_is_not_a_match_asks_to_select_one(client, coordinator, value):
    client.force_login(coordinator)
    response = client.post(reverse("placements:matches-approve"), {"placement": value}, follow=True)
    assert response.status_code == 200
    assert "Select at least one match to approve" in response.content.decode()
