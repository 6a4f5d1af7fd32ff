"""PENTEST: a student who corrects their guardian's address while consent is awaited.

Before the fix the corrected address was saved ("Your changes are saved") but nobody emailed it, and the consent
link sent to the first address kept working for 14 days: a mistyped address (a stranger's) could still give
consent for the child. Now the corrected address gets a new link and the first one stops working.
"""

import re

import pytest
from django.urls import reverse

from notifications.models import OutboundEmail
from placements.models import GuardianConsent
from placements.services import applications as services
from placements.workflow import Status
from tests.placements.helpers import make_application


def _link(to_email: str) -> str:
    email = OutboundEmail.objects.filter(template="guardian_consent_request", to_email=to_email).latest("pk")
    return re.search(r"(/consent/[^/\s]+/)", email.body_text).group(1)


@pytest.fixture
def awaiting(student):
    application = make_application(student, age=16, guardian_email="parnet@example.test")  # mistyped
    services.application_submit(actor=student, application=application)
    application.refresh_from_db()
    assert application.status == Status.AWAITING_CONSENT
    return application


@pytest.mark.django_db
def test_the_corrected_address_gets_a_link_and_the_mistyped_one_stops_working(client, student, awaiting):
    first_link = _link("parnet@example.test")
    client.force_login(student)
    saved = client.post(
        reverse("placements:application-step", kwargs={"slug": "guardian"}), {"guardian_email": "parent@example.test"}
    )
    assert saved.status_code == 302

    client.logout()
    assert client.get(first_link).status_code == 404, "the link at the address the student replaced still works"
    assert (
        client.post(first_link, {"guardian_name": "Stranger", "relationship": "Parent", "consent": "on"}).status_code
        == 404
    )
    new_link = _link("parent@example.test")
    assert client.get(new_link).status_code == 200
    client.post(new_link, {"guardian_name": "Pat Lee", "relationship": "Mother", "consent": "on"})
    consent = GuardianConsent.objects.get(application=awaiting)
    assert consent.guardian_email == "parent@example.test" and consent.guardian_name == "Pat Lee"
    awaiting.refresh_from_db()
    assert awaiting.status == Status.READY_FOR_MATCHING


@pytest.mark.django_db
def test_saving_the_same_address_again_sends_nothing_new(client, student, awaiting):
    first_link = _link("parnet@example.test")
    client.force_login(student)
    client.post(
        reverse("placements:application-step", kwargs={"slug": "guardian"}), {"guardian_email": "Parnet@Example.test"}
    )
    assert OutboundEmail.objects.filter(template="guardian_consent_request").count() == 1
    client.logout()
    assert client.get(first_link).status_code == 200


@pytest.mark.django_db
def test_a_student_who_changes_their_date_of_birth_to_under_18_after_submitting_is_asked_for_consent(student):
    from datetime import timedelta

    from django.utils import timezone

    application = make_application(student, age=19)
    services.application_submit(actor=student, application=application)
    application.refresh_from_db()
    assert application.status == Status.READY_FOR_MATCHING
    today = timezone.localdate()
    application.date_of_birth = today.replace(year=today.year - 16) - timedelta(days=10)
    application.guardian_email = "parent@example.test"
    application.save()
    services.application_resubmit_answers(actor=student, application=application)
    application.refresh_from_db()
    assert application.status == Status.AWAITING_CONSENT
    assert OutboundEmail.objects.filter(template="guardian_consent_request", to_email="parent@example.test").exists()
    assert OutboundEmail.objects.filter(template="student_consent_requested", recipient=student).count() == 1

    services.application_resubmit_answers(actor=student, application=application)  # saved again: asked once
    assert OutboundEmail.objects.filter(template="guardian_consent_request").count() == 1
    assert application.status_changes.filter(to_status=Status.AWAITING_CONSENT).count() == 1


@pytest.mark.django_db
def test_a_student_who_becomes_under_18_on_the_pages_gives_a_guardian_address_and_is_not_matched_meanwhile(
    client, student
):
    from datetime import timedelta

    from django.utils import timezone

    from placements.models import Application

    application = make_application(student, age=19, guardian_email="")
    services.application_submit(actor=student, application=application)
    client.force_login(student)
    today = timezone.localdate()
    born = today.replace(year=today.year - 16) - timedelta(days=10)
    data = {"first_name": "Sam", "last_name": "Lee", "home_postcode": "se15 4aa"}
    data.update({"date_of_birth_day": born.day, "date_of_birth_month": born.month, "date_of_birth_year": born.year})
    saved = client.post(reverse("placements:application-step", kwargs={"slug": "about-you"}), data)
    assert saved.status_code == 302, saved.context["form"].errors if saved.context else saved
    assert saved.url == reverse("placements:application-step", kwargs={"slug": "guardian"})
    application.refresh_from_db()
    assert application.date_of_birth == born
    assert application.status == Status.AWAITING_CONSENT  # matching takes only applications ready for it
    assert not OutboundEmail.objects.filter(template="guardian_consent_request").exists()

    client.post(
        reverse("placements:application-step", kwargs={"slug": "guardian"}), {"guardian_email": "mum@example.test"}
    )
    assert OutboundEmail.objects.filter(template="guardian_consent_request", to_email="mum@example.test").count() == 1
    assert OutboundEmail.objects.filter(template="student_consent_requested").count() == 1
    assert Application.objects.get(pk=application.pk).status == Status.AWAITING_CONSENT


@pytest.mark.django_db
def test_a_date_of_birth_corrected_to_18_or_over_while_consent_is_awaited_needs_no_consent(student, awaiting):
    first_link = _link("parnet@example.test")
    awaiting.date_of_birth = awaiting.date_of_birth.replace(year=awaiting.date_of_birth.year - 3)
    awaiting.save()
    services.application_resubmit_answers(actor=student, application=awaiting)
    awaiting.refresh_from_db()
    assert awaiting.status == Status.READY_FOR_MATCHING
    assert not GuardianConsent.objects.filter(application=awaiting).exists()
    from django.test import Client

    assert Client().get(first_link).status_code == 404


@pytest.mark.django_db
def test_a_matched_student_cannot_change_their_date_of_birth_so_no_offer_skips_consent(client, student):
    """Decision: once matched, answers are closed (workflow.EDITABLE) and the site admin reads applications
    without editing them, so nothing can make a matched student under 18; the host decides on the answers given."""
    from datetime import timedelta

    from django.utils import timezone

    from placements.models import Application

    application = make_application(student, age=19)
    services.application_submit(actor=student, application=application)
    Application.objects.filter(pk=application.pk).update(status=Status.MATCHED)
    client.force_login(student)
    today = timezone.localdate()
    born = today.replace(year=today.year - 16) - timedelta(days=10)
    data = {"first_name": "Sam", "last_name": "Lee", "home_postcode": "se15 4aa"}
    data.update({"date_of_birth_day": born.day, "date_of_birth_month": born.month, "date_of_birth_year": born.year})
    refused = client.post(reverse("placements:application-step", kwargs={"slug": "about-you"}), data)
    assert refused.url == reverse("placements:student-home")
    application.refresh_from_db()
    assert application.status == Status.MATCHED and application.date_of_birth != born
    with pytest.raises(Exception, match="can no longer be changed"):
        services.application_resubmit_answers(actor=student, application=application)


@pytest.mark.django_db
def test_a_change_saved_as_matching_takes_the_application_is_a_message_not_an_error(client, student, monkeypatch):
    from django.utils import timezone

    from placements.models import Application
    from placements.workflow import StaleTransition

    application = make_application(student, age=19)
    services.application_submit(actor=student, application=application)

    def matched_meanwhile(**kwargs):
        Application.objects.filter(pk=application.pk).update(status=Status.MATCHED)
        raise StaleTransition()

    monkeypatch.setattr(services, "application_resubmit_answers", matched_meanwhile)
    client.force_login(student)
    born = timezone.localdate().replace(year=timezone.localdate().year - 20)
    data = {"first_name": "Sam", "last_name": "Lee", "home_postcode": "se15 4aa"}
    data.update({"date_of_birth_day": born.day, "date_of_birth_month": born.month, "date_of_birth_year": born.year})
    response = client.post(reverse("placements:application-step", kwargs={"slug": "about-you"}), data, follow=True)
    assert response.status_code == 200
    assert "changed while you were looking at it" in response.content.decode()
