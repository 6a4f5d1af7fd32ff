"""Emails that bring people back to the self-assessment, through the outbox (run daily by Celery beat).

* A chaser: staff who joined their employer (by invitation or join code) 7 to 28 days ago and have not started
  an assessment get one email, ever (dedupe key per person). The upper bound keeps the first run after a
  release from emailing everyone who joined long ago.
* A reminder to check again: staff whose latest result is older than their employer's period (3, 6 or 12
  months; 6 when the employer has not chosen) get one email per result (dedupe key per person and sitting), so a
  new result starts a new period. Nobody with a sitting still open is reminded to start another.

Both are reminders a person can switch off (``digest_emails``), and both are safe to run twice or late.
"""

from __future__ import annotations

from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.urls import reverse
from django.utils import timezone

from accounts.models import EMPLOYER_KINDS, Role, User
from notifications.models import EmailCategory
from notifications.outbox import absolute_url, email_enqueue
from skills.models import Assessment, EmployerSkillsPolicy, ReassessAfter

CHASE_AFTER = timedelta(days=7)
CHASE_UNTIL = timedelta(days=28)
DEFAULT_MONTHS = ReassessAfter.SIX_MONTHS


def _staff():
    return User.objects.filter(
        role=Role.STAFF,
        is_active=True,
        digest_emails=True,
        email_verified_at__isnull=False,
        organisation_kind__in=[k.value for k in EMPLOYER_KINDS],
    )


def chasers_send() -> int:
    """One chaser to each person who joined 7 to 28 days ago and has not started the self-assessment."""
    now = timezone.now()
    people = (
        _staff()
        .filter(date_joined__lte=now - CHASE_AFTER, date_joined__gt=now - CHASE_UNTIL)
        .filter(~Exists(Assessment.objects.filter(person=OuterRef("pk"))))
        .select_related("organisation")
    )
    sent = 0
    for person in people.iterator(chunk_size=500):
        with transaction.atomic():
            email = email_enqueue(
                dedupe_key=f"staff_skills_not_started:user:{person.pk}",
                template="staff_skills_not_started",
                to_email=person.email,
                recipient=person,
                category=EmailCategory.DIGEST,
                context={"employer": person.organisation.name, "skills_url": absolute_url(reverse("skills:start"))},
            )
        sent += email.created_at >= now
    return sent


def reassessment_reminders_send() -> int:
    """One reminder per result older than the employer's period, to people with no sitting open."""
    now = timezone.now()
    months_by_employer = dict(EmployerSkillsPolicy.objects.values_list("employer_id", "reassess_after_months"))
    latest = (
        _staff()
        .filter(~Exists(Assessment.objects.filter(person=OuterRef("pk"), submitted_at__isnull=True)))
        .annotate(last_submitted=Max("skills_assessments__submitted_at"))
        .filter(last_submitted__lte=now - relativedelta(months=min(ReassessAfter.values)))
        .select_related("organisation")
    )
    sent = 0
    for person in latest.iterator(chunk_size=500):
        months = months_by_employer.get(person.organisation_id, DEFAULT_MONTHS)
        if person.last_submitted > now - relativedelta(months=months):
            continue
        last = (
            Assessment.objects.filter(person=person, submitted_at=person.last_submitted)
            .order_by("-pk")
            .values_list("pk", flat=True)
            .first()
        )
        with transaction.atomic():
            email = email_enqueue(
                dedupe_key=f"staff_skills_check_again:user:{person.pk}:assessment:{last}",
                template="staff_skills_check_again",
                to_email=person.email,
                recipient=person,
                category=EmailCategory.DIGEST,
                context={
                    "employer": person.organisation.name,
                    "months": months,
                    "last_submitted": person.last_submitted,
                    "skills_url": absolute_url(reverse("skills:start")),
                },
            )
        sent += email.created_at >= now
    return sent
