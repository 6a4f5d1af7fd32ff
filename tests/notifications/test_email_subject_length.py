"""PENTEST: an email subject made from names the portal lets people choose must fit its column.

A subject is at most 250 characters (``OutboundEmail.subject``). Organisation names hold 200, site names and
opportunity titles 150 each, and subjects quote them: "Your placement has moved to <site>: <title>" can be 330
characters. On PostgreSQL the row could not be written, so the change that sent it (an invitation, a move of site)
failed with a server error. Long subjects are now shortened, ending in an ellipsis.
"""

import pytest
from django.urls import reverse

from accounts.models import Role
from notifications.models import OutboundEmail
from notifications.outbox import email_enqueue
from tests import factories

SUBJECT_MAX = OutboundEmail._meta.get_field("subject").max_length


@pytest.mark.django_db
@pytest.mark.postgres
def test_inviting_someone_to_an_organisation_with_a_very_long_name_works(client, site_admin):
    college = factories.CollegeFactory(name="Long College " + "x" * 187)
    client.force_login(site_admin)
    response = client.post(
        reverse("accounts:invitation-create"),
        {"email": "tutor@college.ac.uk", "role": Role.TUTOR, "organisation": college.pk},
    )
    assert response.status_code == 302
    subject = OutboundEmail.objects.get(template="staff_invitation").subject
    assert len(subject) <= SUBJECT_MAX
    assert subject.endswith("…")


@pytest.mark.django_db
def test_a_subject_is_shortened_to_fit_and_a_short_one_is_kept_whole(settings):
    settings.EMAIL_SUBJECT_PREFIX = "[staging] "
    site = factories.SiteFactory(name="S" * 150)
    opportunity = factories.OpportunityFactory(site=site, title="T" * 150)
    long = email_enqueue(
        dedupe_key="pentest:long",
        template="student_placement_changed",
        to_email="student@example.test",
        context={"kind": "site", "site": site, "opportunity": opportunity, "changes": []},
    )
    assert len(long.subject) <= SUBJECT_MAX
    assert long.subject.startswith("[staging] Your placement has moved to SSS") and long.subject.endswith("…")
    assert long.raw_message  # the message was built with the same subject
    short = email_enqueue(
        dedupe_key="pentest:short",
        template="student_application_received",
        to_email="student@example.test",
        context={"application": type("A", (), {"reference": "WE26-ABC123"})()},
    )
    assert short.subject == "[staging] We have your application (WE26-ABC123)"
