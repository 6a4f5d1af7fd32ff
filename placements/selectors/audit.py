"""One application's audit trail for site admins: everything that moved it, in time order (ADR 0013).

Status changes (who and why), the tutor's endorsement as it changed (old and new strength), the host's decisions
(approve, decline and cancel with their codes, decide-by releases, confirmation), each pre-placement check ticked
(who and when), and the emails sent about it (template, recipient, status, when; never their bodies).

A fixed number of queries, however many events there are. The outbox is read through ``_emails_about`` only, so
that where the outbox lives is named once here.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accounts.models import Role, User
from placements.models import (
    Application,
    Endorsement,
    HostCancelReason,
    HostDeclineReason,
    Placement,
    StatusChange,
)
from placements.models.placements import RELEASED_HOST_NO_REPLY
from placements.services.pre_placement import CHECKLIST
from placements.workflow import Status

STATUS_CHANGE = "Status change"
ENDORSEMENT = "Endorsement"
MATCH = "Match"
HOST_DECISION = "Host decision"
CHECK = "Pre-placement check"
EMAIL = "Email"

NOBODY = "No person recorded (an automatic step, or an account since deleted)"
AUTOMATIC = "Automatic"
# A host decision and the status change it made are written in one transaction: the change names who decided.
SAME_MOMENT = timedelta(minutes=1)
# Status labels are written for the student ("Cancelled by you"); the trail is read by a site admin.
STATUS_LABELS = {**dict(Status.choices), Status.CANCELLED_BY_STUDENT: "Cancelled by the student"}
RELEASE_REASONS = {
    "declined_by_student": "the student declined the offer",
    "withdrawn_by_student": "the student withdrew or cancelled",
    "expired": "the student did not answer the offer in time",
    "rematched": "a later matching run gave the student another place",
    "round_closed": "the round closed before the host decided",
}
# Emails are named after their recipient (``<recipient>_<resource>_<change>``, see the house style).
RECIPIENTS = {
    "student": "Student",
    "guardian": "Parent or guardian",
    "tutor": "Tutor",
    "coordinator": "Host coordinator",
}


@dataclass(frozen=True)
class AuditEvent:
    when: datetime
    kind: str
    what: str
    who: str = ""
    detail: str = ""


def _person(user: User | None) -> str:
    if user is None:
        return NOBODY
    name = user.get_full_name() or user.email
    return f"{name} ({Role(user.role).label})" if user.role in Role.values else name


def _status_events(changes: list[StatusChange]) -> list[AuditEvent]:
    return [
        AuditEvent(
            when=change.created_at,
            kind=STATUS_CHANGE,
            what=(
                f"{STATUS_LABELS.get(change.from_status, change.from_status)} to "
                f"{STATUS_LABELS.get(change.to_status, change.to_status)}"
                if change.from_status
                else STATUS_LABELS.get(change.to_status, change.to_status)
            ),
            who=_person(change.actor),
            detail=change.reason,
        )
        for change in changes
    ]


def _decided_by(changes: list[StatusChange], when: datetime | None, *to: Status) -> str:
    """Who made the status change that went with a host's decision at ``when`` (the nearest one to ``to``)."""
    if when is None:
        return ""
    near = [c for c in changes if c.to_status in to and abs(c.created_at - when) <= SAME_MOMENT]
    if not near:
        return ""
    return _person(min(near, key=lambda c: abs(c.created_at - when)).actor)


def _endorsement_events(application: Application) -> list[AuditEvent]:
    records = (
        Endorsement.history.filter(application_id=application.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    events, previous = [], None
    for record in records:
        if record.history_type == "-":
            what = "Endorsement removed"
        elif previous is None:
            what = f"Endorsed with strength {record.strength} (of 3)"
        elif previous.strength != record.strength:
            what = f"Strength changed from {previous.strength} to {record.strength} (of 3)"
        else:
            what = f"Endorsement saved again, strength still {record.strength} (of 3)"
        detail = ""
        if record.history_type != "-" and record.note and (previous is None or previous.note != record.note):
            detail = f"Note: {record.note}"
        elif previous is not None and previous.note and not record.note:
            detail = "Note removed"
        events.append(
            AuditEvent(
                when=record.history_date, kind=ENDORSEMENT, what=what, who=_person(record.history_user), detail=detail
            )
        )
        previous = None if record.history_type == "-" else record
    return events


def _placement_events(placement: Placement, people: dict[int, User], changes: list[StatusChange]) -> list[AuditEvent]:
    cohort = placement.cohort
    place = f"{cohort} at {cohort.opportunity.organisation}"
    events = [
        AuditEvent(
            when=placement.created_at,
            kind=MATCH,
            what=f"Matched to {place}",
            who=AUTOMATIC,
            detail=f"The host must approve or decline by {placement.decide_by:%-d %B %Y}."
            if placement.decide_by
            else "",
        )
    ]
    if placement.decision_chased_at:
        events.append(
            AuditEvent(
                when=placement.decision_chased_at,
                kind=HOST_DECISION,
                what="Host's coordinators reminded that their decide-by date is near",
                who=AUTOMATIC,
            )
        )
    if placement.offered_at:
        expires = f", to answer by {timezone.localtime(placement.offer_expires_at):%-d %B %Y}"
        events.append(
            AuditEvent(
                when=placement.offered_at,
                kind=HOST_DECISION,
                what="Approved: the student was offered the place",
                who=_decided_by(changes, placement.offered_at, Status.OFFERED),
                detail=f"Offer of {place}{expires if placement.offer_expires_at else ''}.",
            )
        )
    for item, tick in sorted(placement.checks.items(), key=lambda pair: str((pair[1] or {}).get("at", ""))):
        tick = tick or {}
        when = parse_datetime(str(tick.get("at", ""))) or placement.created_at
        events.append(
            AuditEvent(
                when=when,
                kind=CHECK,
                what=f"Ticked: {CHECKLIST.get(item, item)}",
                who=_person(people.get(tick.get("by"))),
            )
        )
    if placement.confirmed_at:
        events.append(
            AuditEvent(
                when=placement.confirmed_at,
                kind=HOST_DECISION,
                what="Confirmed the placement (checks complete, joining instructions sent)",
                who=_decided_by(changes, placement.confirmed_at, Status.CONFIRMED),
            )
        )
    if placement.released_at:
        events.append(_release_event(placement, place, changes))
    if placement.completed_at:
        events.append(
            AuditEvent(when=placement.completed_at, kind=HOST_DECISION, what="Marked the placement completed")
        )
    return events


def _release_event(placement: Placement, place: str, changes: list[StatusChange]) -> AuditEvent:
    reason = placement.release_reason
    if placement.host_decline_reason:
        code = placement.host_decline_reason
        label = HostDeclineReason(code).label if code in HostDeclineReason.values else code
        return AuditEvent(
            when=placement.released_at,
            kind=HOST_DECISION,
            what=f"Declined the match: {label} (code “{code}”)",
            who=_decided_by(changes, placement.released_at, Status.READY_FOR_MATCHING, Status.UNSUCCESSFUL),
            detail=placement.host_decline_note,
        )
    if placement.host_cancel_reason:
        code = placement.host_cancel_reason
        label = HostCancelReason(code).label if code in HostCancelReason.values else code
        return AuditEvent(
            when=placement.released_at,
            kind=HOST_DECISION,
            what=f"Cancelled the place: {label} (code “{code}”)",
            who=_decided_by(changes, placement.released_at, Status.CANCELLED_BY_HOST),
            detail=placement.host_cancel_note,
        )
    if reason == RELEASED_HOST_NO_REPLY:
        deadline = f" by {placement.decide_by:%-d %B %Y}" if placement.decide_by else ""
        return AuditEvent(
            when=placement.released_at,
            kind=HOST_DECISION,
            what=f"Released: the host did not decide{deadline}",
            who=AUTOMATIC,
            detail=f"The match to {place} went back to the pool (code “{reason}”).",
        )
    because = RELEASE_REASONS.get(reason, reason.replace("_", " ") or "no reason recorded")
    return AuditEvent(
        when=placement.released_at, kind=MATCH, what=f"Place released: {because}", detail=f"{place} (code “{reason}”)."
    )


def _emails_about(application: Application, placement_ids: list[int]) -> list[dict]:
    """The outbox rows about this application or its placements: their dedupe keys name them as
    ``:application:<pk>`` or ``:placement:<pk>`` (as erasure finds them). The outbox's only reader here."""
    from notifications.models import EmailStatus, OutboundEmail

    about = Q(dedupe_key__regex=rf":application:{application.pk}(:|$)")
    if placement_ids:
        about |= Q(dedupe_key__regex=rf":placement:({'|'.join(str(pk) for pk in placement_ids)})(:|$)")
    labels = dict(EmailStatus.choices)
    rows = OutboundEmail.objects.filter(about).values("template", "status", "created_at", "sent_at", "attempts")
    return [{**row, "status_label": labels.get(row["status"], row["status"])} for row in rows]


def _email_events(application: Application, placement_ids: list[int]) -> list[AuditEvent]:
    events = []
    for row in _emails_about(application, placement_ids):
        template = row["template"]
        prefix, _, rest = template.partition("_")
        recipient = RECIPIENTS.get(prefix)
        subject = (rest if recipient else template).replace("_", " ")
        sent = row["sent_at"]
        detail = f"Sent {timezone.localtime(sent):%-d %B %Y at %H:%M}" if sent else row["status_label"]
        if row["attempts"] > 1:
            detail += f" after {row['attempts']} attempts"
        events.append(
            AuditEvent(
                when=row["created_at"],
                kind=EMAIL,
                what=f"To the {(recipient or 'recipient').lower()}: {subject.capitalize()}",
                detail=f"{detail}. Email “{template}”.",
            )
        )
    return events


def application_audit_trail(*, application: Application) -> list[AuditEvent]:
    """Every recorded event of ``application``, oldest first, in a fixed number of queries."""
    placements = list(
        Placement.objects.filter(application=application)
        .select_related("cohort__opportunity__organisation")
        .order_by("created_at", "pk")
    )
    checkers = {
        tick.get("by")
        for placement in placements
        for tick in placement.checks.values()
        if isinstance(tick, dict) and isinstance(tick.get("by"), int)
    }
    people = {user.pk: user for user in User.objects.filter(pk__in=checkers)} if checkers else {}
    changes = list(
        StatusChange.objects.filter(application=application).select_related("actor").order_by("created_at", "pk")
    )
    events = [
        *_status_events(changes),
        *_endorsement_events(application),
        *[event for placement in placements for event in _placement_events(placement, people, changes)],
        *_email_events(application, [placement.pk for placement in placements]),
    ]
    order = {STATUS_CHANGE: 1, MATCH: 0, HOST_DECISION: 0, CHECK: 0, ENDORSEMENT: 0, EMAIL: 2}
    return sorted(events, key=lambda event: (event.when, order[event.kind]))
