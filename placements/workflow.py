"""The one table of application statuses and the moves between them.

Every step of the journey (apply, consent, match, offer, accept, host, finish) is a status of the
student's application; the placement row says *which* cohort. ``transition()`` is the only way a
status changes: it is a conditional UPDATE (someone else moving first makes it a ``StaleTransition``)
and it writes a ``StatusChange`` row, which is the timeline the student sees and the audit trail.
"""

from django.db import models


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    AWAITING_CONSENT = "awaiting_consent", "Waiting for parent or guardian consent"
    READY_FOR_MATCHING = "ready_for_matching", "Ready for matching"
    MATCHED = "matched", "Matched: waiting for the host to approve"
    OFFERED = "offered", "Offered"
    ACCEPTED = "accepted", "Accepted"
    CONFIRMED = "confirmed", "Confirmed"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    DID_NOT_ATTEND = "did_not_attend", "Did not attend"
    UNSUCCESSFUL = "unsuccessful", "Not placed this round"
    DECLINED = "declined", "Offer declined"
    EXPIRED = "expired", "Offer expired"
    WITHDRAWN = "withdrawn", "Withdrawn"
    CANCELLED_BY_HOST = "cancelled_by_host", "Cancelled by the host"
    CANCELLED_BY_STUDENT = "cancelled_by_student", "Cancelled by you"


S = Status
TRANSITIONS: dict[Status, frozenset[Status]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.SUBMITTED: frozenset({S.AWAITING_CONSENT, S.READY_FOR_MATCHING, S.WITHDRAWN, S.UNSUCCESSFUL}),
    S.AWAITING_CONSENT: frozenset({S.READY_FOR_MATCHING, S.WITHDRAWN, S.UNSUCCESSFUL}),
    # A student who corrects their date of birth to under 18 after submitting waits for consent like everyone else.
    # Once matched they can no longer change their answers, so MATCHED and later never need this move.
    S.READY_FOR_MATCHING: frozenset({S.MATCHED, S.AWAITING_CONSENT, S.UNSUCCESSFUL, S.WITHDRAWN}),
    # A host who declines a match sends the application back to the pool for the next run.
    S.MATCHED: frozenset({S.OFFERED, S.READY_FOR_MATCHING, S.WITHDRAWN, S.UNSUCCESSFUL}),
    S.OFFERED: frozenset({S.ACCEPTED, S.DECLINED, S.EXPIRED, S.WITHDRAWN, S.CANCELLED_BY_HOST}),
    S.ACCEPTED: frozenset({S.CONFIRMED, S.CANCELLED_BY_HOST, S.CANCELLED_BY_STUDENT}),
    S.CONFIRMED: frozenset({S.IN_PROGRESS, S.DID_NOT_ATTEND, S.CANCELLED_BY_HOST, S.CANCELLED_BY_STUDENT}),
    S.IN_PROGRESS: frozenset({S.COMPLETED, S.CANCELLED_BY_HOST, S.CANCELLED_BY_STUDENT}),
    S.COMPLETED: frozenset(),
    S.DID_NOT_ATTEND: frozenset(),
    S.UNSUCCESSFUL: frozenset(),
    S.DECLINED: frozenset(),
    S.EXPIRED: frozenset(),
    S.WITHDRAWN: frozenset(),
    S.CANCELLED_BY_HOST: frozenset(),
    S.CANCELLED_BY_STUDENT: frozenset(),
}

TERMINAL = frozenset(status for status, moves in TRANSITIONS.items() if not moves)
OPEN = frozenset(Status) - TERMINAL
# Before matching has touched it, a student may still change their answers.
EDITABLE = frozenset({S.DRAFT, S.SUBMITTED, S.AWAITING_CONSENT, S.READY_FOR_MATCHING})
# Statuses in which the student holds (or is being offered) a seat.
HOLDS_PLACE = frozenset({S.ACCEPTED, S.CONFIRMED, S.IN_PROGRESS})
# Ended without a place: not placed by the round's outcome date, an offer the student declined, or one that expired.
# Such a student may book first-come places on college sessions open to students (training, step 9).
ENDED_WITHOUT_PLACE = frozenset({S.UNSUCCESSFUL, S.DECLINED, S.EXPIRED})
WITHDRAWABLE = frozenset(s for s in OPEN if S.WITHDRAWN in TRANSITIONS[s] or S.CANCELLED_BY_STUDENT in TRANSITIONS[s])

# Labels are written for the student ("Cancelled by you"). Tutors and hosts read the same status from outside.
STAFF_LABELS = {S.CANCELLED_BY_STUDENT: "Cancelled by the student"}


def staff_label(status: str) -> str:
    """The status as a tutor or a host coordinator should read it (a value that is no status comes back as it is)."""
    return _STAFF_LABEL_OF.get(status, status)


# Worked out once: lists and exports ask for a label on every row (Status.values builds a list per call).
_STAFF_LABEL_OF = {status.value: STAFF_LABELS.get(status, status.label) for status in Status}


STAFF_CHOICES = [(status.value, staff_label(status)) for status in Status]


class InvalidTransition(Exception):
    """The move is not in the table (a bug, or a stale page): shown as a message, never a 500."""

    def __init__(self, current: str, target: str):
        super().__init__(
            f"An application that is {Status(current).label.lower()} cannot become {Status(target).label.lower()}."
        )


class StaleTransition(Exception):
    """Someone else changed the status first."""

    def __init__(self):
        super().__init__("This application changed while you were looking at it. Refresh the page and try again.")


def can_transition(current: str, target: str) -> bool:
    return Status(target) in TRANSITIONS[Status(current)]


def mermaid_diagram() -> str:
    """The state diagram for docs/workflow.md, generated from the table so the two never disagree."""
    lines = ["stateDiagram-v2", "    [*] --> draft"]
    for source, targets in TRANSITIONS.items():
        for target in sorted(targets):
            lines.append(f"    {source.value} --> {target.value}")
    lines += [f"    {status.value} --> [*]" for status in sorted(TERMINAL)]
    return "\n".join(lines)
