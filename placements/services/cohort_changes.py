"""Changes to a cohort or an opportunity that reach students who hold, or are offered, a place in it.

What counts as affecting a student, and what happens to them (ADR 0006, "Changes that affect students"):

- **New dates** (start or end) affect every student with a current placement in the cohort: matched, offered,
  accepted, confirmed or in progress. They keep their place, match or offer on the new dates; each is emailed
  the old and new dates and what they can do (decline an offer, cancel a place) if the dates do not suit them.
- **Fewer places**: never below the seats booked or promised by an unanswered offer (refused outright by
  ``cohort_set_capacity``). Below that plus the matches waiting for the host's decision, the matched students
  are affected: their match stays, but not every match can be approved; each is emailed.
- **Moving an opportunity to another site** affects every student with a current placement on it: they
  keep their place, offer or match at the new site; each is emailed the old and new site.
- **Closing an opportunity** stops new applications; places, offers and matches already made stand. Every
  student with a current placement on it is emailed.
- A cohort's dates always lie within its round: the round its current dates are in, and the round of every
  application placed in it. Dates that overlap a round's placement window must lie wholly inside it.

A change that affects students is made only once the person making it has seen exactly who (the placement ids
in ``confirmed``); otherwise the service raises ``ChangeNeedsConfirmation`` listing them and changes nothing.
"""

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse

from accounts.models import User
from notifications.outbox import absolute_url, email_enqueue
from placements.models import Cohort, Opportunity, OpportunityStatus, Placement, Round, Site
from placements.permissions import ensure_can_manage_opportunity
from placements.services.finder_listing import listings_refresh_on_commit
from placements.workflow import Status

# A student with a placement in one of these statuses holds, is offered or is matched to a seat.
CURRENT = (Status.MATCHED, Status.OFFERED, Status.ACCEPTED, Status.CONFIRMED, Status.IN_PROGRESS)
HOLDING = (Status.ACCEPTED, Status.CONFIRMED, Status.IN_PROGRESS)
EMAIL_TEMPLATE = "student_placement_changed"

COHORT_GONE = "These dates have been deleted by someone else."
PLACES_BOOKED_MEANWHILE = "Places were booked on some of these dates while you were importing. Nothing was changed."
MOVED_WITH_PLACEMENTS = (
    "Students have been matched to these dates, so they cannot move to another opportunity. "
    "Add the dates to the other opportunity instead."
)


def _day(value: date) -> str:
    return f"{value:%-d %B %Y}"


def outside_round_message(round_: Round) -> str:
    return (
        f"These dates are outside {round_.name}, which this cohort belongs to: its placements run from "
        f"{_day(round_.placements_from)} to {_day(round_.placements_to)}. Choose dates in that window, or add "
        "new dates for another round."
    )


def across_round_edge_message(round_: Round) -> str:
    return (
        f"These dates run over the edge of {round_.name}, whose placements run from "
        f"{_day(round_.placements_from)} to {_day(round_.placements_to)}. Choose dates wholly inside it "
        "(or wholly outside it), so students can be matched to them."
    )


@dataclass(frozen=True, slots=True)
class AffectedStudent:
    """One line of the confirmation page: who, where they stand, and what the change does to them."""

    placement_id: int
    name: str
    status: str
    cohort: str
    consequence: str


class ChangeNeedsConfirmation(Exception):
    """The change affects students nobody has confirmed yet; nothing was changed."""

    def __init__(self, affected: Iterable[AffectedStudent], changes: Iterable[str]):
        self.affected = sorted(set(affected), key=lambda a: (a.cohort, a.name.lower(), a.placement_id))
        self.changes = list(dict.fromkeys(changes))
        super().__init__(f"{len(self.affected)} students are affected by: {'; '.join(self.changes)}")

    @classmethod
    def combine(cls, pending: Iterable["ChangeNeedsConfirmation"]) -> "ChangeNeedsConfirmation":
        pending = list(pending)
        return cls([a for p in pending for a in p.affected], [c for p in pending for c in p.changes])

    @property
    def token(self) -> str:
        """What the confirmation page posts back: the placement ids it showed."""
        return ",".join(str(pk) for pk in sorted({a.placement_id for a in self.affected}))


def parse_confirmed(value: str | None) -> frozenset[int]:
    """The placement ids a confirmation page posted back; anything that is not an id is ignored."""
    parts = (part.strip() for part in (value or "").split(",")[:10_000])
    return frozenset(int(part) for part in parts if part.isascii() and part.isdigit() and len(part) < 19)


# --- rounds -----------------------------------------------------------------------------------------------


def _within(round_: Round, start: date, end: date) -> bool:
    return round_.placements_from <= start and end <= round_.placements_to


def round_problem(
    *,
    rounds: Iterable[Round],
    start_date: date,
    end_date: date,
    stored: tuple[date, date] | None = None,
    placement_round_ids: Collection[int] = (),
) -> ValidationError | None:
    """Why these dates do not fit the cohort's round, keyed by field; ``None`` when they fit.

    ``rounds`` are all rounds (few: one or two a year); ``stored`` the cohort's dates as saved;
    ``placement_round_ids`` the rounds of applications with a current placement in it.
    """
    rounds = list(rounds)
    own = [
        r for r in rounds if r.pk in placement_round_ids or (stored is not None and _within(r, stored[0], stored[1]))
    ]
    for round_ in own:
        if not _within(round_, start_date, end_date):
            return _on_date_field(round_, start_date, outside_round_message(round_))
    for round_ in rounds:
        overlaps = round_.placements_from <= end_date and start_date <= round_.placements_to
        if overlaps and not _within(round_, start_date, end_date):
            return _on_date_field(round_, start_date, across_round_edge_message(round_))
    return None


def _on_date_field(round_: Round, start_date: date, message: str) -> ValidationError:
    field = "start_date" if start_date < round_.placements_from else "end_date"
    return ValidationError({field: ValidationError(message, code="outside_round")})


def cohort_check_round(*, cohort_pk: int | None, start_date: date, end_date: date) -> None:
    """Raise ``ValidationError`` (on the date field) if the dates leave the cohort's round or straddle one."""
    if not start_date or not end_date or end_date < start_date:
        return
    stored = None
    placement_round_ids: set[int] = set()
    if cohort_pk:
        row = Cohort.objects.filter(pk=cohort_pk).values_list("start_date", "end_date").first()
        stored = tuple(row) if row else None
        placement_round_ids = set(
            Placement.objects.filter(
                cohort_id=cohort_pk, released_at__isnull=True, application__status__in=CURRENT
            ).values_list("application__round_id", flat=True)
        )
    problem = round_problem(
        rounds=Round.objects.all(),
        start_date=start_date,
        end_date=end_date,
        stored=stored,
        placement_round_ids=placement_round_ids,
    )
    if problem is not None:
        raise problem


# --- who is affected ----------------------------------------------------------------------------------------


def current_placements(cohort_ids: Iterable[int]) -> dict[int, list[Placement]]:
    """Current placements by cohort id, with what the confirmation page and the email need."""
    found: dict[int, list[Placement]] = {}
    placements = (
        Placement.objects.filter(
            cohort_id__in=list(cohort_ids), released_at__isnull=True, application__status__in=CURRENT
        )
        .select_related("application__student", "cohort__opportunity__organisation", "cohort__opportunity__site")
        .order_by("pk")
    )
    for placement in placements:
        found.setdefault(placement.cohort_id, []).append(placement)
    return found


def _name(placement: Placement) -> str:
    application = placement.application
    name = f"{application.first_name} {application.last_name}".strip()
    return name or application.student.get_full_name() or application.reference


def _cohort_label(cohort: Cohort, start: date | None = None, end: date | None = None) -> str:
    start, end = start or cohort.start_date, end or cohort.end_date
    return f"{cohort.opportunity.title}, {_day(start)} to {_day(end)}"


_DATES_CONSEQUENCE = {
    Status.MATCHED: "Their match moves to the new dates; you still decide whether to approve it.",
    Status.OFFERED: "Their offer moves to the new dates; they can still accept or decline it by its deadline.",
}
_HELD_DATES_CONSEQUENCE = "Keeps the place on the new dates, and can cancel it if the new dates do not suit them."
_CLOSE_CONSEQUENCE = {
    Status.MATCHED: "Their match stays, waiting for your decision. No new students can apply.",
    Status.OFFERED: "Their offer stands until its deadline. No new students can apply.",
}
_HELD_CLOSE_CONSEQUENCE = "Keeps the place: closing stops new applications only."
_PLACES_CONSEQUENCE = (
    "Their match stays, waiting for your decision, but with fewer places you cannot approve every match. "
    "Any you decline go back into matching."
)
EMAILED = " They are emailed."


def _affected(placement: Placement, consequence: str, cohort_label: str) -> AffectedStudent:
    return AffectedStudent(
        placement_id=placement.pk,
        name=_name(placement),
        status=Status(placement.application.status).label,
        cohort=cohort_label,
        consequence=consequence + EMAILED,
    )


def dates_affected(placements: Iterable[Placement], *, start_date: date, end_date: date) -> list[AffectedStudent]:
    result = []
    for placement in placements:
        application = placement.application
        consequence = _DATES_CONSEQUENCE.get(application.status, _HELD_DATES_CONSEQUENCE)
        free_from, free_to = application.available_from, application.available_to
        if (free_from and start_date < free_from) or (free_to and end_date > free_to):
            consequence += " The new dates are outside the dates they said they are free."
        result.append(_affected(placement, consequence, _cohort_label(placement.cohort)))
    return result


def places_affected(placements: Iterable[Placement], *, capacity: int, booked: int) -> list[AffectedStudent]:
    """Matched students whose matches cannot all be approved with ``capacity`` places (``booked`` taken)."""
    placements = list(placements)
    offered = sum(1 for p in placements if p.application.status == Status.OFFERED and not p.booked_seat)
    matched = [p for p in placements if p.application.status == Status.MATCHED]
    if capacity >= booked + offered + len(matched):
        return []
    return [_affected(p, _PLACES_CONSEQUENCE, _cohort_label(p.cohort)) for p in matched]


_SITE_CONSEQUENCE = {
    Status.MATCHED: "Their match moves to the new site; you still decide whether to approve it.",
    Status.OFFERED: "Their offer moves to the new site; they can still accept or decline it by its deadline.",
}
_HELD_SITE_CONSEQUENCE = "Keeps the place at the new site, and can cancel it if they cannot get there."


def site_affected(placements: Iterable[Placement]) -> list[AffectedStudent]:
    return [
        _affected(p, _SITE_CONSEQUENCE.get(p.application.status, _HELD_SITE_CONSEQUENCE), _cohort_label(p.cohort))
        for p in placements
    ]


def close_affected(placements: Iterable[Placement]) -> list[AffectedStudent]:
    return [
        _affected(p, _CLOSE_CONSEQUENCE.get(p.application.status, _HELD_CLOSE_CONSEQUENCE), _cohort_label(p.cohort))
        for p in placements
    ]


def _require_confirmation(affected: list[AffectedStudent], confirmed: Collection[int], change: str) -> None:
    if {a.placement_id for a in affected} - set(confirmed):
        raise ChangeNeedsConfirmation(affected, [change])


# --- changes ------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class CohortChange:
    """What saving new values on a cohort would do: a problem that stops it, or who it affects."""

    problem: ValidationError | None = None
    description: str = ""
    kind: str = ""  # "dates" or "places" when students are affected
    affected: list[AffectedStudent] = field(default_factory=list)


def cohort_change_plan(
    *,
    stored: Cohort,
    opportunity_id: int,
    start_date: date,
    end_date: date,
    capacity: int,
    placements: list[Placement],
    rounds: Iterable[Round],
    has_placements: bool,
) -> CohortChange:
    """Check new values against the cohort as stored (no queries: everything is passed in).

    ``placements`` are the current ones in the cohort (with their applications); ``has_placements`` says
    whether it has any at all, ended ones included.
    """
    if opportunity_id != stored.opportunity_id and has_placements:
        return CohortChange(ValidationError({"opportunity": ValidationError(MOVED_WITH_PLACEMENTS, code="moved")}))
    dates_moved = (start_date, end_date) != (stored.start_date, stored.end_date)
    if dates_moved:
        problem = round_problem(
            rounds=rounds,
            start_date=start_date,
            end_date=end_date,
            stored=(stored.start_date, stored.end_date),
            placement_round_ids={p.application.round_id for p in placements},
        )
        if problem is not None:
            return CohortChange(problem)
    if capacity < stored.booked:
        return CohortChange(_capacity_error(places_already_booked(stored.booked), "below_booked"))
    offered = sum(1 for p in placements if p.application.status == Status.OFFERED and not p.booked_seat)
    if capacity < stored.capacity and capacity < stored.booked + offered:
        return CohortChange(_capacity_error(places_promised(stored.booked, offered), "below_promised"))
    for placement in placements:
        placement.cohort = stored
    if dates_moved:
        return CohortChange(
            description=f"new dates for {_cohort_label(stored)}: {_day(start_date)} to {_day(end_date)}",
            kind="dates",
            affected=dates_affected(placements, start_date=start_date, end_date=end_date),
        )
    if capacity < stored.capacity:
        return CohortChange(
            description=f"fewer places on {_cohort_label(stored)}: {capacity} instead of {stored.capacity}",
            kind="places",
            affected=places_affected(placements, capacity=capacity, booked=stored.booked),
        )
    return CohortChange()


def _capacity_error(message: str, code: str) -> ValidationError:
    return ValidationError({"capacity": ValidationError(message, code=code)})


def places_already_booked(booked: int) -> str:
    places = "place is" if booked == 1 else "places are"
    return f"{booked} {places} already booked. Places cannot be fewer than {booked}."


def places_promised(booked: int, offered: int) -> str:
    offers = "1 student has" if offered == 1 else f"{offered} students have"
    held = f"{booked} booked and " if booked else ""
    return (
        f"{held}{offers} an offer they have not answered yet. Places cannot be fewer than {booked + offered} "
        "until they answer or their offers end."
    )


def cohort_update(
    *,
    actor: User,
    cohort: Cohort,
    opportunity: Opportunity,
    start_date: date,
    end_date: date,
    application_deadline: date,
    capacity: int,
    confirmed: Collection[int] = (),
    rounds: list[Round] | None = None,
) -> Cohort:
    """Save a cohort's opportunity, dates and places, with the rules above; emails each affected student.

    Raises ``ValidationError`` keyed by field, or ``ChangeNeedsConfirmation`` (changing nothing) when students
    are affected who are not in ``confirmed``. ``rounds`` may be passed preloaded (import).
    """
    from placements.services.capacity import cohort_set_capacity

    with transaction.atomic():
        # Locked as approving a match locks it, so nobody is matched or offered a seat while we look.
        stored = Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
        if stored is None:
            raise ValidationError(COHORT_GONE, code="gone")
        ensure_can_manage_opportunity(actor, stored.opportunity)
        if opportunity.pk != stored.opportunity_id:
            ensure_can_manage_opportunity(actor, opportunity)
        placements = current_placements([cohort.pk]).get(cohort.pk, [])
        plan = cohort_change_plan(
            stored=stored,
            opportunity_id=opportunity.pk,
            start_date=start_date,
            end_date=end_date,
            capacity=capacity,
            placements=placements,
            rounds=Round.objects.all() if rounds is None else rounds,
            has_placements=bool(placements) or Placement.objects.filter(cohort_id=cohort.pk).exists(),
        )
        if plan.problem is not None:
            raise plan.problem
        _require_confirmation(plan.affected, confirmed, plan.description)

        old_dates = (stored.start_date, stored.end_date)
        cohort.opportunity = opportunity
        cohort.start_date, cohort.end_date, cohort.application_deadline = start_date, end_date, application_deadline
        changed = [
            name
            for name in ("opportunity_id", "start_date", "end_date", "application_deadline")
            if getattr(cohort, name) != getattr(stored, name)
        ]
        if changed:
            cohort._history_user = actor
            cohort.save(update_fields=[name.removesuffix("_id") for name in changed])
            # The save's signal refreshes the new opportunity's finder listing; the one it may have left, here.
            listings_refresh_on_commit([stored.opportunity_id])
        cohort_set_capacity(actor=actor, cohort=cohort, capacity=capacity)
        if plan.affected:
            event = cohort.history.order_by("-history_id").values_list("history_id", flat=True).first()
            by_id = {p.pk: p for p in placements}
            for placement in placements:
                placement.cohort = cohort
            for one in plan.affected:
                _email(by_id[one.placement_id], kind=plan.kind, event=f"cohort:{event}", old_dates=old_dates)
    return cohort


UPDATED_FIELDS = ["opportunity", "start_date", "end_date", "application_deadline", "capacity"]


def cohorts_update_unaffected(*, actor: User, cohorts: list[Cohort], batch_size: int = 500) -> None:
    """Save many changed cohorts (new values set on them) that no student's place depends on, in batches.

    The import's common case. The same rules as ``cohort_update``, checked with the rows locked; raises
    ``ValidationError`` naming the cohort when one breaks a rule, or ``ChangeNeedsConfirmation`` when a change
    now affects students (someone was matched, offered or placed since the caller looked).
    """
    rounds = list(Round.objects.all())
    for start in range(0, len(cohorts), batch_size):
        batch = cohorts[start : start + batch_size]
        ids = [c.pk for c in batch]
        with transaction.atomic():
            stored = {
                c.pk: c
                for c in Cohort.objects.select_for_update(of=("self",))
                .filter(pk__in=ids)
                .select_related("opportunity__organisation")
            }
            opportunities = {c.opportunity_id: c.opportunity for c in stored.values()}
            opportunities.update({c.opportunity_id: c.opportunity for c in batch})
            for opportunity in opportunities.values():
                ensure_can_manage_opportunity(actor, opportunity)
            placements = current_placements(ids)
            with_any = set(Placement.objects.filter(cohort_id__in=ids).values_list("cohort_id", flat=True))
            pending = []
            for cohort in batch:
                if cohort.pk not in stored:
                    raise ValidationError(f"Cohort {cohort.pk}: {COHORT_GONE}", code="gone")
                plan = cohort_change_plan(
                    stored=stored[cohort.pk],
                    opportunity_id=cohort.opportunity_id,
                    start_date=cohort.start_date,
                    end_date=cohort.end_date,
                    capacity=cohort.capacity,
                    placements=placements.get(cohort.pk, []),
                    rounds=rounds,
                    has_placements=cohort.pk in with_any,
                )
                if plan.problem is not None:
                    raise ValidationError(f"Cohort {cohort.pk}: {' '.join(plan.problem.messages)}", code="invalid")
                if plan.affected:
                    pending.append(ChangeNeedsConfirmation(plan.affected, [plan.description]))
            if pending:
                raise ChangeNeedsConfirmation.combine(pending)
            _write(batch)
            Cohort.history.bulk_history_create(batch, update=True, default_user=actor)
            listings_refresh_on_commit(opportunities)  # both the ones cohorts left and the ones they joined


def _write(batch: list[Cohort]) -> None:
    """One parameterised UPDATE per cohort, sent as a batch (Django's ``bulk_update`` builds a CASE per field
    per row, which costs seconds in Python for thousands of rows). Places only where ``booked`` still fits,
    as ``cohort_set_capacity`` does, so a booking made meanwhile stops the whole import."""
    meta = Cohort._meta
    columns = [meta.get_field(name).column for name in UPDATED_FIELDS]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(column)} = %s" for column in columns)
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote('id')} = %s AND {quote('booked')} <= %s"  # noqa: S608 — names from the model
    rows = [
        (c.opportunity_id, c.start_date, c.end_date, c.application_deadline, c.capacity, c.pk, c.capacity)
        for c in batch
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
        written = cursor.rowcount
    if written != len(batch):
        raise ValidationError(PLACES_BOOKED_MEANWHILE, code="booked_meanwhile")


def opportunity_close(*, actor: User, opportunity: Opportunity, confirmed: Collection[int] = ()) -> Opportunity:
    """Close an opportunity: students can no longer find it or apply. Places, offers and matches already made
    stand; each student who has one is told, once the person closing it has confirmed who they are."""
    ensure_can_manage_opportunity(actor, opportunity)
    if opportunity.status == OpportunityStatus.CLOSED:
        return opportunity
    with transaction.atomic():
        cohort_ids = list(Cohort.objects.filter(opportunity=opportunity).values_list("pk", flat=True))
        placements = [p for ps in current_placements(cohort_ids).values() for p in ps]
        affected = close_affected(placements)
        _require_confirmation(affected, confirmed, f"close {opportunity.title}")
        opportunity.status = OpportunityStatus.CLOSED
        opportunity._history_user = actor
        opportunity.save(update_fields=["status", "updated_at"])
        event = opportunity.history.order_by("-history_id").values_list("history_id", flat=True).first()
        for placement in placements:
            _email(placement, kind="closed", event=f"opportunity:{event}")
    return opportunity


def opportunity_site_moved(
    *, actor: User, opportunity: Opportunity, old_site_id: int, confirmed: Collection[int] = ()
) -> None:
    """Tell each student with a current placement that the opportunity has moved from ``old_site_id``.

    Call it in the transaction that saves the new site: it raises ``ChangeNeedsConfirmation`` (which rolls
    the move back) unless every such student is in ``confirmed``.
    """
    ensure_can_manage_opportunity(actor, opportunity)
    if opportunity.site_id == old_site_id:
        return
    cohort_ids = list(Cohort.objects.filter(opportunity=opportunity).values_list("pk", flat=True))
    placements = [p for ps in current_placements(cohort_ids).values() for p in ps]
    old_site = Site.objects.get(pk=old_site_id)
    description = f"move {opportunity.title} from {old_site.name} to {opportunity.site.name}"
    _require_confirmation(site_affected(placements), confirmed, description)
    event = opportunity.history.order_by("-history_id").values_list("history_id", flat=True).first()
    for placement in placements:
        placement.cohort.opportunity = opportunity
        _email(placement, kind="site", event=f"opportunity:{event}", old_site=old_site)


def _email(
    placement: Placement,
    *,
    kind: str,
    event: str,
    old_dates: tuple[date, date] | None = None,
    old_site: Site | None = None,
) -> None:
    application = placement.application
    student = application.student
    cohort = placement.cohort
    email_enqueue(
        dedupe_key=f"{EMAIL_TEMPLATE}:placement:{placement.pk}:{kind}:{event}",
        template=EMAIL_TEMPLATE,
        to_email=student.email,
        recipient=student,
        context={
            "application": application,
            "placement": placement,
            "kind": kind,
            "status": application.status,
            "holds_place": application.status in HOLDING,
            "opportunity": cohort.opportunity,
            "organisation": cohort.opportunity.organisation,
            "cohort": cohort,
            "old_start": old_dates[0] if old_dates else None,
            "old_end": old_dates[1] if old_dates else None,
            "old_site": old_site,
            "site": cohort.opportunity.site,
            "dashboard_url": absolute_url(reverse("placements:student-home")),
        },
    )
