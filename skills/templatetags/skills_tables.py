"""The employer dashboard's table cells, written in Python: the page has about 2,500 of them (six areas by staff
group and by team, and every shared result), and a template loop resolving each one cost as much as the figures
themselves (issue 15). Each filter writes exactly what the template loop it replaces wrote, escaped the same way.
"""

from django import template
from django.utils.html import format_html_join

register = template.Library()

COUNT_CELL = '<td class="nhsuk-table__cell nhsuk-table__cell--numeric" data-count>{}</td>'
LEVEL_CELL = '<td class="nhsuk-table__cell nhsuk-table__cell--numeric">{}</td>'


@register.filter
def count_cells(cells) -> str:
    """One numeric cell per figure of a row (a count, "fewer than 5" or "hidden")."""
    return format_html_join("", COUNT_CELL, ((cell.text,) for cell in cells))


@register.filter
def level_cells(levels) -> str:
    """One cell per area of a shared result: its level, or "Not answered"."""
    return format_html_join(
        "", LEVEL_CELL, (("Not answered" if level is None else f"Level {level}",) for level in levels)
    )
