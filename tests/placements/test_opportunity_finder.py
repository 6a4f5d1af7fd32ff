from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from placements.models import Cohort, OpportunityStatus
from placements.taxonomy import OpportunityKind, ProfessionArea
from tests.factories import CohortFactory, CoordinatorFactory, OpportunityFactory, SiteFactory

FINDER = reverse("placements:opportunity-list")


def _titles(response):
    return [o.title for o in response.context["page"]]


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.mark.django_db
def test_lists_published_fresh_opportunities_with_open_cohorts_only(client, today):
    visible = CohortFactory(opportunity__title="Visible").opportunity
    CohortFactory(opportunity__title="Draft", opportunity__status=OpportunityStatus.DRAFT)
    CohortFactory(opportunity__title="Closed", opportunity__status=OpportunityStatus.CLOSED)
    CohortFactory(opportunity__title="Stale", opportunity__last_confirmed_on=today - timedelta(days=61))
    CohortFactory(opportunity__title="Full", capacity=2)
    Cohort.objects.filter(opportunity__title="Full").update(booked=2)
    CohortFactory(opportunity__title="Deadline passed", application_deadline=today - timedelta(days=1))
    OpportunityFactory(title="No cohorts")
    response = client.get(FINDER)
    assert _titles(response) == ["Visible"]
    assert visible.get_absolute_url() in response.content.decode()


@pytest.mark.django_db
def test_confirmed_exactly_60_days_ago_is_still_shown(client, today):
    CohortFactory(opportunity__title="Just fresh", opportunity__last_confirmed_on=today - timedelta(days=60))
    assert _titles(client.get(FINDER)) == ["Just fresh"]


@pytest.mark.django_db
def test_filters_by_area_kind_borough_and_text(client):
    CohortFactory(opportunity__title="Nursing on ward", opportunity__profession_area=ProfessionArea.NURSING)
    CohortFactory(
        opportunity__title="Pharmacy day",
        opportunity__profession_area=ProfessionArea.PHARMACY,
        opportunity__kind=OpportunityKind.INSIGHT_DAY,
        opportunity__site__borough="Hackney",
    )
    assert _titles(client.get(FINDER, {"profession_area": "pharmacy"})) == ["Pharmacy day"]
    assert _titles(client.get(FINDER, {"kind": "insight_day"})) == ["Pharmacy day"]
    assert _titles(client.get(FINDER, {"borough": "Southwark"})) == ["Nursing on ward"]
    assert _titles(client.get(FINDER, {"q": "ward"})) == ["Nursing on ward"]
    assert sorted(_titles(client.get(FINDER, {"profession_area": ["pharmacy", "nursing"]}))) == [
        "Nursing on ward",
        "Pharmacy day",
    ]


@pytest.mark.django_db
def test_date_filter_keeps_opportunities_with_a_cohort_inside_the_dates(client, today):
    early = today + timedelta(days=20)
    late = today + timedelta(days=80)
    CohortFactory(opportunity__title="Early", start_date=early)
    CohortFactory(opportunity__title="Late", start_date=late)
    dates = {
        "available_from_day": (late - timedelta(days=1)).day,
        "available_from_month": (late - timedelta(days=1)).month,
        "available_from_year": (late - timedelta(days=1)).year,
    }
    assert _titles(client.get(FINDER, dates)) == ["Late"]


@pytest.mark.django_db
def test_near_my_postcode_sorts_nearest_first_and_limits_distance(client):
    CohortFactory(opportunity__title="Camberwell", opportunity__site__postcode="SE5 9RS")
    CohortFactory(opportunity__title="Hackney", opportunity__site__postcode="E9 6SR")
    CohortFactory(opportunity__title="Croydon", opportunity__site__postcode="CR0 1AA")
    response = client.get(FINDER, {"postcode": "se15 4aa"})
    assert _titles(response)[0] == "Camberwell" and len(_titles(response)) == 3
    distances = [o.distance_km for o in response.context["page"]]
    assert distances == sorted(distances) and distances[0] < 4
    assert "About" in response.content.decode() and "km" in response.content.decode()
    near = client.get(FINDER, {"postcode": "SE15", "within_km": "5"})
    assert _titles(near) == ["Camberwell"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"postcode": "not a postcode"}, "postcode", "Enter a real postcode"),
        ({"postcode": "ZZ99 9ZZ"}, "postcode", "We could not find that postcode"),
        ({"within_km": "5"}, "postcode", "Enter a postcode to search by distance"),
        (
            {"available_from_day": "31", "available_from_month": "2", "available_from_year": "2027"},
            "available_from",
            "Date must be a real date",
        ),
        (
            {
                "available_from_day": "10",
                "available_from_month": "7",
                "available_from_year": "2027",
                "available_to_day": "1",
                "available_to_month": "7",
                "available_to_year": "2027",
            },
            "available_to",
            "same as or after",
        ),
    ],
)
def test_bad_filters_show_a_message_next_to_the_field_and_keep_the_input(client, params, field, message):
    response = client.get(FINDER, params)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert "There is a problem" in response.content.decode()


@pytest.mark.django_db
def test_empty_state_explains_what_to_try(client):
    assert "No placements match your search" in client.get(FINDER).content.decode()


@pytest.mark.django_db
def test_finder_is_paginated_and_does_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    site = SiteFactory()
    opportunities = OpportunityFactory.create_batch(1000, site=site, organisation=site.organisation)
    start = timezone.localdate() + timedelta(days=30)
    Cohort.objects.bulk_create(
        [
            Cohort(
                opportunity=o,
                start_date=start,
                end_date=start + timedelta(days=4),
                capacity=3,
                application_deadline=start - timedelta(days=7),
            )
            for o in opportunities
        ]
    )
    with django_assert_max_num_queries(6):
        response = client.get(FINDER, {"postcode": "SE5", "page": "3"})
    assert response.context["page"].paginator.count == 1000 and len(response.context["page"]) == 20
    with django_assert_max_num_queries(6):
        client.get(FINDER, {"profession_area": "nursing", "page": "50"})


@pytest.mark.django_db
def test_detail_shows_requirements_dates_and_remaining_places(client, django_assert_max_num_queries):
    cohort = CohortFactory(
        capacity=5,
        opportunity__requires_dbs=True,
        opportunity__required_vaccinations=["hep_b"],
        opportunity__min_age=17,
    )
    Cohort.objects.filter(pk=cohort.pk).update(booked=3)
    CohortFactory.create_batch(30, opportunity=cohort.opportunity)
    with django_assert_max_num_queries(6):
        response = client.get(cohort.opportunity.get_absolute_url())
    page = response.content.decode()
    assert "DBS" in page and "Hepatitis B" in page and "17 or older" in page
    assert "Create an account to apply" in page
    assert response.context["opportunity"].upcoming_cohorts[0].remaining == 2


@pytest.mark.django_db
def test_detail_of_hidden_opportunity_is_404_except_a_preview_for_its_own_coordinator(client, today):
    draft = CohortFactory(opportunity__status=OpportunityStatus.DRAFT).opportunity
    stale = CohortFactory(opportunity__last_confirmed_on=today - timedelta(days=90)).opportunity
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(stale.get_absolute_url()).status_code == 404
    client.force_login(CoordinatorFactory(organisation=draft.organisation))
    preview = client.get(draft.get_absolute_url())
    assert preview.status_code == 200 and "Students cannot see this page" in preview.content.decode()
    assert client.get(stale.get_absolute_url()).status_code == 404  # another organisation's
    assert client.get(reverse("placements:opportunity-detail", kwargs={"pk": 999999})).status_code == 404
