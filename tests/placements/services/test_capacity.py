"""Capacity services: permission first, plain-English refusals, and places that never go below bookings."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from placements.models import Cohort, Opportunity, OpportunityStatus
from placements.services.capacity import (
    cohort_set_capacity,
    opportunity_confirm_capacity,
    opportunity_create_weekly_cohorts,
    opportunity_duplicate,
    weekly_cohort_plan,
)
from placements.services.cohort_changes import opportunity_close
from placements.taxonomy import Vaccination
from tests import factories

TODAY = timezone.localdate()
MONDAY = TODAY + dt.timedelta(days=60 + 7 - (TODAY + dt.timedelta(days=60)).weekday())


@pytest.fixture
def opportunity(trust):
    return factories.OpportunityFactory(
        site=factories.SiteFactory(organisation=trust),
        title="Shadow a ward nurse",
        required_vaccinations=[Vaccination.MMR],
    )


@pytest.fixture
def cohort(opportunity):
    return factories.CohortFactory(opportunity=opportunity, capacity=6)


# --- cohort_set_capacity --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_coordinator_sets_places_on_own_cohort_and_history_records_who(coordinator, cohort):
    cohort_set_capacity(actor=coordinator, cohort=cohort, capacity=10)
    cohort.refresh_from_db()
    assert cohort.capacity == 10
    latest = cohort.history.latest()
    assert (latest.capacity, latest.history_user, latest.history_type) == (10, coordinator, "~")


@pytest.mark.django_db
def test_places_below_booked_are_refused_with_a_clear_message(coordinator, cohort):
    Cohort.objects.filter(pk=cohort.pk).update(booked=3)
    with pytest.raises(ValidationError) as refused:
        cohort_set_capacity(actor=coordinator, cohort=cohort, capacity=2)
    assert refused.value.message_dict == {"capacity": ["3 places are already booked. Places cannot be fewer than 3."]}
    cohort.refresh_from_db()
    assert cohort.capacity == 6


@pytest.mark.django_db
def test_booking_made_after_the_cohort_was_loaded_wins(coordinator, cohort):
    loaded = Cohort.objects.get(pk=cohort.pk)  # booked == 0 in memory
    Cohort.objects.filter(pk=cohort.pk).update(booked=5)  # a student books meanwhile
    with pytest.raises(ValidationError, match="5 places are already booked"):
        cohort_set_capacity(actor=coordinator, cohort=loaded, capacity=4)
    assert Cohort.objects.values_list("capacity", "booked").get(pk=cohort.pk) == (6, 5)


@pytest.mark.django_db
def test_one_booking_is_described_in_the_singular(coordinator, cohort):
    Cohort.objects.filter(pk=cohort.pk).update(booked=1)
    with pytest.raises(ValidationError, match="1 place is already booked. Places cannot be fewer than 1."):
        cohort_set_capacity(actor=coordinator, cohort=cohort, capacity=0)


@pytest.mark.django_db
def test_places_equal_to_booked_are_allowed(coordinator, cohort):
    Cohort.objects.filter(pk=cohort.pk).update(booked=4)
    cohort_set_capacity(actor=coordinator, cohort=cohort, capacity=4)
    assert Cohort.objects.values_list("capacity", "booked").get(pk=cohort.pk) == (4, 4)


@pytest.mark.django_db
def test_setting_the_same_places_again_changes_nothing(coordinator, cohort):
    before = cohort.history.count()
    cohort_set_capacity(actor=coordinator, cohort=cohort, capacity=6)
    assert cohort.history.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize("capacity", [-1, 501])
def test_places_out_of_range_are_refused(coordinator, cohort, capacity):
    with pytest.raises(ValidationError, match="Places must be a whole number from 0 to 500."):
        cohort_set_capacity(actor=coordinator, cohort=cohort, capacity=capacity)


@pytest.mark.django_db
def test_other_trust_coordinator_cannot_set_places(other_trust_coordinator, cohort):
    with pytest.raises(PermissionDenied):
        cohort_set_capacity(actor=other_trust_coordinator, cohort=cohort, capacity=1)
    cohort.refresh_from_db()
    assert cohort.capacity == 6


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["student", "tutor"])
def test_students_and_tutors_cannot_manage_capacity(request, persona, opportunity, cohort):
    actor = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        cohort_set_capacity(actor=actor, cohort=cohort, capacity=1)
    with pytest.raises(PermissionDenied):
        opportunity_close(actor=actor, opportunity=opportunity)


@pytest.mark.django_db
def test_site_admin_may_manage_any_organisations_capacity(site_admin, cohort):
    cohort_set_capacity(actor=site_admin, cohort=cohort, capacity=2)
    assert Cohort.objects.get(pk=cohort.pk).capacity == 2


# --- confirm, close, duplicate -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_confirm_capacity_stamps_today_and_makes_it_visible_again(coordinator, opportunity):
    Opportunity.objects.filter(pk=opportunity.pk).update(last_confirmed_on=TODAY - dt.timedelta(days=61))
    opportunity.refresh_from_db()
    assert opportunity in Opportunity.objects.stale()
    opportunity_confirm_capacity(actor=coordinator, opportunity=opportunity)
    assert Opportunity.objects.get(pk=opportunity.pk).last_confirmed_on == TODAY
    assert opportunity in Opportunity.objects.visible_to_students()
    assert opportunity.history.latest().history_user == coordinator


@pytest.mark.django_db
def test_confirming_twice_in_a_day_writes_nothing_more(coordinator, opportunity):
    opportunity_confirm_capacity(actor=coordinator, opportunity=opportunity)
    before = opportunity.history.count()
    opportunity_confirm_capacity(actor=coordinator, opportunity=opportunity)
    assert opportunity.history.count() == before


@pytest.mark.django_db
def test_close_closes_and_is_harmless_to_repeat(coordinator, opportunity, cohort):
    opportunity_close(actor=coordinator, opportunity=opportunity)
    opportunity_close(actor=coordinator, opportunity=opportunity)
    assert Opportunity.objects.get(pk=opportunity.pk).status == OpportunityStatus.CLOSED
    assert Cohort.objects.filter(pk=cohort.pk).exists()


@pytest.mark.django_db
def test_other_trust_coordinator_cannot_close_confirm_duplicate_or_add_dates(other_trust_coordinator, opportunity):
    for service in (opportunity_close, opportunity_confirm_capacity, opportunity_duplicate):
        with pytest.raises(PermissionDenied):
            service(actor=other_trust_coordinator, opportunity=opportunity)
    with pytest.raises(PermissionDenied):
        opportunity_create_weekly_cohorts(
            actor=other_trust_coordinator,
            opportunity=opportunity,
            first_start=MONDAY,
            last_start=MONDAY,
            length_days=5,
            places=2,
            deadline_days_before=7,
        )


@pytest.mark.django_db
def test_duplicate_is_a_draft_copy_without_cohorts(coordinator, opportunity, cohort):
    Opportunity.objects.filter(pk=opportunity.pk).update(last_confirmed_on=TODAY - dt.timedelta(days=90))
    opportunity.refresh_from_db()
    copy = opportunity_duplicate(actor=coordinator, opportunity=opportunity)
    assert copy.pk != opportunity.pk
    assert copy.title == "Copy of Shadow a ward nurse"
    assert copy.status == OpportunityStatus.DRAFT
    assert copy.last_confirmed_on == TODAY
    assert (copy.organisation, copy.site, copy.required_vaccinations) == (
        opportunity.organisation,
        opportunity.site,
        ["mmr"],
    )
    assert copy.cohorts.count() == 0
    assert opportunity.cohorts.count() == 1


@pytest.mark.django_db
def test_duplicate_of_a_long_title_still_fits(coordinator, opportunity):
    opportunity.title = "x" * 150
    opportunity.save()
    assert len(opportunity_duplicate(actor=coordinator, opportunity=opportunity).title) == 150


# --- weekly cohorts ----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_weekly_cohorts_one_a_week_with_deadline_and_weekday_length(coordinator, opportunity):
    created = opportunity_create_weekly_cohorts(
        actor=coordinator,
        opportunity=opportunity,
        first_start=MONDAY,
        last_start=MONDAY + dt.timedelta(weeks=3),
        length_days=10,
        places=5,
        deadline_days_before=21,
    )
    assert [(c.start_date, c.end_date, c.application_deadline, c.capacity, c.booked) for c in created] == [
        (
            MONDAY + dt.timedelta(weeks=w),
            MONDAY + dt.timedelta(weeks=w, days=11),
            MONDAY + dt.timedelta(weeks=w, days=-21),
            5,
            0,
        )
        for w in range(4)
    ]
    assert opportunity.cohorts.count() == 4
    assert Cohort.history.filter(opportunity=opportunity).count() == 4


@pytest.mark.django_db
def test_weekly_cohorts_twice_adds_nothing_the_second_time(coordinator, opportunity):
    kwargs = dict(
        actor=coordinator,
        opportunity=opportunity,
        first_start=MONDAY,
        last_start=MONDAY + dt.timedelta(weeks=1),
        length_days=5,
        places=5,
        deadline_days_before=7,
    )
    assert len(opportunity_create_weekly_cohorts(**kwargs)) == 2
    assert opportunity_create_weekly_cohorts(**kwargs) == []
    assert opportunity.cohorts.count() == 2


def test_a_year_of_weekly_cohorts_is_allowed_but_not_more():
    plan = weekly_cohort_plan(
        first_start=MONDAY,
        last_start=MONDAY + dt.timedelta(weeks=52),
        length_days=1,
        deadline_days_before=0,
        places=1,
        today=TODAY,
    )
    assert len(plan) == 53
    with pytest.raises(ValidationError) as refused:
        weekly_cohort_plan(
            first_start=MONDAY,
            last_start=MONDAY + dt.timedelta(weeks=52, days=1),
            length_days=1,
            deadline_days_before=0,
            places=1,
            today=TODAY,
        )
    assert refused.value.message_dict == {
        "last_start": ["That is more than 52 weeks. Choose a last start date within a year of the first."]
    }


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"first_start": MONDAY + dt.timedelta(days=5)},
            "first_start",
            "The first start date is a Saturday or Sunday. Choose a weekday.",
        ),
        ({"length_days": 0}, "length_days", "Length must be from 1 to 10 weekdays."),
        ({"length_days": 11}, "length_days", "Length must be from 1 to 10 weekdays."),
        ({"places": 0}, "places", "Places must be from 1 to 500."),
        (
            {"last_start": MONDAY - dt.timedelta(days=7)},
            "last_start",
            "The last start date must be the same as or after the first start date.",
        ),
        ({"deadline_days_before": 90}, "first_start", "which has already passed"),
        (
            {"first_start": TODAY - dt.timedelta(days=TODAY.weekday()), "last_start": TODAY + dt.timedelta(days=7)},
            "first_start",
            "The first start date must be in the future.",
        ),
    ],
)
def test_weekly_cohort_plan_explains_what_is_wrong(changes, field, message):
    arguments = dict(
        first_start=MONDAY,
        last_start=MONDAY + dt.timedelta(weeks=2),
        length_days=5,
        deadline_days_before=14,
        places=4,
        today=TODAY,
        **{},
    )
    arguments.update(changes)
    with pytest.raises(ValidationError) as refused:
        weekly_cohort_plan(**arguments)
    assert message in refused.value.message_dict[field][0]


# --- The database holds the rules even when forms and services are bypassed ----------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "changes"),
    [
        ("cohort", {"booked": 7}),  # capacity is 6
        ("cohort", {"start_date": TODAY + dt.timedelta(days=40), "end_date": TODAY + dt.timedelta(days=39)}),
        ("cohort", {"application_deadline": TODAY + dt.timedelta(days=31)}),  # starts in 30 days
        ("opportunity", {"min_age": 13}),
        ("opportunity", {"min_age": 16, "daily_hours": 9}),
        ("opportunity", {"status": "archived"}),
    ],
)
def test_database_constraints_hold_when_forms_are_bypassed(cohort, model, changes):
    target = cohort if model == "cohort" else cohort.opportunity
    with pytest.raises(IntegrityError), transaction.atomic():
        type(target).objects.filter(pk=target.pk).update(**changes)


@pytest.mark.django_db
def test_adults_only_opportunity_may_have_long_days_in_the_database(opportunity):
    Opportunity.objects.filter(pk=opportunity.pk).update(min_age=18, daily_hours=10)
    assert Opportunity.objects.get(pk=opportunity.pk).daily_hours == 10
