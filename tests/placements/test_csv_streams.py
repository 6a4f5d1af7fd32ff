"""The streaming CSV helpers write exactly what the page wording writes, however often a value repeats."""

import csv
import datetime
import io
import json
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from placements.csv_streams import csv_chunks, day_cells, labels_cells, memoised, text_cell, timestamp_cells
from placements.taxonomy import ProfessionArea
from placements.templatetags.wording import day, timestamp

UTC = datetime.UTC
LONDON = ZoneInfo("Europe/London")

MOMENTS = [
    # Either side of the clocks going forward (30 March 2025, 1am UTC) and back (26 October 2025, 1am UTC).
    datetime.datetime(2025, 3, 30, 0, 59, tzinfo=UTC),
    datetime.datetime(2025, 3, 30, 1, 0, tzinfo=UTC),
    datetime.datetime(2025, 10, 26, 0, 30, tzinfo=UTC),
    datetime.datetime(2025, 10, 26, 1, 30, tzinfo=UTC),
    # Late in the evening in UTC is the next day in London in summer; midnight and midday have their own words.
    datetime.datetime(2026, 6, 30, 23, 15, tzinfo=UTC),
    datetime.datetime(2026, 1, 4, 0, 0, tzinfo=UTC),
    datetime.datetime(2026, 7, 4, 11, 0, tzinfo=UTC),
    datetime.datetime(2026, 7, 4, 8, 50, 59, tzinfo=LONDON),
    datetime.datetime(2026, 12, 1, 13, 5, tzinfo=ZoneInfo("America/New_York")),
    datetime.datetime(2026, 12, 1, 9, 30),  # naive: taken as it is, as wording.timestamp does
    datetime.date(2027, 1, 4),
    None,
    "",
]


@pytest.mark.parametrize("zone", ["Europe/London", "Asia/Kolkata"])
def test_timestamp_cells_write_what_wording_timestamp_writes(zone):
    with timezone.override(zone):
        cell = timestamp_cells()
        for _ in range(2):  # the second pass answers from the cache
            assert [cell(moment) for moment in MOMENTS] == [timestamp(moment) for moment in MOMENTS]


def test_day_cells_write_what_wording_day_writes():
    cell = day_cells()
    dates = [datetime.date(2027, 1, 4), datetime.date(2026, 12, 31), None, datetime.date(2027, 1, 4)]
    assert (
        [cell(d) for d in dates] == [day(d) for d in dates] == ["4 January 2027", "31 December 2026", "", day(dates[0])]
    )


def test_labels_cells_label_each_code_from_text_or_a_list_and_keep_unknown_codes_neutralised():
    cell = labels_cells(dict(ProfessionArea.choices))
    labels = dict(ProfessionArea.choices)
    assert cell('["nursing", "midwifery"]') == f"{labels['nursing']}; {labels['midwifery']}"
    assert cell(["nursing", "midwifery"]) == f"{labels['nursing']}; {labels['midwifery']}"
    assert cell("[]") == cell([]) == cell(None) == ""
    assert cell(json.dumps(["=cmd()"])) == "'=cmd()"


def test_memoised_formats_each_distinct_value_once():
    calls = []
    cell = memoised(lambda value: calls.append(value) or f"<{value}>")
    assert [cell(v) for v in ["a", "b", "a", "a", "b"]] == ["<a>", "<b>", "<a>", "<a>", "<b>"]
    assert calls == ["a", "b"]


def test_memoised_stops_remembering_past_its_limit_so_memory_stays_flat():
    calls = []
    cell = memoised(lambda value: calls.append(value) or str(value), limit=2)
    assert [cell(v) for v in [1, 2, 3, 3, 1]] == ["1", "2", "3", "3", "1"]
    assert calls == [1, 2, 3, 3]  # 1 and 2 remembered; 3 came after the limit


def test_text_cells_are_neutralised_and_none_is_empty():
    assert [text_cell(v) for v in ["=SUM(A1)", "+1", "-1", "@x", "\tx", "Sam", None, 7]] == [
        "'=SUM(A1)",
        "'+1",
        "'-1",
        "'@x",
        "'\tx",
        "Sam",
        "",
        "7",
    ]


def test_csv_chunks_are_the_header_then_rows_a_chunk_at_a_time_and_read_back_as_written():
    rows = [(n, f'name "{n}", with comma', "line\nbreak") for n in range(7)]
    chunks = list(csv_chunks(["id", "name", "note"], iter(rows), chunk_rows=3))
    assert len(chunks) == 1 + 3  # the header, then 3 + 3 + 1 rows
    assert chunks[0] == "id,name,note\r\n"
    read = list(csv.reader(io.StringIO("".join(chunks))))
    assert read == [["id", "name", "note"], *[[str(n), name, note] for n, name, note in rows]]
