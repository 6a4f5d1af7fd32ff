"""The capacity lists' rows are written by placements.admin.result_rows: the page must be Django's own, byte for byte.

Each list is fetched twice, with the fast rows on and off, and the pages compared (the CSRF token differs per
response, so it is blanked). Titles and names carry markup and quotes, so escaping is compared too.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone

from placements.admin.base import CohortAdminBase, OpportunityAdminBase
from placements.models import Cohort, Opportunity
from placements.models.capacity import STALE_AFTER
from tests import factories

TODAY = timezone.localdate()
HOSTILE = "<b>Ward & \"theatre\"</b> 'tour' =1+1"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


@pytest.fixture
def capacity(trust):
    site = factories.SiteFactory(organisation=trust, name=f"Site {HOSTILE}")
    hostile = factories.OpportunityFactory(site=site, title=HOSTILE)
    plain = factories.OpportunityFactory(site=site, title="Shadow a ward nurse")
    # A stale opportunity (its confirmed date is shown with a warning) and one with no dates ("none planned").
    stale = factories.OpportunityFactory(site=site, title="Stale", last_confirmed_on=TODAY - STALE_AFTER * 2)
    factories.OpportunityFactory(site=site, title="No dates yet")
    for n in range(12):
        start = TODAY + dt.timedelta(days=20 + 7 * (n % 5))
        factories.CohortFactory(
            opportunity=(hostile, plain, stale)[n % 3],
            start_date=start,
            end_date=start + dt.timedelta(days=n % 3),
            capacity=1000 + n if n == 4 else n,  # a number with thousands
        )
    Cohort.objects.filter(capacity=3).update(booked=2)
    return {"hostile": hostile}


def _page(client, url, fast: bool, monkeypatch) -> str:
    monkeypatch.setattr(CohortAdminBase, "fast_result_rows", fast)
    monkeypatch.setattr(OpportunityAdminBase, "fast_result_rows", fast)
    response = client.get(url)
    assert response.status_code == 200, url
    return CSRF.sub('name="csrfmiddlewaretoken" value=""', response.content.decode())


def _assert_same_page(client, url, monkeypatch):
    django_page = _page(client, url, False, monkeypatch)
    fast_page = _page(client, url, True, monkeypatch)
    assert 'class="action-select"' in fast_page or "field-" in fast_page  # rows were written
    assert fast_page == django_page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "",
        "?o=-2.1",  # sorted by start date, newest first, then by opportunity
        "?q=ward",
        "?start_date__year={year}",
        "?opportunity__id__exact={hostile}",  # the row links keep the filter
    ],
)
def test_the_coordinators_cohort_list_is_djangos_own_html(client, coordinator, capacity, monkeypatch, query):
    client.force_login(coordinator)
    query = query.format(year=(TODAY + dt.timedelta(days=20)).year, hostile=capacity["hostile"].pk)
    _assert_same_page(client, f"/coordinator/placements/cohort/{query}", monkeypatch)


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "?stale=yes", "?o=6", "?status__exact=published"])
def test_the_coordinators_opportunity_list_is_djangos_own_html(client, coordinator, capacity, monkeypatch, query):
    client.force_login(coordinator)
    _assert_same_page(client, f"/coordinator/placements/opportunity/{query}", monkeypatch)


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["cohort", "opportunity"])
def test_the_site_admins_capacity_lists_are_djangos_own_html(client, site_admin, capacity, monkeypatch, model):
    client.force_login(site_admin)
    _assert_same_page(client, f"/admin/placements/{model}/", monkeypatch)


@pytest.mark.django_db
def test_a_popup_list_is_left_to_django(client, site_admin, capacity, monkeypatch):
    client.force_login(site_admin)
    _assert_same_page(client, "/admin/placements/opportunity/?_popup=1&_to_field=id", monkeypatch)


@pytest.mark.django_db
def test_the_cohort_list_costs_no_query_a_row(client, coordinator, capacity, django_assert_max_num_queries):
    client.force_login(coordinator)
    with django_assert_max_num_queries(12):
        assert client.get("/coordinator/placements/cohort/").status_code == 200
    assert Opportunity.objects.count() == 4
