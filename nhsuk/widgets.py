"""Widgets rendered with the NHS.UK design system's markup."""

from datetime import date

from django import forms
from django.template import loader
from django.utils.safestring import mark_safe

from nhsuk.field_renderer import render_date_input

DATE_PARTS = ("day", "month", "year")
DATE_INPUT_TEMPLATE = "nhsuk/widgets/date_input.html"

# Passed through ``attrs`` by the ``nhsuk_widget`` tag to say which of day/month/year to
# outline in red; popped before rendering, so it never reaches the HTML.
ERROR_PARTS_ATTR = "nhsuk-error-parts"


class NHSDateInput(forms.MultiWidget):
    """Day, month and year boxes: the NHS.UK date input pattern.

    Inputs are ``type="text" inputmode="numeric"`` as the design system recommends
    (``type="number"`` changes values on scroll and drops leading zeros).
    """

    template_name = DATE_INPUT_TEMPLATE
    labels = {"day": "Day", "month": "Month", "year": "Year"}
    widths = {"day": 2, "month": 2, "year": 4}

    def __init__(self, attrs=None):
        widgets = {
            part: forms.TextInput(
                attrs={
                    "class": f"nhsuk-input nhsuk-date-input__input nhsuk-input--width-{self.widths[part]}",
                    "inputmode": "numeric",
                    "maxlength": self.widths[part],
                }
            )
            for part in DATE_PARTS
        }
        super().__init__(widgets, attrs)

    def _render(self, template_name, context, renderer=None):
        if template_name == DATE_INPUT_TEMPLATE:
            # The template's markup written in Python (the same characters, issue 15).
            return mark_safe(render_date_input(context["widget"]))  # noqa: S308 - every value is escaped there
        # The template lives in the project's templates/ folder, which Django's default
        # form renderer does not search; the project's own engine does.
        return mark_safe(loader.render_to_string(template_name, context))  # noqa: S308 - autoescaped template

    def decompress(self, value):
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        if isinstance(value, str) and value:
            # An initial value given as an ISO string, e.g. from a model default.
            try:
                parsed = date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
            return [parsed.day, parsed.month, parsed.year]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        return [data.get(f"{name}_{part}", "") for part in DATE_PARTS]

    def value_omitted_from_data(self, data, files, name):
        return all(f"{name}_{part}" not in data for part in DATE_PARTS)

    def get_context(self, name, value, attrs):
        attrs = dict(attrs or {})
        error_parts = set(str(attrs.pop(ERROR_PARTS_ATTR, "")).split())
        # The fieldset, not each box, carries the description; the boxes carry their own labels.
        attrs.pop("aria-describedby", None)
        invalid = attrs.pop("aria-invalid", None)
        context = super().get_context(name, value, attrs)
        context["widget"]["id"] = attrs.get("id", "")
        for part, subwidget in zip(DATE_PARTS, context["widget"]["subwidgets"], strict=True):
            subwidget["part"] = part
            subwidget["label"] = self.labels[part]
            classes = subwidget["attrs"].get("class", "").split()
            if part in error_parts and "nhsuk-input--error" not in classes:
                classes.append("nhsuk-input--error")
            subwidget["attrs"]["class"] = " ".join(classes)
            subwidget["has_error"] = part in error_parts
            if invalid and part in error_parts:
                subwidget["attrs"]["aria-invalid"] = "true"
        return context
