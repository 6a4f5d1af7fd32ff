"""The rows of an admin list, written as Django's ``items_for_result`` writes them, for a fraction of its cost.

Django works out every cell of a list from scratch: how the column is displayed, its classes, the row's link (a URL
reversed per row), the checkbox (a form widget rendered through templates per row), and the value's format (dates and
numbers localised per cell). On the coordinator's cohort list that was about 2 ms a row, most of the page. Here what
does not depend on the row is worked out once per list: the column's kind and classes, the link and checkbox with a
placeholder for the row's id, and each distinct date or number once. Each row then costs a look-up of its values and
some escaping. ``tests/placements/test_admin_result_rows.py`` checks the output is Django's, byte for byte.

A ModelAdmin opts in with ``fast_result_rows = True``; lists this does not cover (editable lists, pop-ups, a
``to_field``) are written by Django as before (``fast_results`` answers ``None``).
"""

import datetime
import decimal
from urllib.parse import quote as url_quote

from django.contrib.admin import ModelAdmin
from django.contrib.admin.templatetags.admin_list import ResultList, _coerce_field_name, items_for_result
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import (
    display_for_field,
    display_for_value,
    get_fields_from_path,
    lookup_field,
    quote,
)
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.db.models.constants import LOOKUP_SEP
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe

# Stands in for the row's id and name in what is worked out once; replaced in each row.
_ID = "F4STR0WID"
_NAME = "F4STR0WNAME"
# Values formatted once per list and then looked up (dates and numbers repeat down a column).
_REPEATING = (int, float, decimal.Decimal, datetime.date, datetime.time, type(None))


class _Placeholder:
    """A stand-in row for rendering a checkbox once: its id and its name are placeholders."""

    pk = _ID

    def __str__(self):
        return _NAME


def fast_results(cl) -> list[ResultList] | None:
    """The rows of ``cl`` as Django's ``results(cl)`` would write them, or None where Django must write them."""
    if cl.formset or cl.is_popup or cl.to_field or cl.list_display_links is None:
        return None
    columns = _columns(cl)
    rows = []
    for result in cl.result_list:
        try:
            cells = [column(result) for column in columns]
        except ObjectDoesNotExist:
            # A related row has gone: Django's own way of showing the empty value, for this row.
            cells = list(items_for_result(cl, result, None))
        rows.append(ResultList(None, cells))
    return rows


def _columns(cl):
    model_admin = cl.model_admin
    empty = model_admin.get_empty_value_display()
    columns, first = [], True
    for index, field_name in enumerate(cl.list_display):
        if first and not cl.list_display_links:
            link = True
        else:
            link = field_name in cl.list_display_links
        tag = None
        if link:
            tag, first = ("th" if first else "td"), False
        columns.append(_column(cl, index, field_name, empty, tag))
    return columns


def _column(cl, index, field_name, empty, tag):
    """A function from a row to its cell's HTML for this column."""
    model_admin = cl.model_admin
    name_class = f"field-{_coerce_field_name(field_name, index)}"
    by_value = {}

    def formatted(f, attr, value, column_empty, link):
        if f is None or f.auto_created:
            boolean = getattr(attr, "boolean", False)
            if isinstance(attr, property) and hasattr(attr, "fget"):
                boolean = getattr(attr.fget, "boolean", False)
            return display_for_value(value, column_empty, boolean)
        if isinstance(f.remote_field, models.ManyToOneRel):
            return column_empty if value is None else value
        return display_for_field(value, f, column_empty, avoid_link=link)

    def classes(f, value) -> str:
        if f is None or f.auto_created:
            if field_name == "action_checkbox":
                return "action-checkbox"
            return f"{name_class} nowrap" if isinstance(value, (datetime.date, datetime.time)) else name_class
        if isinstance(f, (models.DateField, models.TimeField, models.ForeignKey)):
            return f"{name_class} nowrap"
        return name_class

    link_parts = _link_parts(cl) if tag else None
    checkbox = _checkbox_parts(model_admin) if field_name == "action_checkbox" else None

    def cell(result) -> SafeString:
        if checkbox is not None:
            rendered = checkbox(result)
            return mark_safe(f'<td class="action-checkbox">{rendered}</td>')  # noqa: S308 - Django's widget, ids escaped
        f, attr, value = lookup_field(field_name, result, model_admin)
        column_empty = getattr(attr, "empty_value_display", empty)
        if f is None and isinstance(field_name, str) and LOOKUP_SEP in field_name:
            try:
                f = get_fields_from_path(cl.model, field_name)[-1]
            except FieldDoesNotExist:
                pass
        if isinstance(value, _REPEATING) and not isinstance(value, bool):
            key = (f, value.__class__, value)
            try:
                shown = by_value[key]
            except KeyError:
                shown = by_value[key] = formatted(f, attr, value, column_empty, tag is not None)
        else:
            shown = formatted(f, attr, value, column_empty, tag is not None)
        css = classes(f, value)
        if tag is None:
            return mark_safe(f'<td class="{css}">{conditional_escape(shown)}</td>')  # noqa: S308 - value escaped
        if link_parts is None:
            return mark_safe(f'<{tag} class="{css}">{conditional_escape(shown)}</{tag}>')  # noqa: S308 - value escaped
        before, after = link_parts
        href = escape(f"{before}{quote(getattr(result, cl.pk_attname))}{after}")
        # The class names are field names and fixed words; the link and the value are escaped.
        return mark_safe(f'<{tag} class="{css}"><a href="{href}">{conditional_escape(shown)}</a></{tag}>')  # noqa: S308

    return cell


def _link_parts(cl) -> tuple[str, str] | None:
    """The row's change link before and after its id (reversed once), or None if the list has no change page."""

    class Row:
        pass

    row = Row()
    setattr(row, cl.pk_attname, _ID)
    try:
        url = cl.url_for_result(row)
    except NoReverseMatch:
        return None
    url = add_preserved_filters({"preserved_filters": cl.preserved_filters, "opts": cl.opts}, url)
    before, found, after = url.partition(url_quote(_ID))
    return (before, after) if found else None


def _checkbox_parts(model_admin):
    """The row's checkbox: Django's widget rendered once, then the row's id and name put in (escaped as Django does)."""
    if type(model_admin).action_checkbox is not ModelAdmin.action_checkbox:
        return lambda result: model_admin.action_checkbox(result)
    rendered = str(model_admin.action_checkbox(_Placeholder()))
    if rendered.count(_ID) != 1 or rendered.count(_NAME) != 1 or rendered.index(_ID) > rendered.index(_NAME):
        return lambda result: model_admin.action_checkbox(result)
    before_id, _, rest = rendered.partition(_ID)
    between, _, after_name = rest.partition(_NAME)

    def checkbox(result) -> str:
        return f"{before_id}{escape(str(result.pk))}{between}{escape(str(result))}{after_name}"

    return checkbox
