"""A student's rights over their data: download everything we hold, and erase it; and the one way an application
is anonymised, used both by erasure and by the retention job (placements/services/retention.py).

Anonymising keeps only counts in ``AnonymisedApplication`` (round, outcome, college, areas of interest, postcode
district, age band, widening-participation answers, the days it was submitted and had its outcome, hosts' days to
decide) so reports stay true; nothing that identifies the student survives.
"""

from collections.abc import Iterable

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db import transaction
from django.db.models import Q, prefetch_related_objects
from django.forms.models import model_to_dict
from django.utils import timezone

from accounts.models import Invitation, Role, User
from notifications.models import OutboundEmail
from placements.models import (
    AgeBand,
    AnonymisedApplication,
    AnonymisedReason,
    Application,
    Endorsement,
    Placement,
    WideningParticipation,
)
from placements.services.applications import HOST_TOLD_OF_CANCELLATION
from placements.services.backfill import placement_release
from placements.services.host_notifications import host_coordinators_tell_without_naming
from placements.services.workflow import application_transition
from placements.workflow import HOLDS_PLACE, TRANSITIONS, WITHDRAWABLE, Status

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
    data["endorsement_history"] = _endorsement_history_export(application)
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


def _endorsement_history_export(application: Application) -> list[dict]:
    """The tutor's endorsement as it changed: an opinion about the student is the student's data (ADR 0013).
    The tutor is named by their college only; the staff member's own identity is theirs, not the student's."""
    college = application.college.name if application.college else "your college"
    return [
        {
            "when": record.history_date,
            "change": {"+": "endorsed", "~": "changed", "-": "removed"}.get(record.history_type, record.history_type),
            "strength": record.strength,
            "note": record.note,
            "by": f"A tutor at {college}",
        }
        for record in Endorsement.history.filter(application_id=application.pk).order_by("history_date", "history_id")
    ]


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
            "digest_emails": user.digest_emails,
            # When a link from an unlock email (or a password reset) last let them sign in again after lockouts.
            "sign_in_unlocked_at": user.sign_in_unlocked_at,
        },
        "applications": [
            _application_export(a) for a in Application.objects.filter(student=user).select_related("round", "college")
        ],
        "emails_sent_to_you": [
            {"subject": e.subject, "created_at": e.created_at, "sent_at": e.sent_at, "status": e.status}
            for e in OutboundEmail.objects.filter(recipient=user)
        ],
    }


def _anonymised(application: Application, *, reason: str) -> AnonymisedApplication:
    """What anonymisation keeps of ``application``. Reads its timeline and placements (prefetch them for a batch).

    The planning reports (insights/selectors/facts.py) count live applications by the same rules, so a snapshot
    taken after an erasure gives the same figures for a past period as one taken before (ADR 0019)."""
    wp = getattr(application, "widening_participation", None)
    answers = [getattr(wp, name) for name in wp.FIELDS] if wp is not None else [""] * len(WideningParticipation.FIELDS)
    answered = any(answers)
    outcomes = [
        change.created_at
        for change in application.status_changes.all()
        if change.to_status in AnonymisedApplication.OUTCOME_STATUSES
    ]
    submitted_at = application.submitted_at
    host_decisions = [
        AnonymisedApplication.days_between(placement.created_at, placement.offered_at or placement.released_at)
        for placement in application.placements.all()
        if (placement.offered_at or placement.host_decline_reason) and (placement.offered_at or placement.released_at)
    ]
    return AnonymisedApplication(
        round=application.round,
        final_status=application.status,
        college_id=application.college_id,
        profession_areas=application.profession_areas,
        submitted=submitted_at is not None,
        home_district=application.home_district,
        age_band=AgeBand.for_age(application.age_on(application.round.placements_from)),
        wp_tier=wp.tier if answered else None,
        **dict(zip(AnonymisedApplication.WP_ANSWER_FIELDS, answers, strict=True)),
        submitted_on=timezone.localdate(submitted_at) if submitted_at else None,
        # Only a submitted application is timed (as the live reports do); the outcome is its first.
        outcome_on=timezone.localdate(min(outcomes)) if submitted_at and outcomes else None,
        host_decision_days=sorted(host_decisions),
        reason=reason,
    )


def emails_about_applications(application_ids: Iterable[int]) -> Q:
    """Outbox rows whose event names one of these applications or their placements (to the student, a guardian,
    a tutor or a coordinator): they carry the student's name, so they go with the application."""
    application_ids = [str(pk) for pk in application_ids]
    if not application_ids:
        return Q(pk__in=[])
    placement_ids = [
        str(pk) for pk in Placement.objects.filter(application_id__in=application_ids).values_list("pk", flat=True)
    ]
    # One regular expression per kind instead of one LIKE per id: a batch of 500 stays one scan of the outbox.
    about = Q(dedupe_key__regex=rf":application:({'|'.join(application_ids)})(:|$)")
    if placement_ids:
        about |= Q(dedupe_key__regex=rf":placement:({'|'.join(placement_ids)})(:|$)")
    return about


def applications_anonymise(*, applications: Iterable[Application], reason: str) -> int:
    """Keep anonymous counts for each application, then delete it with everything that names the student: its
    answers, choices, timeline, placements, consent, endorsement and its history, match results and the emails
    about it.

    Call inside a transaction, with the applications locked or otherwise settled. Returns how many went.
    """
    applications = list(applications)
    if not applications:
        return 0
    ids = [application.pk for application in applications]
    # Two queries for the whole batch rather than two per application.
    prefetch_related_objects(applications, "status_changes", "placements")
    AnonymisedApplication.objects.bulk_create([_anonymised(a, reason=reason) for a in applications])
    OutboundEmail.objects.filter(emails_about_applications(ids)).delete()
    Application.objects.filter(pk__in=ids).delete()
    # History rows are not removed by the cascade (and deleting the endorsement just wrote one more): they name
    # the student through the tutor's note, so they go too (ADR 0013).
    Endorsement.history.filter(application_id__in=ids).delete()
    return len(ids)


def student_erase(*, user: User, reason: str = "Account deleted") -> None:
    """Withdraw open applications, keep anonymised counts, then delete the account and its personal data."""
    if user.role != Role.STUDENT:
        raise ValueError("Only student accounts erase themselves; staff accounts are closed by a site admin.")
    with transaction.atomic():
        applications = list(
            Application.objects.select_for_update(of=("self",))
            .filter(student=user)
            .select_related("round", "widening_participation")
        )
        for application in applications:
            if application.status in WITHDRAWABLE:
                was = Status(application.status)
                moves = TRANSITIONS[was]
                target = Status.CANCELLED_BY_STUDENT if Status.CANCELLED_BY_STUDENT in moves else Status.WITHDRAWN
                application_transition(application=application, to=target, actor=user, reason=reason)
                # As the delete page says: a seat they held or were offered goes back, and backfill offers it on.
                for placement in application.placements.filter(released_at__isnull=True).select_related(
                    "cohort__opportunity__site"
                ):
                    placement_release(placement=placement, reason="withdrawn_by_student")
                    if was in HOST_TOLD_OF_CANCELLATION:
                        # The host plans staff around this seat, as when a student cancels; but the student is
                        # being erased, so the email names the placement and dates, not the student.
                        host_coordinators_tell_without_naming(
                            placement=placement,
                            template="coordinator_place_released_account_deleted",
                            had_accepted=was in HOLDS_PLACE,
                        )
        applications_anonymise(applications=applications, reason=AnonymisedReason.ACCOUNT_DELETED)
        accounts_delete(user_ids=[user.pk])


def accounts_delete(*, user_ids: list[int]) -> int:
    """Delete accounts that hold no applications, with the emails to them, their sign-in records and the
    invitations that named them. Students with applications go through ``student_erase``. Returns how many went."""
    people = list(User.objects.filter(pk__in=user_ids, applications__isnull=True).values_list("pk", "email"))
    if not people:
        return 0
    ids = [pk for pk, _ in people]
    emails = [email for _, email in people]
    with transaction.atomic():
        OutboundEmail.objects.filter(Q(recipient_id__in=ids) | Q(to_email__in=emails)).delete()
        for model in (AccessAttempt, AccessLog, AccessFailureLog):
            model.objects.filter(username__in=emails).delete()
        Invitation.objects.filter(Q(email__in=emails) | Q(accepted_user_id__in=ids)).delete()
        User.objects.filter(pk__in=ids).delete()
    return len(ids)
