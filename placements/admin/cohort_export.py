"""The coordinator's cohort CSV, streamed: the first rows leave at once and memory stays flat however many cohorts.

django-import-export builds the whole file before sending it (a Dataset of every row, each cell rendered through
its widget, then the CSV text): at 10,000 cohorts the coordinator waits for all of it and the worker holds it all.
Here the same file is written a chunk of rows at a time from plain values. It is the library's file byte for byte,
columns, dates in words, formulae neutralised (``tests/placements/test_capacity_export_streaming.py`` compares
both), so an exported file still imports unchanged.
"""

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from import_export.signals import post_export

from placements.csv_streams import CHUNK_ROWS, csv_chunks, day_cells, text_cell
from placements.resources import COLUMNS, CohortResource

# The values behind COLUMNS, in the same order.
VALUES = (
    "pk",
    "opportunity_id",
    "opportunity__title",
    "opportunity__site__name",
    "start_date",
    "end_date",
    "capacity",
    "booked",
    "application_deadline",
)


def cohort_csv_response(*, actor, queryset: QuerySet, filename: str) -> StreamingHttpResponse:
    """The export of ``queryset`` (the list as filtered and sorted), limited to what ``actor`` may see."""
    # The resource's own scoping: whatever queryset comes in, only the actor's rows leave.
    scoped = CohortResource(actor=actor).filter_export(queryset).values_list(*VALUES)
    response = StreamingHttpResponse(
        csv_chunks(COLUMNS, _rows(scoped.iterator(chunk_size=CHUNK_ROWS))), content_type="text/csv"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    post_export.send(sender=None, model=queryset.model)
    return response


def _rows(values):
    days = day_cells()
    for pk, opportunity_id, title, site, start, end, places, booked, deadline in values:
        yield (
            str(pk),
            str(opportunity_id),
            text_cell(title),
            text_cell(site),
            days(start),
            days(end),
            str(places),
            str(booked),
            days(deadline),
        )
