"""A student's rights over their data: download everything we hold, and erase it.

Erasure keeps only anonymised counts (round, final status, college, areas of interest) in
``AnonymisedApplication`` so reports stay true; nothing that identifies the student survives.
"""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db import transaction
from django.db.models import Q
from django.forms.models import model_to_dict
from django.utils import timezone

from accounts.models import OutboundEmail, Role, User
from placements.models import AnonymisedApplication, Application
from placements.services.workflow import application_transition
from placements.workflow import TRANSITIONS, WITHDRAWABLE, Status

PERSONAL_APPLICATION_FIELDS_EXCLUDED = ("id", "student")


def _application_export(application: Application) -> dict:
    data = model_to_dict(application, exclude=PERSONAL_APPLICATION_FIELDS_EXCLUDED)
    data.update(
        reference=application.reference,
        round=application.round.name,
        college=application.college.name if application.college else None,
        created_at=application.created_at,
        submitted_at=application.submitted_at,
        choices=[{"rank": c.rank, "opportunity": c.opportunity.title} for c in application.choices.all()],
        placements_considered=[
            {
                "rank": p.rank,
                "opportunity": p.cohort.opportunity.title,
                "start": p.cohort.start_date,
                "end": p.cohort.end_date,
                "why": p.get_source_display(),
                "distance_km": p.distance_km,
            }
            for p in application.preferences.select_related("cohort__opportunity")
        ],
        timeline=[
            {"when": s.created_at, "from": s.from_status, "to": s.to_status, "reason": s.reason}
            for s in application.status_changes.all()
        ],
    )
    wp = getattr(application, "widening_participation", None)
    data["widening_participation"] = model_to_dict(wp, fields=wp.FIELDS) if wp else None
    consent = getattr(application, "guardian_consent", None)
    data["guardian_consent"] = (
        {
            "guardian_email": consent.guardian_email,
            "requested_at": consent.requested_at,
            "given_at": consent.given_at,
            "guardian_name": consent.guardian_name,
            "relationship": consent.relationship,
        }
        if consent
        else None
    )
    return data


def student_data_export(*, user: User) -> dict:
    """Everything held about ``user``, as plain data for a JSON download."""
    return {
        "exported_at": timezone.now(),
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "role": user.role,
            "college": user.organisation.name if user.organisation else None,
            "date_joined": user.date_joined,
            "email_verified_at": user.email_verified_at,
            "last_login": user.last_login,
        },
        "applications": [
            _application_export(a) for a in Application.objects.filter(student=user).select_related("round", "college")
        ],
        "emails_sent_to_you": [
            {"subject": e.subject, "created_at": e.created_at, "sent_at": e.sent_at, "status": e.status}
            for e in OutboundEmail.objects.filter(recipient=user)
        ],
    }


def student_erase(*, user: User) -> None:
    """Withdraw open applications, keep anonymised counts, then delete the account and its personal data."""
    if user.role != Role.STUDENT:
        raise ValueError("Only student accounts erase themselves; staff accounts are closed by a site admin.")
    with transaction.atomic():
        for application in Application.objects.select_for_update().filter(student=user):
            if application.status in WITHDRAWABLE:
                moves = TRANSITIONS[Status(application.status)]
                target = Status.CANCELLED_BY_STUDENT if Status.CANCELLED_BY_STUDENT in moves else Status.WITHDRAWN
                application_transition(application=application, to=target, actor=user, reason="Account deleted")
            AnonymisedApplication.objects.create(
                round=application.round,
                final_status=application.status,
                college=application.college,
                profession_areas=application.profession_areas,
                submitted=application.submitted_at is not None,
            )
        # Emails to the student, and emails to others about them (guardian, tutors) name them too.
        about_them = Q(recipient=user) | Q(to_email__iexact=user.email)
        for pk in Application.objects.filter(student=user).values_list("pk", flat=True):
            about_them |= Q(dedupe_key__contains=f":application:{pk}:") | Q(dedupe_key__endswith=f":application:{pk}")
        OutboundEmail.objects.filter(about_them).delete()
        for model in (AccessAttempt, AccessLog, AccessFailureLog):
            model.objects.filter(username__iexact=user.email).delete()
        user.delete()  # cascades: applications, choices, preferences, answers, consent, timeline
