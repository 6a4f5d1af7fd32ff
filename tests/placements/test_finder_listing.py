"""The finder's stored listing (issue 15) stays what a recompute gives after every kind of change made through the
real services, and the finder page built from it answers as the full grouped list does (test_finder_growth's oracle).
"""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from placements.models import Application, Cohort, Opportunity, OpportunityStatus
from placements.models.capacity import LISTING_UNKNOWN, STALE_AFTER
from placements.selectors.opportunities import FinderQuery, finder_page
from placements.services import offers
from placements.services.backfill import placement_release
from placements.services.capacity import (
    cohort_set_capacity,
    opportunity_confirm_capacity,
    opportunity_create_weekly_cohorts,
)
from placements.services.cohort_changes import cohort_update, opportunity_close
from placements.services.finder_listing import (
    listings_refresh_due,
    listings_refresh_on_commit,
    opportunity_listings_refresh,
)
from placements.tasks import refresh_finder_listings_task
from placements.workflow import Status
from tests import factories
from tests.placements.helpers import make_application
from tests.placements.test_capacity_import_export import confirm, preview, row_for, to_csv
from tests.placements.test_finder_growth import PAGE_NUMBERS, PER_PAGE, _card, _old_answer, _queries

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def finder_cache_off(settings):
    settings.FINDER_CACHE_SECONDS = 0


def _stored() -> dict[int, tuple]:
    return {pk: (start, until) for pk, start, until in Opportunity.objects.values_list("pk", *LISTED)}


LISTED = ("listed_next_start", "listed_until")


def _recomputed(today: dt.date) -> dict[int, tuple]:
    sid = transaction.savepoint_create()
    opportunity_listings_refresh(today=today)
    answer = _stored()
    transaction.savepoint_rollback(sid)
    return answer


def assert_listing_right(today: dt.date = TODAY) -> None:
    """The stored listing is what a recompute gives, for every row not due a refresh today (``listed_until`` not
    passed: right by the passage of time alone; read before the finder, which refreshes the due ones), and every
    page of every question is what the full grouped list gives."""
    stored, recomputed = _stored(), _recomputed(today)
    not_due = {pk for pk, (_, until) in stored.items() if until is None or until >= today}
    assert {pk: stored[pk] for pk in not_due} == {pk: recomputed[pk] for pk in not_due}
    for query in _queries():
        for page_number in PAGE_NUMBERS[:6]:
            page = finder_page(query, page_number, per_page=PER_PAGE, today=today)
            new = (page.paginator.count, page.number, [_card(query, o) for o in page.object_list])
            assert new == _old_answer(query, page_number, today=today), (query, page_number)


def listed_ids() -> set[int]:
    return set(Opportunity.objects.filter(listed_next_start__isnull=False).values_list("pk", flat=True))


@pytest.fixture
def round_(db):
    return factories.RoundFactory(
        placements_from=TODAY + dt.timedelta(days=28), placements_to=TODAY + dt.timedelta(days=120)
    )


@pytest.fixture
def ward(trust, coordinator, round_, django_capture_on_commit_callbacks):
    """A published opportunity with two open cohorts, and others around it so pages have company."""
    site = factories.SiteFactory(organisation=trust, postcode="SE5 9RS")
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(9):
            factories.CohortFactory(
                opportunity=factories.OpportunityFactory(site=site, title=f"Other {i % 4}"),
                start_date=TODAY + dt.timedelta(days=35 + i % 3),
            )
        opportunity = factories.OpportunityFactory(site=site, title="Ward nurse")
        for days in (42, 49):
            factories.CohortFactory(opportunity=opportunity, start_date=TODAY + dt.timedelta(days=days), capacity=1)
    return opportunity


def _offered(student, cohort) -> Application:
    application = make_application(student, age=19)
    Application.objects.filter(pk=application.pk).update(status=Status.OFFERED)
    application.refresh_from_db()
    factories.PlacementFactory(application=application, cohort=cohort)
    return application


@pytest.mark.django_db
def test_new_rows_start_unknown_and_the_finder_works_them_out_first(ward):
    assert ward.pk in listed_ids()
    assert Opportunity(title="new").listed_until == LISTING_UNKNOWN
    # Written in bulk (no signals, no refresh): the finder's check picks them up before reading the page.
    Opportunity.objects.filter(pk=ward.pk).update(listed_next_start=None, listed_until=LISTING_UNKNOWN)
    assert ward.pk not in listed_ids()
    titles = [o.title for o in finder_page(FinderQuery(text="ward nurse"), 1, per_page=PER_PAGE)]
    assert titles == ["Ward nurse"] and ward.pk in listed_ids()
    assert_listing_right()


@pytest.mark.django_db
def test_booking_the_last_places_and_releasing_one(ward, student, django_capture_on_commit_callbacks):
    first, second = ward.cohorts.order_by("start_date")
    for cohort in (first, second):
        application = _offered(factories.StudentFactory(organisation=student.organisation), cohort)
        with django_capture_on_commit_callbacks(execute=True):
            offers.offer_accept(actor=application.student, application=application)
        assert_listing_right()
        assert _stored()[ward.pk][0] == (second.start_date if cohort == first else None)
    placement = second.placements.get()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        placement_release(placement=placement, reason="withdrawn", backfill=False)
    assert Cohort.objects.get(pk=second.pk).booked == 0
    assert _stored()[ward.pk][0] == second.start_date
    assert_listing_right()


@pytest.mark.django_db
def test_the_booking_transaction_never_writes_the_opportunity_row(ward, student, django_capture_on_commit_callbacks):
    application = _offered(student, ward.cohorts.first())
    with django_capture_on_commit_callbacks(execute=False) as callbacks, CaptureQueriesContext(connection) as sql:
        offers.offer_accept(actor=student, application=application)
    assert not [q for q in sql.captured_queries if q["sql"].startswith('UPDATE "placements_opportunity"')]
    assert len(callbacks) >= 1


@pytest.mark.django_db
def test_capacity_changes(ward, coordinator, django_capture_on_commit_callbacks):
    first, second = ward.cohorts.order_by("start_date")
    Cohort.objects.filter(pk__in=[first.pk, second.pk]).update(booked=F("capacity"))  # full, as bookings leave them
    opportunity_listings_refresh([ward.pk])
    assert ward.pk not in listed_ids()
    with django_capture_on_commit_callbacks(execute=True):
        cohort_set_capacity(actor=coordinator, cohort=Cohort.objects.get(pk=second.pk), capacity=3)
    assert _stored()[ward.pk][0] == second.start_date
    assert_listing_right()
    with django_capture_on_commit_callbacks(execute=True):
        cohort_set_capacity(actor=coordinator, cohort=Cohort.objects.get(pk=second.pk), capacity=1)
    assert ward.pk not in listed_ids()
    assert_listing_right()


@pytest.mark.django_db
def test_cohort_update_dates_and_opportunity(ward, trust, coordinator, django_capture_on_commit_callbacks):
    first, second = ward.cohorts.order_by("start_date")
    start = TODAY + dt.timedelta(days=30)
    with django_capture_on_commit_callbacks(execute=True):
        cohort_update(
            actor=coordinator,
            cohort=second,
            opportunity=ward,
            start_date=start,
            end_date=start + dt.timedelta(days=2),
            application_deadline=start - dt.timedelta(days=3),
            capacity=2,
        )
    assert _stored()[ward.pk] == (start, start - dt.timedelta(days=3))
    assert_listing_right()
    # Both cohorts moved to another opportunity: the ward is no longer listed, the other one is.
    pharmacy = factories.OpportunityFactory(site=ward.site, title="Pharmacy", status=OpportunityStatus.PUBLISHED)
    for cohort in (first, Cohort.objects.get(pk=second.pk)):
        with django_capture_on_commit_callbacks(execute=True):
            cohort_update(
                actor=coordinator,
                cohort=cohort,
                opportunity=pharmacy,
                start_date=cohort.start_date,
                end_date=cohort.end_date,
                application_deadline=cohort.application_deadline,
                capacity=cohort.capacity,
            )
    assert ward.pk not in listed_ids() and pharmacy.pk in listed_ids()
    assert_listing_right()


@pytest.mark.django_db
def test_weekly_cohorts_close_publish_and_delete(ward, trust, coordinator, django_capture_on_commit_callbacks):
    theatre = factories.OpportunityFactory(site=ward.site, title="Theatre", status=OpportunityStatus.PUBLISHED)
    opportunity_listings_refresh([theatre.pk])
    assert theatre.pk not in listed_ids()  # no dates yet
    first = TODAY + dt.timedelta(days=28)
    first += dt.timedelta(days=(7 - first.weekday()) % 7)  # a Monday
    with django_capture_on_commit_callbacks(execute=True):
        opportunity_create_weekly_cohorts(
            actor=coordinator,
            opportunity=theatre,
            first_start=first,
            last_start=first + dt.timedelta(weeks=3),
            length_days=3,
            places=2,
            deadline_days_before=5,
        )
    assert _stored()[theatre.pk] == (first, first - dt.timedelta(days=5))
    assert_listing_right()
    with django_capture_on_commit_callbacks(execute=True):
        opportunity_close(actor=coordinator, opportunity=theatre)
    assert theatre.pk not in listed_ids()
    assert_listing_right()
    theatre.status = OpportunityStatus.PUBLISHED  # published again from the admin's change page
    with django_capture_on_commit_callbacks(execute=True):
        theatre.save()
    assert theatre.pk in listed_ids()
    assert_listing_right()
    # Deleting cohorts (the admin's delete): the ward's first dates go, then its last.
    first_cohort, second_cohort = ward.cohorts.order_by("start_date")
    with django_capture_on_commit_callbacks(execute=True):
        first_cohort.delete()
    assert _stored()[ward.pk][0] == second_cohort.start_date
    with django_capture_on_commit_callbacks(execute=True):
        second_cohort.delete()
    assert ward.pk not in listed_ids()
    assert_listing_right()


@pytest.mark.django_db
def test_still_accurate_confirmation_and_freshness_expiring(ward, coordinator, django_capture_on_commit_callbacks):
    last_fresh_day = TODAY + dt.timedelta(days=3)
    confirmed = last_fresh_day - STALE_AFTER
    with django_capture_on_commit_callbacks(execute=True):
        Opportunity.objects.filter(pk=ward.pk).update(last_confirmed_on=confirmed)
        listings_refresh_on_commit([ward.pk])
    assert _stored()[ward.pk][1] == last_fresh_day  # before any cohort's deadline
    assert_listing_right()
    assert_listing_right(today=last_fresh_day)
    next_day = last_fresh_day + dt.timedelta(days=1)
    # The day after: nothing ran at midnight; the finder's own check finds the row due and refreshes it.
    finder_page(FinderQuery(), 1, per_page=PER_PAGE, today=next_day)
    assert ward.pk not in listed_ids()
    assert_listing_right(today=next_day)
    with django_capture_on_commit_callbacks(execute=True):
        opportunity_confirm_capacity(actor=coordinator, opportunity=Opportunity.objects.get(pk=ward.pk))
    assert ward.pk in listed_ids()
    assert_listing_right()


@pytest.mark.django_db
def test_the_day_passing_a_deadline_and_a_start(ward):
    first, second = ward.cohorts.order_by("start_date")
    assert _stored()[ward.pk] == (first.start_date, first.application_deadline)
    for day in (first.application_deadline, first.application_deadline + dt.timedelta(days=1), second.start_date):
        assert_listing_right(today=day)
    assert ward.pk not in listed_ids()  # past both starts
    assert listings_refresh_due(second.start_date) == 0  # nothing left due that day


@pytest.mark.django_db
def test_capacity_csv_import_adds_and_changes_cohorts(client, coordinator, ward, django_capture_on_commit_callbacks):
    client.force_login(coordinator)
    first, second = ward.cohorts.order_by("start_date")
    Cohort.objects.filter(pk__in=[first.pk, second.pk]).update(capacity=0)  # no places: not listed
    other = factories.OpportunityFactory(site=ward.site, title="Physio")  # no cohorts: not listed
    opportunity_listings_refresh()
    assert ward.pk not in listed_ids() and other.pk not in listed_ids()
    start = TODAY + dt.timedelta(days=56)
    new_row = {
        "cohort_id": "",
        "opportunity_id": other.pk,
        "start_date": start.isoformat(),
        "end_date": (start + dt.timedelta(days=2)).isoformat(),
        "places": 5,
        "application_deadline": (start - dt.timedelta(days=7)).isoformat(),
    }
    content = to_csv([row_for(first, places=0), row_for(second, places=3), new_row])
    with django_capture_on_commit_callbacks(execute=True):
        response = confirm(client, preview(client, content))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Cohort.objects.filter(opportunity=other).count() == 1
    assert _stored()[ward.pk][0] == second.start_date and _stored()[other.pk][0] == start
    assert_listing_right()


@pytest.mark.django_db
def test_the_safety_net_task_repairs_what_a_lost_refresh_left(ward):
    Opportunity.objects.filter(pk=ward.pk).update(listed_next_start=TODAY + dt.timedelta(days=999))  # wrong
    with CaptureQueriesContext(connection) as sql:
        assert refresh_finder_listings_task() == 1  # only the wrong row is written
    assert len(sql.captured_queries) == 2
    assert_listing_right()
    assert refresh_finder_listings_task() == 0


@pytest.mark.django_db
def test_one_commit_refreshes_once_and_a_rollback_loses_nothing(ward, django_capture_on_commit_callbacks):
    other = Opportunity.objects.exclude(pk=ward.pk).first()
    Opportunity.objects.filter(pk__in=[ward.pk, other.pk]).update(listed_next_start=None, listed_until=None)  # wrong
    with django_capture_on_commit_callbacks(execute=False) as rolled_back:
        try:
            with transaction.atomic():
                listings_refresh_on_commit([other.pk])
                raise RuntimeError
        except RuntimeError:
            pass
    assert rolled_back == []
    with CaptureQueriesContext(connection) as sql, django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            listings_refresh_on_commit([ward.pk])
            listings_refresh_on_commit(cohort_ids=[c.pk for c in ward.cohorts.all()])
    assert len([q for q in sql.captured_queries if q["sql"].startswith('UPDATE "placements_opportunity"')]) == 1
    assert {ward.pk, other.pk} <= listed_ids()  # the rolled-back one's ids were refreshed with this commit
    assert_listing_right()


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize("area_km2", [1_572, 1, 10_000_000])  # as guessed; circles too small; too large to try
def test_near_a_postcode_a_page_read_from_a_circle_is_the_page_of_the_whole_list(monkeypatch, area_km2):
    from placements import geography
    from placements.selectors import opportunities as selector
    from tests.placements.test_finder_growth import _varied_opportunities

    _varied_opportunities(150, seed=7)
    monkeypatch.setattr(selector, "LONDON_KM2", area_km2)
    monkeypatch.setattr(selector, "_LISTED_SEEN", {})
    camberwell = geography.locate("SE5 9RS")
    for query in (FinderQuery(near=camberwell), FinderQuery(near=camberwell, text="ward")):
        finder_page(query, 1, per_page=PER_PAGE)  # the first question of its kind reads the whole list
        for page_number in PAGE_NUMBERS:
            with CaptureQueriesContext(connection) as sql:
                page = finder_page(query, page_number, per_page=PER_PAGE)
            new = (page.paginator.count, page.number, [_card(query, o) for o in page.object_list])
            assert new == _old_answer(query, page_number), (query, page_number, area_km2)
            if area_km2 == 1_572 and page_number in (None, 1, "1"):
                assert len(sql.captured_queries) == 2  # the circle held the first page
