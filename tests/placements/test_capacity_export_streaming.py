"""The coordinator's cohort CSV streams: django-import-export's file byte for byte, first bytes early, flat memory."""

import datetime as dt
import time
import tracemalloc
from urllib.parse import urlencode

import pytest
from django.http import StreamingHttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from import_export.admin import ExportMixin
from import_export.formats.base_formats import CSV

from placements.admin.coordinator import CoordinatorCohortAdmin
from placements.admin.coordinator_site import coordinator_site
from placements.models import Cohort, Opportunity
from tests import factories

TODAY = timezone.localdate()
EXPORT_URL = reverse("coordinator:placements_cohort_export")
HOSTILE_TITLES = ['=HYPERLINK("http://evil.example","Click")', "+1", "-1 day", "@SUM(A1)", 'Ward, "A" & <b>', "Ünïcode"]


@pytest.fixture
def capacity(trust, other_trust):
    site = factories.SiteFactory(organisation=trust, name="=Site, with comma")
    opportunities = [factories.OpportunityFactory(site=site, title=title) for title in HOSTILE_TITLES]
    for n in range(30):
        start = TODAY + dt.timedelta(days=10 + n)
        factories.CohortFactory(
            opportunity=opportunities[n % len(opportunities)],
            start_date=start,
            end_date=start + dt.timedelta(days=n % 4),
            capacity=n,
        )
    Cohort.objects.filter(capacity__gte=5).update(booked=3)
    other = factories.OpportunityFactory(site=factories.SiteFactory(organisation=other_trust), title="Not yours")
    factories.CohortFactory(opportunity=other)
    return opportunities


def _streamed(response) -> bytes:
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content)


def _librarys_own_file(coordinator, query: dict) -> bytes:
    """What django-import-export itself would send for the same request (its non-streaming path)."""
    request = RequestFactory().post(f"{EXPORT_URL}?{urlencode(query)}", {"format": "0", "resource": "0"})
    request.user = coordinator
    admin = CoordinatorCohortAdmin(Cohort, coordinator_site)
    queryset = admin.get_export_queryset(request)
    return ExportMixin._do_file_export(admin, CSV(), request, queryset).content


@pytest.mark.django_db
@pytest.mark.parametrize("query", [{}, {"o": "-2"}, {"opportunity__id__exact": "first"}])
def test_the_streamed_export_is_the_librarys_own_file(client, coordinator, capacity, query):
    if "opportunity__id__exact" in query:
        query = {"opportunity__id__exact": str(capacity[0].pk)}
    client.force_login(coordinator)
    response = client.post(f"{EXPORT_URL}?{urlencode(query)}", {"format": "0", "resource": "0"})
    assert response.status_code == 200 and response["Content-Type"] == "text/csv"
    assert response["Content-Disposition"].startswith('attachment; filename="Cohort-')
    streamed = _streamed(response)
    assert streamed == _librarys_own_file(coordinator, query)
    text = streamed.decode()
    assert "Not yours" not in text and "'=HYPERLINK" in text and "'=Site, with comma" in text


@pytest.mark.django_db
def test_exporting_selected_rows_streams_only_those(client, coordinator, capacity):
    client.force_login(coordinator)
    chosen = list(Cohort.objects.filter(opportunity__in=capacity).order_by("pk").values_list("pk", flat=True)[:3])
    other = Cohort.objects.get(opportunity__title="Not yours").pk
    response = client.post(EXPORT_URL, {"format": "0", "resource": "0", "export_items": [*chosen, other]})
    lines = _streamed(response).decode().splitlines()
    assert sorted(int(line.split(",")[0]) for line in lines[1:]) == chosen


def _bulk_cohorts(opportunity: Opportunity, count: int) -> None:
    Cohort.objects.bulk_create(
        Cohort(
            opportunity=opportunity,
            start_date=TODAY + dt.timedelta(days=10 + n % 300),
            end_date=TODAY + dt.timedelta(days=12 + n % 300),
            capacity=5,
            application_deadline=TODAY + dt.timedelta(days=5),
        )
        for n in range(count)
    )


def _read_export(client) -> tuple[int, int, float]:
    """(lines, peak traced bytes, seconds to the first chunk) of one export, read a chunk at a time."""
    tracemalloc.start()
    try:
        started = time.perf_counter()
        response = client.post(EXPORT_URL, {"format": "0", "resource": "0"})
        chunks = iter(response.streaming_content)
        first = next(chunks)
        first_seconds = time.perf_counter() - started
        lines = first.count(b"\n") + sum(chunk.count(b"\n") for chunk in chunks)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return lines, peak, first_seconds


def _first_chunk_seconds(client) -> float:
    started = time.perf_counter()
    response = client.post(EXPORT_URL, {"format": "0", "resource": "0"})
    chunks = iter(response.streaming_content)
    next(chunks)
    seconds = time.perf_counter() - started
    # Read to the end: the test client's wrapper then ends the request without closing the test's database
    # connection (response.close() alone sends request_finished, which on PostgreSQL closes it).
    for _ in chunks:
        pass
    return seconds


def _page_seconds(client, url) -> float:
    started = time.perf_counter()
    assert client.get(url).status_code == 200
    return time.perf_counter() - started


@pytest.mark.django_db
def test_the_cohort_export_streams_with_flat_memory_and_an_early_first_byte(client, coordinator, trust):
    opportunity = factories.OpportunityFactory(site=factories.SiteFactory(organisation=trust))
    client.force_login(coordinator)
    _bulk_cohorts(opportunity, 1_000)
    lines_small, peak_small, _ = _read_export(client)
    assert lines_small == 1_001  # the header and every row

    _bulk_cohorts(opportunity, 9_000)
    lines_large, peak_large, _ = _read_export(client)
    assert lines_large == 10_001
    print(f"cohort export peak: {peak_small / 1e6:.2f} MB at 1,000 rows, {peak_large / 1e6:.2f} MB at 10,000")
    # Ten times the rows, about the same memory: rows are read and written a chunk at a time.
    assert peak_large <= 1.5 * peak_small, (peak_small, peak_large)

    # Timed without tracemalloc (it slows everything it traces), best of three each: the machine is shared.
    first_seconds = min(_first_chunk_seconds(client) for _ in range(3))
    page_seconds = min(_page_seconds(client, reverse("coordinator:placements_cohort_changelist")) for _ in range(3))
    print(f"first chunk of 10,000 rows after {first_seconds * 1000:.0f} ms; the list in {page_seconds * 1000:.0f} ms")
    # The first bytes of 10,000 rows leave sooner than the list page of 100 of them is rendered.
    assert first_seconds < page_seconds, (first_seconds, page_seconds)
