"""Chasers and check-again reminders: who gets one, exactly once, through the outbox; safe to run twice."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import User
from notifications.models import EmailCategory, OutboundEmail
from placements.demo_clock import demo_clock
from skills import services_join, tasks
from skills.models import Assessment
from skills.services import assessment_start, assessment_submit
from tests import factories
from tests.skills.people.helpers import sit

pytestmark = pytest.mark.django_db


def _joined(days_ago, organisation, **fields):
    person = factories.StaffMemberFactory(organisation=organisation, **fields)
    User.objects.filter(pk=person.pk).update(date_joined=timezone.now() - timedelta(days=days_ago))
    return person


def test_one_chaser_to_staff_who_joined_a_week_ago_and_have_not_started(trust, care_provider, v1):
    due = _joined(8, trust, email="due@example.test")
    also_due = _joined(20, care_provider, email="care.due@example.test")
    _joined(3, trust, email="too.soon@example.test")
    _joined(40, trust, email="long.ago@example.test")
    _joined(9, trust, email="no.reminders@example.test", digest_emails=False)
    _joined(9, trust, email="unconfirmed@example.test", email_verified_at=None)
    started = _joined(10, trust, email="started@example.test")
    assessment_start(actor=started)
    factories.CoordinatorFactory(email="coord@example.test", organisation=trust)

    assert tasks.chase_skills_not_started_task() == 2
    assert tasks.chase_skills_not_started_task() == 0  # safe to run twice
    emails = OutboundEmail.objects.filter(template="staff_skills_not_started")
    assert sorted(emails.values_list("to_email", flat=True)) == [also_due.email, due.email]
    email = emails.get(recipient=due)
    assert email.category == EmailCategory.DIGEST
    assert "/skills/" in email.body_text and "Trust X" in email.body_text and "about 15 minutes" in email.body_text


def test_check_again_reminder_after_the_employers_period_once_per_result(client, trust, care_provider, coordinator, v1):
    services_join.reassess_period_set(actor=coordinator, employer=trust, months=3)
    now = timezone.now()
    four_months, seven_months = now - timedelta(days=122), now - timedelta(days=213)
    at_trust = factories.StaffMemberFactory(email="trust.person@example.test", organisation=trust)
    at_care = factories.StaffMemberFactory(email="care.person@example.test", organisation=care_provider)
    recent_care = factories.StaffMemberFactory(email="care.recent@example.test", organisation=care_provider)
    with demo_clock(four_months):
        sit(at_trust)
        sit(recent_care)  # care: 6 months by default, so 4 months is not yet due
    with demo_clock(seven_months):
        sit(at_care)
    open_again = factories.StaffMemberFactory(email="open.again@example.test", organisation=trust)
    with demo_clock(four_months):
        sit(open_again)
    assessment_start(actor=open_again)  # already checking again: no reminder

    assert tasks.remind_skills_check_again_task() == 2
    assert tasks.remind_skills_check_again_task() == 0
    emails = OutboundEmail.objects.filter(template="staff_skills_check_again")
    assert sorted(emails.values_list("to_email", flat=True)) == [at_care.email, at_trust.email]
    body = emails.get(recipient=at_trust).body_text
    assert "every 3 months" in body and "/skills/" in body

    # A new result starts a new period: no reminder now, one again once that result is old enough.
    sit(at_trust)
    assert tasks.remind_skills_check_again_task() == 0
    latest = Assessment.objects.filter(person=at_trust).latest("submitted_at")
    Assessment.objects.filter(pk=latest.pk).update(submitted_at=now - timedelta(days=100))
    assert tasks.remind_skills_check_again_task() == 1
    assert emails.filter(recipient=at_trust).count() == 2


def test_nobody_without_a_result_is_reminded_to_check_again(trust, v1):
    person = factories.StaffMemberFactory(organisation=trust)
    assessment = assessment_start(actor=person)
    Assessment.objects.filter(pk=assessment.pk).update(started_at=timezone.now() - timedelta(days=400))
    assert tasks.remind_skills_check_again_task() == 0
    with pytest.raises(ValidationError):
        assessment_submit(actor=person, assessment=assessment)
