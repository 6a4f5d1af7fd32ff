"""What a parent or guardian is told, as the privacy notice promises: an email when the student they gave consent
for is offered a placement (the consent request and its confirmation live with consent, in applications.py)."""

from notifications.outbox import email_enqueue, name_as_data
from placements.models import Application, Cohort, Placement


def guardian_offer_notify(*, application: Application, placement: Placement, cohort: Cohort) -> bool:
    """Email the guardian who consented to ``application`` that it has been offered ``placement``; once per offer.

    Call inside the transaction that makes the offer. Returns whether there was a guardian to tell.
    """
    consent = getattr(application, "guardian_consent", None)
    if consent is None or consent.given_at is None:
        return False
    email_enqueue(
        dedupe_key=f"guardian_offer_made:placement:{placement.pk}:application:{application.pk}",
        template="guardian_offer_made",
        to_email=consent.guardian_email,
        context={
            "application": application,
            "placement": placement,
            "cohort": cohort,
            "opportunity": cohort.opportunity,
            # The student typed their name: quoted as data for someone else, never in the subject.
            "student_name": name_as_data(f"{application.first_name} {application.last_name}"),
        },
    )
    return True
