"""The privacy notice renders its retention periods from settings.RETENTION, the same numbers the retention job
enforces, and what it says guardians are told is what guardians are sent (ADR 0009)."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from notifications.models import OutboundEmail
from placements.models import GuardianConsent, Placement
from placements.services import host_decisions
from placements.services.guardian_notifications import guardian_offer_notify
from placements.services.matching_runs import matching_run_create, matching_run_execute
from placements.templatetags.retention import days_in_words
from tests.factories import CohortFactory, RoundFactory
from tests.placements.helpers import ready_application

NOTICE = Path(settings.BASE_DIR) / "templates" / "pages" / "privacy.html"


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_periods_read_as_no_longer_than_they_are():
    assert [days_in_words(d) for d in (730, 365, 180, 90, 30, 45, 1)] == [
        "2 years",
        "1 year",
        "6 months",
        "3 months",
        "30 days",
        "45 days",
        "1 day",
    ]


def test_every_retention_setting_is_stated_in_the_notice_and_no_period_is_typed_in():
    source = NOTICE.read_text()
    for name in settings.RETENTION:
        assert f'retention_period "{name}"' in source, f"the privacy notice does not state {name}"
    section = source[source.index("How long we keep your information") : source.index("Your rights")]
    assert not re.search(r"\b\d+ (day|month|year)s?\b", section), "a period typed into the notice drifts from code"


@pytest.mark.django_db
def test_the_notice_states_each_period_from_settings(client):
    text = _text(client.get(reverse("privacy")))
    assert "kept for 6 months after the last placement date of the round you applied in" in text
    assert "Accounts that nobody has signed in to for 2 years are deleted" in text
    assert "We email you 30 days before this happens" in text
    assert "never confirm your email address, we delete the account after 30 days" in text
    assert "text of the emails we send for 3 months" in text
    assert "technical logs are kept for 3 months" in text
    assert "we delete them 30 days after that" in text


@pytest.mark.django_db
def test_changing_a_setting_changes_the_notice(client):
    with override_settings(RETENTION={**settings.RETENTION, "inactive_accounts": 365, "sign_in_logs": 45}):
        text = _text(client.get(reverse("privacy")))
    assert "Accounts that nobody has signed in to for 1 year are deleted" in text
    assert "technical logs are kept for 45 days" in text
    assert "2 years" not in text


# --- Guardians ---


@pytest.fixture
def offer_for_under_18(coordinator):
    """A 16-year-old whose guardian consented, and a 19-year-old, both matched to the coordinator's cohort."""
    round_ = RoundFactory()
    cohort = CohortFactory(
        capacity=2,
        start_date=round_.placements_from + timedelta(days=7),
        opportunity__site__organisation=coordinator.organisation,
    )
    young = ready_application(round_, [cohort], age=16, first_name="Robin", last_name="Under-Eighteen")
    GuardianConsent.objects.create(
        application=young,
        guardian_email="parent@example.test",
        token_hash="used-token",
        expires_at=young.created_at,
        given_at=young.created_at,
        guardian_name="Pat Parent",
    )
    adult = ready_application(round_, [cohort], age=19)
    matching_run_execute(run_id=matching_run_create(actor=None, round_=round_).pk)
    return cohort, Placement.objects.get(application=young), Placement.objects.get(application=adult)


@pytest.mark.django_db
def test_the_guardian_who_consented_is_emailed_when_the_student_is_offered_a_place(coordinator, offer_for_under_18):
    cohort, young, adult = offer_for_under_18
    host_decisions.placement_approve(actor=coordinator, placement=young)
    host_decisions.placement_approve(actor=coordinator, placement=adult)

    email = OutboundEmail.objects.get(template="guardian_offer_made")
    assert email.to_email == "parent@example.test" and email.recipient is None
    # The student typed their name: it is quoted in the body, never put in the subject.
    assert "Robin" not in email.subject and '"Robin Under-Eighteen"' in email.body_text
    assert cohort.opportunity.title in email.body_text and cohort.opportunity.site.name in email.body_text
    assert "accept or decline the offer in their account by" in email.body_text
    assert "/privacy/" in email.body_text and "email support@" in email.body_text
    # Telling the guardian again about the same offer (a retry) sends nothing new.
    young.refresh_from_db()
    assert guardian_offer_notify(application=young.application, placement=young, cohort=cohort)
    assert OutboundEmail.objects.filter(template="guardian_offer_made").count() == 1


@pytest.mark.django_db
def test_what_the_notice_tells_guardians_is_what_they_are_sent(client):
    text = _text(client.get(reverse("privacy")))
    assert "If you are a parent or guardian" in text
    promised = {
        "to ask for your consent": "guardian_consent_request",
        "to confirm that you have given consent": "guardian_consent_confirmed",
        "when the student is offered a placement": "guardian_offer_made",
        "when the student books a place on a session": "guardian_training_place_booked",
    }
    for promise, template in promised.items():
        assert promise in text
        for part in ("subject.txt", "body.txt", "body.html"):
            assert (Path(settings.BASE_DIR) / "templates" / "emails" / template / part).exists()
    # Every email a guardian can get is one the notice lists.
    guardian_templates = {p.name for p in (Path(settings.BASE_DIR) / "templates" / "emails").glob("guardian_*")}
    assert guardian_templates == set(promised.values())


@pytest.mark.django_db
def test_guardians_hear_before_consenting_that_offers_will_be_emailed(client, student):
    from placements.services import applications as services
    from tests.placements.helpers import make_application

    application = make_application(student, age=16)
    services.application_submit(actor=student, application=application)
    request = OutboundEmail.objects.get(template="guardian_consent_request")
    assert "we will also email you if they are offered a placement" in request.body_text


@pytest.mark.django_db
@override_settings(RETENTION={**settings.RETENTION, "inactive_accounts": 365, "inactive_account_warning": 45})
def test_the_notice_says_what_is_held_for_staff_and_partner_accounts_who_sees_it_and_for_how_long(client):
    text = _text(client.get(reverse("privacy")))
    assert "If you are health and care staff or a planning partner" in text
    assert "your name, work email address, the organisation you work for and your role in the portal" in text
    assert "the invitation that brought you here: who sent it and when" in text
    assert "for staff and planning partners: to give you access for your job" in text  # why
    assert "Planning partners only see anonymous statistics" in text  # who sees what
    assert "Placement coordinators at your NHS trust or care provider can see the invitations" in text
    assert (
        "planning partners are kept while you use them, and deleted after 1 year without a sign-in in the same way"
        in text
    )  # rendered from settings.RETENTION, not typed in
    assert "We email you 45 days before this happens" in text


@pytest.mark.django_db
def test_what_the_notice_says_of_staff_accounts_is_what_retention_does(settings):
    """The notice says staff and partner accounts go after the inactive-accounts period like everyone's."""
    from django.utils import timezone

    from accounts.models import Role, User
    from placements.services.retention import inactive_accounts_delete, inactive_accounts_warn
    from tests.factories import OrganisationFactory, UserFactory

    now = timezone.now()
    icb = OrganisationFactory(kind="icb")
    partner = UserFactory(
        role=Role.PARTNER,
        organisation=icb,
        last_login=now - timedelta(days=settings.RETENTION["inactive_accounts"] + 60),
        date_joined=now - timedelta(days=settings.RETENTION["inactive_accounts"] + 90),
    )
    assert inactive_accounts_warn(now=now) == 1
    OutboundEmail.objects.filter(recipient=partner).update(
        created_at=now - timedelta(days=settings.RETENTION["inactive_account_warning"] + 1)
    )
    assert inactive_accounts_delete(now=now) == 1
    assert not User.objects.filter(pk=partner.pk).exists()
