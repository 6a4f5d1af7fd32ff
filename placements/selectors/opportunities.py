"""Reads for the public opportunity finder. Every page is two queries, whatever the number of opportunities."""

import functools
import hashlib
import math
import sys
from dataclasses import dataclass, replace
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Window,
)
from django.utils import timezone

from placements import geography
from placements.distance import distance_sq_from
from placements.models import Cohort, Opportunity
from placements.services.finder_listing import listings_refresh_due


@dataclass(frozen=True)
class FinderQuery:
    profession_areas: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    borough: str = ""
    available_from: date | None = None
    available_to: date | None = None
    near: geography.Point | None = None
    within_km: float | None = None
    text: str = ""


def _open_cohort_q(query: FinderQuery, today: date, prefix: str = "cohorts__") -> Q:
    condition = Q(
        **{
            f"{prefix}application_deadline__gte": today,
            f"{prefix}start_date__gt": today,
            f"{prefix}booked__lt": F(f"{prefix}capacity"),
        }
    )
    if query.available_from:
        condition &= Q(**{f"{prefix}start_date__gte": query.available_from})
    if query.available_to:
        condition &= Q(**{f"{prefix}end_date__lte": query.available_to})
    return condition


FINDER_UNUSED_FIELDS = ("description", "activities", "dress_code", "daily_hours", "required_vaccinations")


def opportunities_for_finder(query: FinderQuery, *, today: date | None = None) -> QuerySet[Opportunity]:
    """Published, recently confirmed opportunities with an open cohort that fits the filters.

    Annotated with ``next_start``, ``places_left`` and ``open_cohorts``; with ``near``, also ``distance_sq``
    (km², equirectangular) and sorted nearest first.
    """
    qs = (
        Opportunity.objects.select_related("organisation", "site", "department")
        # The cards never show these long texts; leaving them out halves the rows the GROUP BY sorts (issue 15).
        .defer(*FINDER_UNUSED_FIELDS)
    )
    return _finder_list(qs, query, today or timezone.localdate())


def _finder_list(qs: QuerySet, query: FinderQuery, today: date) -> QuerySet:
    open_cohort = _open_cohort_q(query, today)
    qs = (
        qs.visible_to_students(today)
        .annotate(
            next_start=Min("cohorts__start_date", filter=open_cohort),
            places_left=Sum(F("cohorts__capacity") - F("cohorts__booked"), filter=open_cohort),
            open_cohorts=Count("cohorts", filter=open_cohort),
        )
        .filter(open_cohorts__gt=0)
    )
    qs = _filtered(qs, query)
    if query.near is None:
        return qs.order_by("next_start", "title", "pk")
    return _with_distance(qs, query).order_by("distance_sq", "next_start", "pk")


def _filtered(qs: QuerySet, query: FinderQuery) -> QuerySet:
    """The finder's filters other than dates and distance, on a list of opportunities."""
    if query.profession_areas:
        qs = qs.filter(profession_area__in=query.profession_areas)
    if query.kinds:
        qs = qs.filter(kind__in=query.kinds)
    if query.borough:
        qs = qs.filter(site__borough=query.borough)
    if query.text:
        qs = qs.filter(Q(title__icontains=query.text) | Q(organisation__name__icontains=query.text))
    return qs


@dataclass(frozen=True)
class _Counted:
    """What a Paginator needs of a list it never reads: its length."""

    total: int

    def count(self) -> int:
        return self.total


FINDER_ROW_FIELDS = ("pk", "next_start", "places_left", "open_cohorts", "distance_sq", "total")


def _finder_rows(query: FinderQuery, today: date) -> QuerySet:
    """The finder's list narrowed to what orders and pages it: each opportunity's key and its open cohorts' figures.

    Grouped by the opportunity's key alone, not by every column of the opportunity, its organisation, site and
    department as the full list is: the wide rows are read for the page's 20 only (issue 15). ``total``: how many
    rows the list has, counted in the same pass (a window over the grouped rows).
    """
    qs = _finder_list(Opportunity.objects.values("pk"), query, today)
    fields = ["pk", "next_start", "places_left", "open_cohorts", "distance_sq" if query.near else "pk", "total"]
    return qs.annotate(total=Window(Count("*"))).values_list(*fields)


def _page_number(paginator: Paginator, page_number) -> int:
    """The page ``Paginator.get_page`` would show: the first for nonsense, the last for one out of range."""
    try:
        return paginator.validate_number(page_number)
    except PageNotAnInteger:
        return 1
    except EmptyPage:
        return paginator.num_pages


def _finder_page_of(query: FinderQuery, page_number, *, per_page: int, today: date) -> tuple[int, int, list]:
    """``(count, number, opportunities)`` as ``Paginator(opportunities_for_finder(...)).get_page`` gives them."""
    if query.available_from or query.available_to:
        # Only the cohorts within the dates asked count, so the stored listing (any open cohort) cannot order or
        # count this list: grouped as before, bounded by the cohorts in the dates asked.
        return _grouped_page_of(query, page_number, per_page=per_page, today=today)
    return _listed_page_of(query, page_number, per_page=per_page, today=today)


def _first_guess(page_number, per_page: int) -> int | None:
    """The page to read before the count is known: most requests ask for a page that exists, so it and the count are
    read together. None below 1 (the paginator answers with the last page, which needs the count first)."""
    try:
        return Paginator(_Counted(sys.maxsize), per_page).validate_number(page_number)
    except PageNotAnInteger:
        return 1
    except EmptyPage:
        return None


def _grouped_page_of(query: FinderQuery, page_number, *, per_page: int, today: date) -> tuple[int, int, list]:
    rows_qs = _finder_rows(query, today)

    def rows_of(number: int) -> list[tuple]:
        bottom = (number - 1) * per_page
        return list(rows_qs[bottom : bottom + per_page])

    guess = _first_guess(page_number, per_page)
    rows = rows_of(guess) if guess is not None else []
    count = rows[0][-1] if rows else rows_qs.count()
    number = _page_number(Paginator(_Counted(count), per_page), page_number)
    if number != guess:
        rows = rows_of(number)
    opportunities = (
        Opportunity.objects.select_related("organisation", "site", "department")
        .defer(*FINDER_UNUSED_FIELDS)
        .order_by()  # put in the page's order below
        .in_bulk([row[0] for row in rows])
    )
    page = []
    for pk, next_start, places_left, open_cohorts, distance_sq, _total in rows:
        opportunity = opportunities.get(pk)
        if opportunity is None:  # deleted between the two reads: left out, as a read a moment later would
            continue
        opportunity.next_start, opportunity.places_left, opportunity.open_cohorts = (
            next_start,
            places_left,
            open_cohorts,
        )
        if query.near is not None:
            opportunity.distance_sq = distance_sq
        page.append(opportunity)
    return count, number, page


# COUNT(*) of a subquery without grouping it (Count() would group): PostgreSQL counts from an index alone.
COUNT_ROWS = Func(template="COUNT(*)", output_field=IntegerField())


def _listed(query: FinderQuery) -> QuerySet:
    """The listed opportunities that fit the filters (no dates), from the stored listing (services/finder_listing)."""
    qs = _filtered(Opportunity.objects.filter(listed_next_start__isnull=False), query)
    if query.near is not None and query.within_km:
        # The box around the circle (exact for this distance's flat-earth formula), so rows far away are ruled out
        # on the site's columns before any distance is worked out.
        # Padded a little: only the distance below decides, the box must never cut a row rounding puts on its edge.
        dlat = query.within_km / geography.KM_PER_DEGREE_LAT + 1e-6
        dlon = query.within_km / geography.km_per_degree_lon(query.near.latitude) + 1e-6
        qs = qs.filter(
            site__latitude__range=(query.near.latitude - dlat, query.near.latitude + dlat),
            site__longitude__range=(query.near.longitude - dlon, query.near.longitude + dlon),
        )
    return qs


def _with_distance(qs: QuerySet, query: FinderQuery) -> QuerySet:
    qs = qs.annotate(distance_sq=distance_sq_from(query.near, latitude="site__latitude", longitude="site__longitude"))
    if query.within_km:
        qs = qs.filter(distance_sq__lte=query.within_km**2)
    return qs


@dataclass(frozen=True)
class _ListedReads:
    """One question's querysets for one day, built once (building the subquery expressions is most of a page's
    Python time); only ever cloned (sliced, filtered), never evaluated themselves, so nothing read is kept."""

    rows: QuerySet
    count: QuerySet
    total: Subquery
    due: Exists
    with_figures: QuerySet


@functools.lru_cache(maxsize=256)
def _listed_reads(query: FinderQuery, today: date) -> _ListedReads:
    listed = _listed(query)
    if query.near is None:
        ordered = listed.order_by("listed_next_start", "title", "pk")
        count_qs = listed
    else:
        ordered = _with_distance(listed, query).order_by("distance_sq", "listed_next_start", "pk")
        count_qs = _with_distance(listed, query) if query.within_km else listed
    total = Subquery(count_qs.order_by().annotate(n=COUNT_ROWS).values("n")[:1])
    due = Exists(Opportunity.objects.filter(listed_until__lt=today))
    rows = ordered.annotate(total=total, due=due).values_list(
        "pk", "distance_sq" if query.near else "pk", "total", "due"
    )
    # Each figure from the opportunity's own open cohorts (the cohort index by opportunity), not a join of all cohorts.
    open_cohorts = (
        Cohort.objects.filter(_open_cohort_q(FinderQuery(), today, prefix=""), opportunity=OuterRef("pk"))
        .order_by()
        .values("opportunity")
    )

    def of_open_cohorts(aggregate) -> Subquery:
        return Subquery(open_cohorts.annotate(figure=aggregate).values("figure"))

    with_figures = (
        Opportunity.objects.select_related("organisation", "site", "department")
        .defer(*FINDER_UNUSED_FIELDS)
        .annotate(
            next_start=of_open_cohorts(Min("start_date")),
            places_left=of_open_cohorts(Sum(F("capacity") - F("booked"))),
            open_cohorts=of_open_cohorts(Count("pk")),
        )
        .order_by()  # put in the page's order by the caller
    )
    return _ListedReads(rows, count_qs, total, due, with_figures)


@functools.lru_cache(maxsize=256)
def _ring_rows(query: FinderQuery, today: date, radius: float) -> QuerySet:
    """The listed rows within ``radius`` km of the postcode, nearest first, with the whole list's count (as
    ``_listed_reads``: built once, only ever sliced)."""
    reads = _listed_reads(query, today)
    ring = replace(query, within_km=radius)
    in_ring = _with_distance(_listed(ring), ring).order_by("distance_sq", "listed_next_start", "pk")
    return in_ring.annotate(total=reads.total, due=reads.due).values_list("pk", "distance_sq", "total", "due")


def _listed_page_of(
    query: FinderQuery, page_number, *, per_page: int, today: date, refreshed: bool = False
) -> tuple[int, int, list]:
    """The page from the stored listing: 20 keys in the index's order and the count (one query: the count and the
    check for rows due a refresh are scalar subqueries of it), then those opportunities with their figures worked
    out live from their cohorts (a place taken a moment ago is never shown stale)."""
    reads = _listed_reads(query, today)
    rows_qs, count_qs = reads.rows, reads.count

    def rows_of(number: int) -> list[tuple]:
        bottom = (number - 1) * per_page
        radius = _ring_radius(query, bottom + per_page)
        if radius is not None:
            rows = list(_ring_rows(query, today, radius)[bottom : bottom + per_page])
            if len(rows) == per_page:  # the circle holds the page and every row before it: it is the page
                return rows
        return list(rows_qs[bottom : bottom + per_page])

    guess = _first_guess(page_number, per_page)
    rows = rows_of(guess) if guess is not None else []
    if rows:
        count, due_now = rows[0][2], rows[0][3]
    else:
        count, due_now = _count_and_due(count_qs, today)
    if query.near is not None and not query.within_km:
        if len(_LISTED_SEEN) >= 1_000:  # questions include typed text: keep the hints bounded
            _LISTED_SEEN.clear()
        _LISTED_SEEN[_filters_of(query)] = count
    if due_now and not refreshed:
        # A deadline, a start or a "still accurate" date passed (normally just after midnight), or rows were written
        # in bulk: those rows first, then the page again.
        listings_refresh_due(today)
        return _listed_page_of(query, page_number, per_page=per_page, today=today, refreshed=True)
    number = _page_number(Paginator(_Counted(count), per_page), page_number)
    if number != guess:
        rows = rows_of(number)
    opportunities = reads.with_figures.in_bulk([row[0] for row in rows])
    page = []
    for pk, distance_sq, _total, _due in rows:
        opportunity = opportunities.get(pk)
        # Deleted, or its last open cohort filled or closed, since the stored listing was read: left out, as a read
        # a moment later would.
        if opportunity is None or not opportunity.open_cohorts:
            continue
        if query.near is not None:
            opportunity.distance_sq = distance_sq
        page.append(opportunity)
    return count, number, page


# Greater London's area: with how many listed rows a question has, a first guess of the circle holding a page.
LONDON_KM2 = 1_572
RING_MAX_KM = 40  # beyond this the circle is most of London: read the whole list
# The last count seen per question (filters only), per process: a hint for the circle's size, never an answer.
_LISTED_SEEN: dict[FinderQuery, int] = {}


def _filters_of(query: FinderQuery) -> FinderQuery:
    return replace(query, near=None, within_km=None)


def _ring_radius(query: FinderQuery, needed: int) -> float | None:
    """Near a postcode with no distance asked, the radius of a circle likely to hold the first ``needed`` rows.

    Nearest first needs every listed row's distance, sorted: it grows with London. A circle round the postcode
    (its box on the site's coordinates, then the exact distance) that holds at least ``needed`` rows holds exactly
    the first ``needed`` of the whole list, so the page is read from it; a circle with too few falls back to the
    whole list. PostgreSQL only: there sites of unknown position sort last, after any circle (SQLite sorts them
    first). None: read the whole list (first question of its kind in this process, SQLite, deep pages).
    """
    if query.near is None or query.within_km or connection.vendor != "postgresql":
        return None
    seen = _LISTED_SEEN.get(_filters_of(query))
    if not seen:
        return None
    radius = math.sqrt(4 * needed * LONDON_KM2 / (math.pi * seen))  # about 4 times the rows needed, if even
    return radius if radius <= RING_MAX_KM else None


def _count_and_due(count_qs: QuerySet, today: date) -> tuple[int, bool]:
    """How many listed rows fit, and whether any row is due a refresh, in one query (for an empty page)."""
    total = count_qs.order_by().annotate(n=COUNT_ROWS).values("n")
    due = Opportunity.objects.filter(listed_until__lt=today).values("pk")
    count_sql, count_params = total.query.sql_with_params()
    due_sql, due_params = due.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT ({count_sql}), EXISTS({due_sql})", (*count_params, *due_params))  # noqa: S608 — ORM SQL
        count, due_now = cursor.fetchone()
    return count, bool(due_now)


def finder_page(
    query: FinderQuery, page_number, *, per_page: int, today: date | None = None, fresh: bool = False
) -> Page:
    """One page of the finder, shared between visitors for ``FINDER_CACHE_SECONDS`` (a few seconds).

    On a deadline night most visitors ask the same few questions; the answer (the same for everyone: no visitor's
    data is in it) is kept per query, page and day for a few seconds, so places left are at most that old.
    ``fresh``: ask the database even when an answer is kept, and keep this one (the finder's page, itself kept for
    the same seconds, is built from a fresh answer so that what it shows is never older than those seconds).
    """
    today = today or timezone.localdate()
    seconds = settings.FINDER_CACHE_SECONDS
    key = "finder:" + hashlib.sha256(f"{today.isoformat()}:{page_number!r}:{query!r}".encode()).hexdigest()
    cached = cache.get(key) if seconds and not fresh else None
    if cached is None:
        cached = _finder_page_of(query, page_number, per_page=per_page, today=today)
        if seconds:
            cache.set(key, cached, seconds)
    count, number, rows = cached
    return Page(rows, number, Paginator(_Counted(count), per_page))


def opportunity_for_detail(pk: int, *, viewer=None, today: date | None = None) -> Opportunity | None:
    """The opportunity as a student sees it, with its cohorts; its own coordinators may preview it too."""
    today = today or timezone.localdate()
    qs = Opportunity.objects.select_related("organisation", "site", "department").prefetch_related(
        Prefetch(
            "cohorts",
            queryset=Cohort.objects.filter(start_date__gt=today).order_by("start_date"),
            to_attr="upcoming_cohorts",
        )
    )
    # Whether students may see it, asked in the same query (one round trip fewer on the busiest public page).
    visible_to_students = Opportunity.objects.visible_to_students(today).filter(pk=OuterRef("pk"))
    opportunity = qs.annotate(is_visible=Exists(visible_to_students)).filter(pk=pk).first()
    if opportunity is None:
        return None
    visible = opportunity.is_visible
    is_own = bool(
        viewer
        and viewer.is_authenticated
        and viewer.is_coordinator
        and viewer.organisation_id == opportunity.organisation_id
    )
    if not visible and not is_own:
        return None
    opportunity.is_preview = not visible
    for cohort in opportunity.upcoming_cohorts:
        cohort.is_open = cohort.application_deadline >= today and cohort.remaining > 0
    return opportunity
