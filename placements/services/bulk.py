"""Fast bulk reads and inserts for the matching job (hundreds of thousands of rows).

On PostgreSQL, inserts stream through COPY and reads skip Django's per-row model machinery; elsewhere
(SQLite for ``make run``) they fall back to ``bulk_create`` and ordinary queries. Same rows either way.
"""

import io
import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from functools import lru_cache

from django.db import connection, models


def in_chunks(ids: Sequence[int]):
    """Split a long id list for ``pk__in``: SQLite caps a query's parameters, PostgreSQL takes them in one go."""
    size = 900 if connection.vendor == "sqlite" else 100_000
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def fetch_rows(queryset) -> list[tuple]:
    """The rows of a ``values_list`` queryset as plain tuples, without per-row conversion.

    JSON columns come back as text here (Django parses them itself in the ORM); callers decode them.
    """
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def decode_json(value):
    """Parse a JSON column read by ``fetch_rows`` (a few distinct short values repeat across many rows)."""
    return _decode_text(value) if isinstance(value, str) else value


@lru_cache(maxsize=4096)
def _decode_text(value: str):
    decoded = json.loads(value)
    return tuple(decoded) if isinstance(decoded, list) else decoded


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Insert ``rows`` (values in ``fields`` order; foreign keys as ``<name>_id``) and return how many."""
    rows = list(rows)
    if not rows:
        return 0
    if connection.vendor != "postgresql":
        model.objects.bulk_create((model(**dict(zip(fields, row, strict=True))) for row in rows), batch_size=5000)
        return len(rows)
    # Columns left out get their model default, as bulk_create would give them (COPY knows no Django defaults).
    defaults = [
        f
        for f in model._meta.concrete_fields
        if f.name not in fields and f.attname not in fields and not f.primary_key and (f.has_default() or not f.null)
    ]
    fields = [*fields, *(f.attname for f in defaults)]
    rows = [(*row, *(f.get_default() for f in defaults)) for row in rows]
    columns = [model._meta.get_field(name).column for name in fields]
    json_fields = {i for i, name in enumerate(fields) if isinstance(model._meta.get_field(name), models.JSONField)}
    buffer = io.StringIO()
    buffer.writelines(
        "\t".join(_copy_value(value, i in json_fields) for i, value in enumerate(row)) + "\n" for row in rows
    )
    buffer.seek(0)
    table = connection.ops.quote_name(model._meta.db_table)
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        cursor.copy_expert(f"COPY {table} ({quoted}) FROM STDIN", buffer)
    return len(rows)


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_value(value, is_json: bool) -> str:
    """One value in COPY's text format: \\N for NULL, backslash escapes for tabs, newlines and backslashes."""
    if value is None:
        return "\\N"
    if is_json:
        return json.dumps(value, separators=(",", ":")).translate(_ESCAPES)
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).translate(_ESCAPES)
