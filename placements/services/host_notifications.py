"""Emails to a host's coordinators about one of their placements (accepted, declined, cancelled...)."""

from django.conf import settings
from django.urls import reverse

from accounts.models import Role, User
from accounts.outbox import absolute_url, email_enqueue
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
