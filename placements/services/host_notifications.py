"""Emails to a host's coordinators about one of their placements (accepted, declined, cancelled...)."""

import uuid

from django.conf import settings
from django.urls import reverse

from accounts.models import Role, User
from notifications.outbox import absolute_url, email_enqueue
from placements.models import Placement


def host_coordinators(organisation_id: int):
    """The active coordinators of a host organisation: everyone who can act on its placements."""
    return User.objects.filter(role=Role.COORDINATOR, organisation_id=organisation_id, is_active=True).order_by("pk")


def host_coordinators_tell(*, placement: Placement, template: str, **context) -> int:
    """Email each coordinator of the placement's host, once per placement and template. Call inside the change's
    transaction. The email names the student by reference only, so it holds nothing personal."""
    cohort = placement.cohort
    opportunity = cohort.opportunity
    coordinators = list(host_coordinators(opportunity.organisation_id))
    for coordinator in coordinators:
        email_enqueue(
            dedupe_key=f"{template}:placement:{placement.pk}:user:{coordinator.pk}",
            template=template,
            to_email=coordinator.email,
            recipient=coordinator,
            context={
                "placement": placement,
                "opportunity": opportunity,
                "cohort": cohort,
                "reference": placement.application.reference,
                "queue_url": absolute_url(reverse("placements:coordinator-home")),
                "support_email": settings.SUPPORT_EMAIL,
                **context,
            },
        )
    return len(coordinators)


def host_coordinators_tell_without_naming(*, placement: Placement, template: str, **context) -> int:
    """Email each coordinator of the placement's host about it without naming the student, for a change that
    erases the student (their account deleted): the email names the placement and its dates, never the student's
    reference, and its dedupe key names neither the placement nor the application, so the erasure that sends it
    keeps it while removing every email about the student. Call inside the change's transaction."""
    cohort = placement.cohort
    opportunity = cohort.opportunity
    coordinators = list(host_coordinators(opportunity.organisation_id))
    event = uuid.uuid4().hex  # one erasure is one event; nothing in the key leads back to the student
    for coordinator in coordinators:
        email_enqueue(
            dedupe_key=f"{template}:cohort:{cohort.pk}:event:{event}:user:{coordinator.pk}",
            template=template,
            to_email=coordinator.email,
            recipient=coordinator,
            context={
                "opportunity": opportunity,
                "site": opportunity.site,
                "cohort": cohort,
                "queue_url": absolute_url(reverse("placements:coordinator-home")),
                "support_email": settings.SUPPORT_EMAIL,
                **context,
            },
        )
    return len(coordinators)
