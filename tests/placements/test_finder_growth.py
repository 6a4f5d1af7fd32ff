"""The finder reads a page of 20 without grouping every opportunity's wide row (issue 15): the same answers as the
full grouped list gave, page by page, in a bounded number of queries whatever the number of opportunities."""

import random
from datetime import timedelta

import pytest
from django.core.paginator import Paginator
from django.utils import timezone

from placements import geography
from placements.models import Cohort, Opportunity, OpportunityStatus
from placements.selectors.opportunities import FinderQuery, finder_page, opportunities_for_finder
from placements.services.finder_listing import opportunity_listings_refresh
from placements.taxonomy import OpportunityKind, ProfessionArea
from tests.factories import OrganisationFactory, SiteFactory

PER_PAGE = 7
PAGE_NUMBERS = [None, 1, "1", "2", 3, "4", "99", "0", "-1", "abc", "2.0", 2.5, ""]


@pytest.fixture
def finder_cache_off(settings):
    settings.FINDER_CACHE_SECONDS = 0


def _varied_opportunities(count: int, seed: int = 15) -> None:
    """Opportunities that tie on start date, title and site, some hidden, some without an open cohort."""
    rng = random.Random(seed)
    today = timezone.localdate()
    organisations = [OrganisationFactory(name=name) for name in ("Guy's Trust", "Kings Care", "Ward Homes")]
    sites = [
        SiteFactory(organisation=organisations[i % 3], postcode=postcode, borough=borough)
        for i, (postcode, borough) in enumerate(
            [("SE5 9RS", "Southwark"), ("E9 6SR", "Hackney"), ("CR0 1AA", "Croydon"), ("", "Southwark")]
        )
    ]
    opportunities = []
    for _ in range(count):
        site = rng.choice(sites)
        opportunities.append(
            Opportunity(
                organisation=site.organisation,
                site=site,
                title=rng.choice(["Ward day", "Pharmacy week", "Theatre shadowing", "Ambulance ride-along"]),
                profession_area=rng.choice([ProfessionArea.NURSING, ProfessionArea.PHARMACY]),
                kind=rng.choice([OpportunityKind.PLACEMENT, OpportunityKind.INSIGHT_DAY]),
                description="-",
                activities="-",
                status=rng.choice([OpportunityStatus.PUBLISHED] * 5 + [OpportunityStatus.DRAFT]),
                last_confirmed_on=today - timedelta(days=rng.choice([0, 10, 60, 61, 90])),
            )
        )
    Opportunity.objects.bulk_create(opportunities)
    cohorts = []
    for opportunity in Opportunity.objects.all():
        for _ in range(rng.choice([0, 1, 1, 2, 3])):
            start = today + timedelta(days=rng.choice([-3, 0, 1, 8, 8, 20, 45]))
            capacity = rng.choice([1, 2, 4])
            cohorts.append(
                Cohort(
                    opportunity=opportunity,
                    start_date=start,
                    end_date=start + timedelta(days=rng.choice([0, 4, 30])),
                    capacity=capacity,
                    booked=rng.randint(0, capacity),
                    application_deadline=start - timedelta(days=rng.choice([0, 2, 9])),
                )
            )
    Cohort.objects.bulk_create(cohorts)
    opportunity_listings_refresh()  # as every bulk writer does (bulk_create sends no signals)


def _queries() -> list[FinderQuery]:
    today = timezone.localdate()
    camberwell = geography.locate("SE5 9RS")
    return [
        FinderQuery(),
        FinderQuery(profession_areas=(ProfessionArea.PHARMACY,)),
        FinderQuery(kinds=(OpportunityKind.INSIGHT_DAY,), borough="Southwark"),
        FinderQuery(text="ward"),
        FinderQuery(text="kings"),
        FinderQuery(available_from=today + timedelta(days=8)),
        FinderQuery(available_to=today + timedelta(days=30)),
        FinderQuery(near=camberwell),
        FinderQuery(near=camberwell, within_km=10),
        FinderQuery(near=camberwell, profession_areas=(ProfessionArea.NURSING,), available_from=today),
        FinderQuery(text="no such thing"),
    ]


def _old_answer(query: FinderQuery, page_number, *, today=None):
    """What the finder answered before issue 15's round 3: the full grouped list through Django's paginator."""
    page = Paginator(opportunities_for_finder(query, today=today), PER_PAGE).get_page(page_number)
    return page.paginator.count, page.number, [_card(query, o) for o in page.object_list]


def _card(query: FinderQuery, opportunity):
    card = (
        opportunity.pk,
        opportunity.title,
        opportunity.next_start,
        opportunity.places_left,
        opportunity.open_cohorts,
    )
    return (*card, opportunity.distance_sq) if query.near else card


@pytest.mark.django_db
def test_every_page_of_every_question_is_what_the_full_grouped_list_gave(finder_cache_off):
    _varied_opportunities(120)
    compared = 0
    for query in _queries():
        for page_number in PAGE_NUMBERS:
            page = finder_page(query, page_number, per_page=PER_PAGE)
            new = (page.paginator.count, page.number, [_card(query, o) for o in page.object_list])
            assert new == _old_answer(query, page_number), (query, page_number)
            compared += len(new[2])
    assert compared > 200  # the fixture gives full pages, not only empty ones


@pytest.mark.django_db
def test_the_page_reads_the_cards_own_columns_not_the_long_texts(finder_cache_off, django_assert_num_queries):
    _varied_opportunities(40)
    page = finder_page(FinderQuery(), 1, per_page=PER_PAGE)
    with django_assert_num_queries(0):  # organisation, site and department came with the page
        [(o.organisation.name, o.site.postcode, o.department, o.title, o.kind) for o in page]
    assert all("description" in o.get_deferred_fields() for o in page)


@pytest.mark.django_db
@pytest.mark.parametrize("size", [80, 800])
def test_queries_stay_bounded_whatever_the_number_of_opportunities(finder_cache_off, django_assert_num_queries, size):
    _varied_opportunities(size, seed=size)
    camberwell = geography.locate("SE5 9RS")
    with django_assert_num_queries(2):  # the page's keys and figures with the count, then its 7 opportunities
        page = finder_page(FinderQuery(), "2", per_page=PER_PAGE)
    assert len(page) == PER_PAGE
    with django_assert_num_queries(2):
        finder_page(FinderQuery(near=camberwell), 1, per_page=PER_PAGE)
    with django_assert_num_queries(4):  # past the end: an empty read, the count, then the last page as before
        page = finder_page(FinderQuery(), "999", per_page=PER_PAGE)
    assert page.number == page.paginator.num_pages and len(page) > 0
