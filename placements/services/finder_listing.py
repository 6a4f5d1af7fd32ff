"""The finder's stored listing: each opportunity's next open start date, kept so the finder can order and count
from an index instead of grouping every opportunity's cohorts on every request (issue 15).

``Opportunity.listed_next_start`` is the earliest start date of its open cohorts while students can find it (what
``opportunities_for_finder`` with no filters calls ``next_start``), None when they cannot. ``listed_until`` is the
last day on which that stays right by the passage of time alone: the day before its first open cohort stops being
open (its deadline, or the day before it starts) or its last "still accurate" day, whichever comes first.

Who keeps it right:
- every writer of cohorts and of the fields that decide listing, after its transaction commits
  (``listings_refresh_on_commit``: signals for ``save()``/``delete()``, one call in each ``update()``/bulk writer);
- the finder itself, which first refreshes rows whose ``listed_until`` has passed or was never worked out
  (``listings_refresh_due``): midnight, deadlines and freshness need no job;
- a beat task every 15 minutes refreshing everything, in case a process died between a commit and its refresh.
The finder shows each page's figures live; only membership and order come from here.
"""

import logging
from collections.abc import Iterable
from datetime import date, timedelta

from django.db import transaction
from django.db.models import (
    Case,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    Min,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Least
from django.utils import timezone

from placements.models import Cohort, Opportunity
from placements.models.capacity import STALE_AFTER

logger = logging.getLogger(__name__)

ONE_DAY = timedelta(days=1)
DATE = DateField()


def as_date(expression) -> Func:
    """A date plus or minus days, as a date: PostgreSQL gives a timestamp (DATE() on SQLite keeps the text date)."""
    return Func(ExpressionWrapper(expression, output_field=DATE), function="DATE", output_field=DATE)


def _listing_values(today: date) -> dict:
    """The two columns as expressions over the row being updated, with the finder's own definition of "open"
    (``_open_cohort_q`` with no filters) and of "visible" (``visible_to_students``)."""
    from placements.selectors.opportunities import FinderQuery, _open_cohort_q

    open_cohorts = Cohort.objects.filter(_open_cohort_q(FinderQuery(), today, prefix=""), opportunity=OuterRef("pk"))

    def first(field: str) -> Subquery:
        grouped = open_cohorts.order_by().values("opportunity").annotate(first=Min(field)).values("first")
        return Subquery(grouped, output_field=DateField())

    visible = Exists(Opportunity.objects.visible_to_students(today).filter(pk=OuterRef("pk")))
    listed = Q(visible, Exists(open_cohorts))
    until = Least(
        first("application_deadline"),
        as_date(first("start_date") - ONE_DAY),
        as_date(F("last_confirmed_on") + STALE_AFTER),
        output_field=DateField(),
    )
    return {
        "listed_next_start": Case(
            When(listed, then=first("start_date")), default=Value(None), output_field=DateField()
        ),
        "listed_until": Case(When(listed, then=until), default=Value(None), output_field=DateField()),
    }


def opportunity_listings_refresh(
    opportunity_ids: Iterable[int] | None = None, *, cohort_ids: Iterable[int] = (), today: date | None = None
) -> int:
    """Work out the stored listing of the given opportunities and of those of the given cohorts (every opportunity
    when both are left out) in one UPDATE; returns how many rows it wrote."""
    today = today or timezone.localdate()
    rows = Opportunity.objects.all()
    cohort_ids = sorted(set(cohort_ids))
    if opportunity_ids is not None or cohort_ids:
        which = Q(pk__in=sorted({pk for pk in opportunity_ids or () if pk is not None}))
        if cohort_ids:
            which |= Q(pk__in=Cohort.objects.filter(pk__in=cohort_ids).values("opportunity_id"))
        rows = rows.filter(which)
    return rows.update(**_listing_values(today))


def listings_refresh_changed(*, today: date | None = None) -> int:
    """Recompute every opportunity's listing and write only the rows whose stored one differs; how many.

    Writing every row each time would leave a dead copy of each and clear the visibility map the finder's
    index-only count relies on, until the next vacuum.
    """
    today = today or timezone.localdate()
    values = _listing_values(today)
    rows = Opportunity.objects.annotate(
        new_start=values["listed_next_start"], new_until=values["listed_until"]
    ).values_list("pk", "listed_next_start", "listed_until", "new_start", "new_until")
    changed = [pk for pk, start, until, new_start, new_until in rows if (start, until) != (new_start, new_until)]
    return opportunity_listings_refresh(changed, today=today) if changed else 0


def listings_refresh_due(today: date | None = None) -> int:
    """Refresh the rows whose stored listing may be wrong today: past their ``listed_until`` (a deadline or start
    passed, or no longer "still accurate") or never worked out (``LISTING_UNKNOWN``). Normally none."""
    today = today or timezone.localdate()
    return Opportunity.objects.filter(listed_until__lt=today).update(**_listing_values(today))


class _Pending:
    """The opportunities (and cohorts) changed on one connection since its last refresh after a commit."""

    def __init__(self):
        self.ids: set[int] = set()
        self.cohort_ids: set[int] = set()

    def refresh(self) -> None:
        if not self.ids and not self.cohort_ids:
            return  # an earlier callback of the same commit refreshed them all
        ids, cohort_ids, self.ids, self.cohort_ids = self.ids, self.cohort_ids, set(), set()
        opportunity_listings_refresh(ids, cohort_ids=cohort_ids)


def listings_refresh_on_commit(opportunity_ids: Iterable[int] = (), *, cohort_ids: Iterable[int] = ()) -> None:
    """Refresh these opportunities' listing once the current transaction commits (at once outside one).

    After the commit, not in it: the writer's transaction (a booking, a capacity change) never locks the opportunity
    row, so it cannot deadlock with someone saving the opportunity and then its cohorts. The ids gather on the
    connection and the first callback of the commit refreshes them all in one UPDATE (the others find nothing left).
    Ids from a rolled-back transaction are refreshed with the next commit: a refresh is right whenever it runs.
    If it fails, the finder still shows live figures and the 15-minute task repairs the listing.
    """
    ids = {pk for pk in opportunity_ids if pk is not None}
    cohorts = {pk for pk in cohort_ids if pk is not None}
    if not ids and not cohorts:
        return
    connection = transaction.get_connection()
    pending = getattr(connection, "_finder_listing_pending", None)
    if pending is None:
        pending = connection._finder_listing_pending = _Pending()
    pending.ids.update(ids)
    pending.cohort_ids.update(cohorts)
    if connection.in_atomic_block:
        transaction.on_commit(pending.refresh, robust=True)
    else:
        pending.refresh()
