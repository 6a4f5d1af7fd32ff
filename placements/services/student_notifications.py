"""Emails to a student about their placement (offered, confirmed, cancelled by the host...)."""

from django.urls import reverse

from notifications.outbox import absolute_url, email_enqueue
from placements.models import Application, Cohort, Placement


def student_tell(*, application: Application, placement: Placement, cohort: Cohort, template: str, **context) -> None:
    """Email the student who made ``application`` about ``placement``, once per placement and template. Call inside
    the change's transaction; ``context`` adds to (or overrides) what every such email gets."""
    email_enqueue(
        dedupe_key=f"{template}:placement:{placement.pk}:application:{application.pk}",
        template=template,
        to_email=application.student.email,
        recipient=application.student,
        context={
            "application": application,
            "placement": placement,
            "cohort": cohort,
            "opportunity": cohort.opportunity,
            "dashboard_url": absolute_url(reverse("placements:student-home")),
            **context,
        },
    )
