"""Template filters for staff pages (tutors, host coordinators)."""

from django import template

from placements.workflow import staff_label

register = template.Library()


@register.filter
def staff_status_label(value: str) -> str:
    """A status as staff read it: "Cancelled by the student", not the student's "Cancelled by you"."""
    return staff_label(value)
