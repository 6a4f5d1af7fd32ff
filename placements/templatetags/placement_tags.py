from django import template

from placements.next_steps import NEXT_STEPS
from placements.taxonomy import ProfessionArea, Vaccination
from placements.workflow import Status

register = template.Library()

TAG_COLOURS = {
    Status.DRAFT: "grey",
    Status.SUBMITTED: "blue",
    Status.AWAITING_CONSENT: "yellow",
    Status.READY_FOR_MATCHING: "blue",
    Status.MATCHED: "purple",
    Status.OFFERED: "orange",
    Status.ACCEPTED: "green",
    Status.CONFIRMED: "green",
    Status.IN_PROGRESS: "green",
    Status.COMPLETED: "green",
}


@register.filter
def status_label(value: str) -> str:
    return Status(value).label if value in Status.values else value


@register.filter
def status_colour(value: str) -> str:
    return TAG_COLOURS.get(value, "red")


@register.filter
def next_steps(value: str) -> str:
    return NEXT_STEPS.get(value, "")


@register.filter
def area_labels(values) -> str:
    labels = dict(ProfessionArea.choices)
    return ", ".join(labels.get(v, v) for v in values or [])


@register.filter
def vaccination_labels(values) -> str:
    labels = dict(Vaccination.choices)
    return ", ".join(labels.get(v, v) for v in values or []) or "None confirmed"
