"""The employer dashboard's table cells, written in Python: the page has about 2,500 of them (six areas by staff
group and by team, and every shared result), and a template loop resolving each one cost as much as the figures
themselves (issue 15). Each filter writes exactly what the template loop it replaces wrote, escaped the same way:
the texts are plain strings ("12", "fewer than 5", "Level 3"), which Django's ``escape`` passes through the
standard library's ``html.escape``, called here directly (``format_html`` per cell cost more than the loop).
"""

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def count_cells(cells) -> SafeString:
    """One numeric cell per figure of a row (a count, "fewer than 5" or "hidden")."""
    return mark_safe(  # noqa: S308 - every text is escaped as the template escaped it
        "".join(
            f'<td class="nhsuk-table__cell nhsuk-table__cell--numeric" data-count>{escape(cell.text)}</td>'
            for cell in cells
        )
    )


@register.filter
def level_cells(levels) -> SafeString:
    """One cell per area of a shared result: its level, or "Not answered"."""
    return mark_safe(  # noqa: S308 - the only text, "Level N", is escaped as the template escaped it
        "".join(
            '<td class="nhsuk-table__cell nhsuk-table__cell--numeric">'
            + ("Not answered" if level is None else escape(f"Level {level}"))
            + "</td>"
            for level in levels
        )
    )
