"""The tutor's CSV export streams: the first bytes leave before the rows are read; memory stays flat as rows grow."""

import csv
import io
import time
import tracemalloc

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from placements.models import Application
from placements.workflow import Status
from tests.factories import RoundFactory


def _add_applications(college, round_, start: int, count: int) -> None:
    students = User.objects.bulk_create(
        User(email=f"stream{start + n}@example.test", role=Role.STUDENT, password="!") for n in range(count)
    )
    Application.objects.bulk_create(
        Application(
            student=student,
            round=round_,
            reference=f"S{start + n}",
            college=college,
            first_name="=HYPERLINK(1)" if start + n == 0 else "Sam",
            last_name=f"Streamed {start + n}",
            status=Status.READY_FOR_MATCHING,
            profession_areas=["nursing"],
            submitted_at=timezone.now(),
        )
        for n, student in enumerate(students)
    )


def _read_export(client) -> tuple[int, int, float]:
    """(rows, peak traced bytes, seconds to the first chunk) of one export, read a chunk at a time."""
    tracemalloc.start()
    try:
        started = time.perf_counter()
        response = client.get(reverse("placements:tutor-export"))
        assert response.status_code == 200 and response.streaming
        chunks = iter(response.streaming_content)
        first = next(chunks)
        first_seconds = time.perf_counter() - started
        rows = first.count(b"\n")
        for chunk in chunks:
            rows += chunk.count(b"\n")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return rows, peak, first_seconds


def _first_chunk_seconds(client, url) -> float:
    started = time.perf_counter()
    response = client.get(url)
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
def test_the_tutor_export_streams_with_flat_memory_and_an_early_first_byte(client, tutor, college):
    round_ = RoundFactory()
    _add_applications(college, round_, 0, 2_000)
    client.force_login(tutor)

    table = list(csv.reader(io.StringIO(client.get(reverse("placements:tutor-export")).getvalue().decode())))
    assert table[0][0] == "Reference" and len(table) == 2_001
    assert ["'=HYPERLINK(1)"] == [row[1] for row in table if row[0] == "S0"]  # formulae still neutralised

    rows_small, peak_small, _ = _read_export(client)
    assert rows_small == 2_001  # the header and every row

    _add_applications(college, round_, 2_000, 8_000)
    rows_large, peak_large, _ = _read_export(client)
    assert rows_large == 10_001
    # Five times the rows, about the same memory: rows are formatted and sent a chunk at a time.
    print(f"export peak: {peak_small / 1e6:.2f} MB at 2,000 rows, {peak_large / 1e6:.2f} MB at 10,000")
    assert peak_large <= 1.5 * peak_small, (peak_small, peak_large)

    # Timed without tracemalloc (it slows everything it traces), best of three each: the machine is shared.
    first_seconds = min(_first_chunk_seconds(client, reverse("placements:tutor-export")) for _ in range(3))
    page_seconds = min(_page_seconds(client, reverse("placements:tutor-home")) for _ in range(3))
    # The first bytes of 10,000 rows leave sooner than an ordinary page of 25 rows is rendered.
    print(f"first chunk {first_seconds * 1000:.0f} ms, tutor list page {page_seconds * 1000:.0f} ms")
    assert first_seconds < page_seconds, (first_seconds, page_seconds)
