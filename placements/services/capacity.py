"""Business rules for what hosts offer: places on cohorts, confirming, closing and copying opportunities.

Every service checks permission first, so no admin page, import or task can skip it. Changes that reach
students (new dates, fewer places, closing) are in ``cohort_changes``.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from placements.models import Cohort, Opportunity, OpportunityStatus, Placement, Round
from placements.permissions import ensure_can_manage_opportunity
from placements.services.cohort_changes import places_already_booked, places_promised, round_problem
from placements.services.finder_listing import listings_refresh_on_commit
from placements.workflow import Status

MAX_PLACES = 500
MAX_WEEKLY_SPAN = timedelta(weeks=52)
MAX_COHORT_WEEKDAYS = 10

COHORT_GONE = "These dates have been deleted by someone else."
PLACES_OUT_OF_RANGE = f"Places must be a whole number from 0 to {MAX_PLACES}."
WEEKLY_LENGTH_OUT_OF_RANGE = f"Length must be from 1 to {MAX_COHORT_WEEKDAYS} weekdays."
WEEKLY_PLACES_OUT_OF_RANGE = f"Places must be from 1 to {MAX_PLACES}."
WEEKLY_NOTICE_NEGATIVE = "The number of days before the start cannot be negative."
WEEKLY_FIRST_NOT_IN_FUTURE = "The first start date must be in the future."
WEEKLY_FIRST_ON_WEEKEND = "The first start date is a Saturday or Sunday. Choose a weekday."
WEEKLY_LAST_BEFORE_FIRST = "The last start date must be the same as or after the first start date."
WEEKLY_TOO_LONG = "That is more than 52 weeks. Choose a last start date within a year of the first."
WEEKLY_DEADLINE_PASSED = (
    "The first application deadline would be {deadline:%-d %B %Y}, which has already passed. "
    "Choose a later first start date or fewer days before the start."
)
COPY_PREFIX = "Copy of "


def _offers_waiting(cohort_pk: int) -> int:
    return Placement.objects.filter(
        cohort_id=cohort_pk, released_at__isnull=True, booked_seat=False, application__status=Status.OFFERED
    ).count()


def cohort_set_capacity(*, actor: User, cohort: Cohort, capacity: int) -> Cohort:
    """Set a cohort's places, never below what is booked or promised by an unanswered offer: a booking
    made at the same moment wins.

    The cohort row is locked (as approving a match does), and one conditional UPDATE does the write; if it
    changes no row the places were too few, and a ``ValidationError`` on ``capacity`` says how many are booked.
    Records a history row.
    """
    ensure_can_manage_opportunity(actor, cohort.opportunity)
    if not isinstance(capacity, int) or not 0 <= capacity <= MAX_PLACES:
        raise ValidationError({"capacity": ValidationError(PLACES_OUT_OF_RANGE, code="out_of_range")})
    stored = Cohort.objects.filter(pk=cohort.pk).values("capacity", "booked").first()
    if stored is None:
        raise ValidationError(COHORT_GONE, code="gone")
    if stored["capacity"] == capacity and stored["booked"] <= capacity:
        cohort.capacity, cohort.booked = capacity, stored["booked"]
        return cohort
    with transaction.atomic():
        stored = Cohort.objects.select_for_update().filter(pk=cohort.pk).values("capacity", "booked").first()
        if stored is None:
            raise ValidationError(COHORT_GONE, code="gone")
        if capacity < stored["capacity"] and stored["booked"] <= capacity:
            offered = _offers_waiting(cohort.pk)
            if capacity < stored["booked"] + offered:
                message = places_promised(stored["booked"], offered)
                raise ValidationError({"capacity": ValidationError(message, code="below_promised")})
        changed = Cohort.objects.filter(pk=cohort.pk, booked__lte=capacity).update(capacity=capacity)
        if changed != 1:
            booked = Cohort.objects.filter(pk=cohort.pk).values_list("booked", flat=True).first()
            if booked is None:
                raise ValidationError(COHORT_GONE, code="gone")
            raise ValidationError({"capacity": ValidationError(places_already_booked(booked), code="below_booked")})
        cohort.refresh_from_db(fields=["capacity", "booked"])
        Cohort.history.bulk_history_create([cohort], update=True, default_user=actor)
        listings_refresh_on_commit([cohort.opportunity_id])
    return cohort


def opportunity_confirm_capacity(*, actor: User, opportunity: Opportunity, today: date | None = None) -> Opportunity:
    """Record that the places are still accurate today, so a published opportunity shows to students again."""
    ensure_can_manage_opportunity(actor, opportunity)
    today = today or timezone.localdate()
    if opportunity.last_confirmed_on == today:
        return opportunity
    opportunity.last_confirmed_on = today
    opportunity._history_user = actor
    opportunity.save(update_fields=["last_confirmed_on", "updated_at"])
    return opportunity


# Everything else is copied; a new field is copied too unless it is listed here.
_NOT_COPIED = {
    "id",
    "title",
    "status",
    "last_confirmed_on",
    "created_at",
    "updated_at",
    "listed_next_start",  # the finder's listing is the copy's own (services/finder_listing.py)
    "listed_until",
}


def opportunity_duplicate(*, actor: User, opportunity: Opportunity) -> Opportunity:
    """Copy an opportunity as a draft titled "Copy of …", without any cohorts (their dates and bookings
    belong to the original); the coordinator adds dates, then publishes."""
    ensure_can_manage_opportunity(actor, opportunity)
    values = {
        field.attname: getattr(opportunity, field.attname)
        for field in Opportunity._meta.concrete_fields
        if field.name not in _NOT_COPIED
    }
    values["required_vaccinations"] = list(opportunity.required_vaccinations or [])
    title_length = Opportunity._meta.get_field("title").max_length
    copy = Opportunity(
        **values,
        title=f"{COPY_PREFIX}{opportunity.title}"[:title_length],
        status=OpportunityStatus.DRAFT,
        last_confirmed_on=timezone.localdate(),
    )
    copy._history_user = actor
    copy.save()
    return copy


@dataclass(frozen=True, slots=True)
class CohortDates:
    start_date: date
    end_date: date
    application_deadline: date


def _add_weekdays(start: date, weekdays: int) -> date:
    """The last day of a run of ``weekdays`` weekdays beginning on ``start`` (itself a weekday)."""
    end, remaining = start, weekdays - 1
    while remaining:
        end += timedelta(days=1)
        if end.weekday() < 5:
            remaining -= 1
    return end


def weekly_cohort_plan(
    *,
    first_start: date,
    last_start: date,
    length_days: int,
    deadline_days_before: int,
    places: int,
    today: date | None = None,
) -> list[CohortDates]:
    """The dates of one cohort a week from ``first_start`` to ``last_start``; raises ``ValidationError``
    keyed by argument name, in plain English, when the plan cannot work."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    if not 1 <= length_days <= MAX_COHORT_WEEKDAYS:
        errors["length_days"] = WEEKLY_LENGTH_OUT_OF_RANGE
    if not 1 <= places <= MAX_PLACES:
        errors["places"] = WEEKLY_PLACES_OUT_OF_RANGE
    if deadline_days_before < 0:
        errors["deadline_days_before"] = WEEKLY_NOTICE_NEGATIVE
    if first_start.weekday() >= 5:
        errors["first_start"] = WEEKLY_FIRST_ON_WEEKEND
    if last_start < first_start:
        errors["last_start"] = WEEKLY_LAST_BEFORE_FIRST
    elif last_start - first_start > MAX_WEEKLY_SPAN:
        errors["last_start"] = WEEKLY_TOO_LONG
    if "first_start" not in errors and first_start <= today:
        errors["first_start"] = WEEKLY_FIRST_NOT_IN_FUTURE
    if "first_start" not in errors and "deadline_days_before" not in errors:
        first_deadline = first_start - timedelta(days=deadline_days_before)
        if first_deadline < today:
            errors["first_start"] = WEEKLY_DEADLINE_PASSED.format(deadline=first_deadline)
    if errors:
        raise ValidationError(errors, code="invalid_plan")
    plan, start = [], first_start
    while start <= last_start:
        plan.append(CohortDates(start, _add_weekdays(start, length_days), start - timedelta(days=deadline_days_before)))
        start += timedelta(weeks=1)
    return plan


def opportunity_create_weekly_cohorts(
    *,
    actor: User,
    opportunity: Opportunity,
    first_start: date,
    last_start: date,
    length_days: int,
    places: int,
    deadline_days_before: int,
    today: date | None = None,
) -> list[Cohort]:
    """Create one cohort a week with ``places`` places each; a start date the opportunity already has is
    skipped, so running it twice adds nothing. Returns the cohorts created."""
    ensure_can_manage_opportunity(actor, opportunity)
    plan = weekly_cohort_plan(
        first_start=first_start,
        last_start=last_start,
        length_days=length_days,
        deadline_days_before=deadline_days_before,
        places=places,
        today=today,
    )
    rounds = list(Round.objects.all())
    for dates in plan:
        problem = round_problem(rounds=rounds, start_date=dates.start_date, end_date=dates.end_date)
        if problem is not None:
            message = " ".join(problem.messages)
            raise ValidationError(f"The cohort starting {dates.start_date:%-d %B %Y}: {message}", code="outside_round")
    with transaction.atomic():
        # Lock the opportunity so two runs at once cannot both see a start date as free.
        Opportunity.objects.select_for_update().filter(pk=opportunity.pk).first()
        taken = set(opportunity.cohorts.values_list("start_date", flat=True))
        new = [
            Cohort(
                opportunity=opportunity,
                start_date=d.start_date,
                end_date=d.end_date,
                capacity=places,
                application_deadline=d.application_deadline,
            )
            for d in plan
            if d.start_date not in taken
        ]
        listings_refresh_on_commit([opportunity.pk])  # bulk_create sends no post_save
        return bulk_create_with_history(new, Cohort, default_user=actor) if new else []
