"""Scheduled emails to students: offer reminders and expiry, joining reminders, feedback requests, round outcomes.

No job looks for "exactly N days from today". Each selects everything inside its window that is due and has
no outbox row yet (the dedupe key names what was sent), so a run that is late, repeated or overlapping sends
each email once and skips nothing. Dates are Europe/London local dates. Every function takes ``now`` or
``today`` so tests can move the clock without mocking.
"""

from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone

from notifications.models import EmailCategory, OutboundEmail
from notifications.outbox import absolute_url, email_enqueue
from placements.models import Application, Placement, Round
from placements.services.backfill import placement_release
from placements.services.bulk import in_chunks
from placements.services.workflow import application_transition
from placements.templatetags import wording
from placements.workflow import StaleTransition, Status

REMIND_OFFER_WITHIN = timedelta(hours=48)
REMIND_START_WITHIN_DAYS = 2
# Asking about a placement from months ago would puzzle more than help, and keeps a first run quiet.
FEEDBACK_WITHIN_DAYS = 30

# Not placed (yet): on the round's outcome date these become "not placed this round".
UNPLACED = (Status.SUBMITTED, Status.AWAITING_CONSENT, Status.READY_FOR_MATCHING, Status.MATCHED)
STARTING = (Status.ACCEPTED, Status.CONFIRMED)
FEEDBACK_DUE = (Status.CONFIRMED, Status.IN_PROGRESS, Status.COMPLETED)
# While an application is still in matching, a tutor's endorsement can change where it lands.
ENDORSABLE = UNPLACED


def _other_options_url() -> str:
    # Students left without a place (not placed, offer expired) book first-come college sessions there (step 9);
    # the placement finder would only offer "Add to my choices" on an application that can no longer change.
    return absolute_url(reverse("training:student-sessions"))


def unsent_only[T](items: Iterable[T], key: Callable[[T], str]) -> list[T]:
    """The items whose email (named by ``key(item)``) is not in the outbox yet: one query per chunk, not per item."""
    items = list(items)
    keys = [key(item) for item in items]
    sent: set[str] = set()
    for chunk in in_chunks(keys):
        sent.update(OutboundEmail.objects.filter(dedupe_key__in=chunk).values_list("dedupe_key", flat=True))
    return [item for item, item_key in zip(items, keys, strict=True) if item_key not in sent]


# --- Students: offers, joining, feedback ------------------------------------------------------------------


def _placement_key(template: str, placement: Placement) -> str:
    # ":application:<pk>" lets account erasure find every email about the student.
    return f"{template}:placement:{placement.pk}:application:{placement.application_id}"


def _current_placements():
    return Placement.objects.filter(released_at__isnull=True).select_related(
        "application__student",
        "application__round",
        "cohort__opportunity__organisation",
        "cohort__opportunity__site",
        "cohort__opportunity__department",
    )


def _email_about_placement(placement: Placement, template: str, category=EmailCategory.TRANSACTIONAL, **context):
    application, cohort = placement.application, placement.cohort
    return email_enqueue(
        dedupe_key=_placement_key(template, placement),
        template=template,
        to_email=application.student.email,
        recipient=application.student,
        category=category,
        context={
            "application": application,
            "placement": placement,
            "cohort": cohort,
            "opportunity": cohort.opportunity,
            "dashboard_url": absolute_url(reverse("placements:student-home")),
            **context,
        },
    )


def offers_remind_expiring(*, now: datetime | None = None) -> int:
    """Remind each student whose offer runs out within 48 hours, once. Returns how many emails were queued."""
    now = now or timezone.now()
    due = _current_placements().filter(
        application__status=Status.OFFERED, offer_expires_at__gt=now, offer_expires_at__lte=now + REMIND_OFFER_WITHIN
    )
    due = unsent_only(due, lambda placement: _placement_key("student_offer_expiring", placement))
    for placement in due:
        _email_about_placement(placement, "student_offer_expiring")
    return len(due)


def offer_expire(*, placement: Placement, now: datetime | None = None) -> bool:
    """Expire one unanswered offer past its deadline: release the place (queues a backfill) and tell the student.

    Returns False if the student answered first: the conditional transition decides, so accepting and
    expiring can never both win.
    """
    now = now or timezone.now()
    if placement.released_at or placement.offer_expires_at is None or placement.offer_expires_at > now:
        return False
    deadline = timezone.localtime(placement.offer_expires_at)
    try:
        with transaction.atomic():
            application_transition(
                application=placement.application,
                to=Status.EXPIRED,
                actor=None,
                expected=Status.OFFERED,
                reason=f"Offer not answered by {wording.deadline(deadline)}",
            )
            placement_release(placement=placement, reason="expired")
            _email_about_placement(placement, "student_offer_expired", options_url=_other_options_url())
    except StaleTransition:
        return False
    return True


def offers_expire(*, now: datetime | None = None) -> int:
    """Expire every offer past its deadline that the student has not answered. Returns how many expired."""
    now = now or timezone.now()
    due = _current_placements().filter(application__status=Status.OFFERED, offer_expires_at__lte=now)
    return sum(offer_expire(placement=placement, now=now) for placement in list(due))


def placements_remind_start(*, today: date | None = None) -> int:
    """Tell each student with an accepted or confirmed place starting within 2 days what to bring and where to go."""
    today = today or timezone.localdate()
    due = _current_placements().filter(
        application__status__in=STARTING,
        cohort__start_date__gte=today,
        cohort__start_date__lte=today + timedelta(days=REMIND_START_WITHIN_DAYS),
    )
    due = unsent_only(due, lambda placement: _placement_key("student_placement_starting", placement))
    for placement in due:
        _email_about_placement(placement, "student_placement_starting")
    return len(due)


def placements_request_feedback(*, today: date | None = None) -> int:
    """Ask each student whose placement has ended how it went, once (a reminder they can switch off)."""
    today = today or timezone.localdate()
    due = _current_placements().filter(
        application__status__in=FEEDBACK_DUE,
        application__student__digest_emails=True,
        cohort__end_date__lt=today,
        cohort__end_date__gte=today - timedelta(days=FEEDBACK_WITHIN_DAYS),
    )
    due = unsent_only(due, lambda placement: _placement_key("student_feedback_request", placement))
    for placement in due:
        _email_about_placement(placement, "student_feedback_request", category=EmailCategory.DIGEST)
    return len(due)


# --- Round outcomes ---------------------------------------------------------------------------------------

OUTCOME_KEY_PREFIX = "student_round_outcome:application:"
# Why the email says we could not place them; anyone else simply did not get a place.
OUTCOME_REASONS = {Status.AWAITING_CONSENT: "no_consent", Status.MATCHED: "not_confirmed"}


def _awaiting_outcome():
    """Applications still unplaced, or already unsuccessful but never told: both need an outcome email."""
    told = OutboundEmail.objects.filter(dedupe_key=OuterRef("outcome_key"))
    return Application.objects.annotate(
        outcome_key=Concat(Value(OUTCOME_KEY_PREFIX), Cast("pk", CharField()), output_field=CharField())
    ).filter(Q(status__in=UNPLACED) | Q(status=Status.UNSUCCESSFUL) & ~Exists(told))


def rounds_awaiting_outcomes(*, today: date | None = None):
    """Rounds whose outcome date has arrived and that still have an applicant without an answer."""
    today = today or timezone.localdate()
    return Round.objects.filter(outcomes_by__lte=today).filter(Exists(_awaiting_outcome().filter(round=OuterRef("pk"))))


def round_send_outcomes(*, round_: Round, today: date | None = None) -> int:
    """From the outcome date, move every unplaced application to unsuccessful and tell each applicant, once.

    Matched applications whose host did not decide in time lose their provisional place ("round_closed").
    Offers still open are left to the offer deadline. Returns how many outcome emails were queued.
    """
    today = today or timezone.localdate()
    if today < round_.outcomes_by:
        return 0
    context = {
        "round": round_,
        "today": today,
        "next_round": Round.objects.filter(applications_close_on__gte=today)
        .exclude(pk=round_.pk)
        .order_by("applications_open_on")
        .first(),
        "options_url": _other_options_url(),
    }
    ids = list(_awaiting_outcome().filter(round=round_).order_by("pk").values_list("pk", flat=True))
    sent = 0
    for chunk in in_chunks(ids):
        for application in Application.objects.filter(pk__in=chunk).select_related("student"):
            sent += _application_close_unplaced(application, context)
    return sent


def _application_close_unplaced(application: Application, context: dict) -> bool:
    reason = OUTCOME_REASONS.get(application.status, "no_place")
    try:
        with transaction.atomic():
            if application.status in UNPLACED:
                _move_to_unsuccessful(application)
            email_enqueue(
                dedupe_key=f"{OUTCOME_KEY_PREFIX}{application.pk}",
                template="student_round_outcome",
                to_email=application.student.email,
                recipient=application.student,
                context={"application": application, "reason": reason, **context},
            )
    except StaleTransition:
        return False  # it moved (offered, withdrawn) since we looked; the next run sees where it stands
    return True


def _move_to_unsuccessful(application: Application) -> None:
    status = Status(application.status)
    reason = (
        "The round closed before the host decided"
        if status == Status.MATCHED
        else "Not placed by the round's outcome date"
    )
    placement = application.placements.filter(released_at__isnull=True).select_related("application__round").first()
    if placement is not None:
        # The round is over: nobody is left to take the seat, so no backfill run.
        placement_release(placement=placement, reason="round_closed", backfill=False)
    application_transition(application=application, to=Status.UNSUCCESSFUL, actor=None, expected=status, reason=reason)
