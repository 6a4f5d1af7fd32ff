"""Reads for the public opportunity finder. Every list is one query plus a count, whatever its size."""

import hashlib
import sys
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import (
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Window,
)
from django.utils import timezone

from placements import geography
from placements.models import Cohort, Opportunity


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
    if query.profession_areas:
        qs = qs.filter(profession_area__in=query.profession_areas)
    if query.kinds:
        qs = qs.filter(kind__in=query.kinds)
    if query.borough:
        qs = qs.filter(site__borough=query.borough)
    if query.text:
        qs = qs.filter(Q(title__icontains=query.text) | Q(organisation__name__icontains=query.text))
    if query.near is None:
        return qs.order_by("next_start", "title", "pk")
    kx = geography.km_per_degree_lon(query.near.latitude)
    ky = geography.KM_PER_DEGREE_LAT
    dx = (F("site__longitude") - query.near.longitude) * kx
    dy = (F("site__latitude") - query.near.latitude) * ky
    qs = qs.annotate(distance_sq=ExpressionWrapper(dx * dx + dy * dy, output_field=FloatField()))
    if query.within_km:
        qs = qs.filter(distance_sq__lte=query.within_km**2)
    return qs.order_by("distance_sq", "next_start", "pk")


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
    rows_qs = _finder_rows(query, today)

    def rows_of(number: int) -> list[tuple]:
        bottom = (number - 1) * per_page
        return list(rows_qs[bottom : bottom + per_page])

    # Most requests ask for a page that exists: read it and the count together, count apart only when it is empty.
    try:
        guess = Paginator(_Counted(sys.maxsize), per_page).validate_number(page_number)
    except PageNotAnInteger:
        guess = 1
    except EmptyPage:
        guess = None  # below 1: the paginator answers with the last page, which needs the count first
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
