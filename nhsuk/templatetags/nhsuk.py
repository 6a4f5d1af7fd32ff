"""Template helpers for the ``nhsuk`` crispy-forms template pack (nhsuk/templates/nhsuk/).

Django decides *what* a field is; these helpers only translate that into the NHS.UK
design system's classes and ids: ``{id}-hint``, ``{id}-error`` and the matching
``aria-describedby``.
"""

import re

from django import forms, template
from django.forms.formsets import BaseFormSet
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from nhsuk.field_renderer import DEFAULT_FIELD_TEMPLATE, can_render_in_python, render_field
from nhsuk.widgets import DATE_PARTS, ERROR_PARTS_ATTR, NHSDateInput

register = template.Library()

# Bootstrap classes that crispy's Submit/Button add and that mean nothing here.
_BOOTSTRAP_BUTTON_CLASSES = {"btn", "btn-primary", "btn-secondary", "btn-default", "btn-lg", "btn-sm"}
# ...and the ones its layout objects (Row, Column, Tab, MultiField, Alert) carry by default.
_BOOTSTRAP_LAYOUT_CLASSES = {
    "form-row",
    "row",
    "col",
    "ctrlHolder",
    "blockLabel",
    "tab-pane",
    "active",
    "alert",
    "alert-block",
    "form-actions",
    "form-group",
    "btn",
    "btn-primary",
    "btn-secondary",
    "btn-default",
}


def _widget(bound_field):
    return bound_field.field.widget


@register.filter
def nhsuk_control(bound_field):
    """Which NHS.UK pattern renders this field.

    One of ``hidden``, ``date``, ``checkbox`` (a single yes/no box), ``checkboxes``,
    ``radios``, ``select``, ``textarea``, ``file``, ``multi`` or ``input``.
    """
    widget = _widget(bound_field)
    if bound_field.is_hidden:
        return "hidden"
    if isinstance(widget, NHSDateInput):
        return "date"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.FileInput):
        return "file"
    if isinstance(widget, forms.MultiWidget):
        return "multi"
    return "input"


@register.filter
def nhsuk_is_grouped(bound_field):
    """True when the field is a group of inputs and so needs a fieldset and legend."""
    return nhsuk_control(bound_field) in {"radios", "checkboxes", "date", "multi"}


@register.filter
def nhsuk_id(bound_field):
    """The base id for the field's hint and error: ``id_<name>`` (or the widget's own id)."""
    return _widget(bound_field).attrs.get("id") or bound_field.auto_id or bound_field.html_name


@register.filter
def nhsuk_describedby(bound_field, show_errors=True):
    """``aria-describedby`` value: the hint and error ids that this field renders."""
    base = nhsuk_id(bound_field)
    ids = []
    if bound_field.help_text:
        ids.append(f"{base}-hint")
    if show_errors and bound_field.errors:
        ids.append(f"{base}-error")
    return " ".join(ids)


@register.filter
def nhsuk_error_href(bound_field):
    """Where the error summary should send the user: the first input of the field.

    For a date, the first of day/month/year that has the problem ("Date must include a
    month" links to the month box).
    """
    base = nhsuk_id(bound_field)
    control = nhsuk_control(bound_field)
    if control == "date":
        parts = _error_parts(bound_field) or list(DATE_PARTS)
        return f"#{base}_{DATE_PARTS.index(parts[0])}"
    if control in {"radios", "checkboxes", "multi"}:
        return f"#{base}_0"
    return f"#{bound_field.id_for_label or base}"


def _error_parts(bound_field):
    """Which of day/month/year to outline in red."""
    parts = []
    for error in bound_field.errors.as_data():
        highlight = (error.params or {}).get("highlight", DATE_PARTS)
        parts.extend(part for part in highlight if part not in parts)
    return parts


def _merge_classes(*class_strings):
    seen = []
    for classes in class_strings:
        for name in (classes or "").split():
            if name not in seen:
                seen.append(name)
    return " ".join(seen)


_CONTROL_CLASSES = {
    "input": ("nhsuk-input", "nhsuk-input--error"),
    "select": ("nhsuk-select", "nhsuk-select--error"),
    "textarea": ("nhsuk-textarea", "nhsuk-textarea--error"),
    "file": ("nhsuk-file-upload__input", "nhsuk-file-upload__input--error"),
    "checkbox": ("nhsuk-checkboxes__input", ""),
    "multi": ("nhsuk-input", "nhsuk-input--error"),
}


@register.simple_tag
def nhsuk_widget(bound_field, show_errors=True):
    """Render the field's widget with NHS.UK classes and ``aria-describedby``.

    Classes already on the widget (e.g. ``nhsuk-input--width-10``) are kept.
    """
    control = nhsuk_control(bound_field)
    widget = _widget(bound_field)
    has_errors = bool(show_errors and bound_field.errors)
    attrs = {}
    if control == "date":
        if has_errors:
            attrs[ERROR_PARTS_ATTR] = " ".join(_error_parts(bound_field))
        return bound_field.as_widget(attrs=attrs)
    if control in _CONTROL_CLASSES:
        base_class, error_class = _CONTROL_CLASSES[control]
        attrs["class"] = _merge_classes(base_class, widget.attrs.get("class"), error_class if has_errors else "")
    describedby = _merge_classes(nhsuk_describedby(bound_field, show_errors), widget.attrs.get("aria-describedby"))
    if describedby and control not in {"radios", "checkboxes", "multi"}:
        attrs["aria-describedby"] = describedby
    if control == "multi":
        # A MultiWidget spreads attrs to every sub-input; the class is all that belongs there.
        return bound_field.as_widget(attrs={"class": attrs["class"]})
    return bound_field.as_widget(attrs=attrs)


@register.simple_tag(takes_context=True)
def nhsuk_field(context, bound_field):
    """One field of a form, as ``{% include field_template|default:"nhsuk/field.html" %}`` writes it.

    Written in Python (nhsuk.field_renderer) unless the context asks for more than ``{{ form|crispy }}`` gives a
    field (a label or wrapper class, hidden labels, another field template): then the template, as before.
    """
    if can_render_in_python(context):
        return render_field(bound_field, context)
    template = context.template.engine.get_template(context.get("field_template") or DEFAULT_FIELD_TEMPLATE)
    with context.push(field=bound_field):
        return template.render(context)


@register.simple_tag
def nhsuk_choice_input(option, input_type):
    """One radio or checkbox of a RadioSelect / CheckboxSelectMultiple, NHS.UK style."""
    data = option.data
    attrs = {key: value for key, value in data["attrs"].items() if key not in {"class", "aria-describedby"}}
    attrs["class"] = f"nhsuk-{input_type}__input"
    attrs.setdefault("id", option.id_for_label)
    if data.get("selected"):
        attrs["checked"] = True
    return format_html(
        '<input type="{}" name="{}" value="{}"{}>',
        "radio" if input_type == "radios" else "checkbox",
        data["name"],
        "" if data["value"] is None else data["value"],
        flatatt(attrs),
    )


@register.simple_tag
def nhsuk_error_items(form):
    """The error summary's lines: ``[{"text": ..., "href": "#id_..." or ""}, ...]``.

    Non-field (and hidden-field) errors come first and have no link; then each visible
    field's errors in form order, each linking to the field's first input.
    Accepts a form or a formset.
    """
    if form is None:
        return []
    if isinstance(form, BaseFormSet):
        items = [{"text": str(message), "href": ""} for message in form.non_form_errors()]
        for sub_form in form.forms:
            items.extend(nhsuk_error_items(sub_form))
        return items
    if not getattr(form, "is_bound", False) or not form.errors:
        return []
    items = [{"text": str(message), "href": ""} for message in form.non_field_errors()]
    for bound_field in form:
        for message in bound_field.errors:
            if bound_field.is_hidden:
                items.append({"text": f"({bound_field.label}) {message}", "href": ""})
            else:
                items.append({"text": str(message), "href": nhsuk_error_href(bound_field)})
    return items


@register.filter
def nhsuk_button_classes(button_input):
    """NHS.UK classes for a crispy ``Submit``/``Button``/``Reset``, dropping Bootstrap's."""
    extra = [
        name
        for name in (getattr(button_input, "field_classes", "") or "").split()
        if name not in _BOOTSTRAP_BUTTON_CLASSES and not name.startswith("btn-")
    ]
    base = ["nhsuk-button"]
    if getattr(button_input, "input_type", "submit") != "submit" and not any(
        name.startswith("nhsuk-button--") for name in extra
    ):
        base.append("nhsuk-button--secondary")
    return _merge_classes(" ".join(base), " ".join(extra))


@register.filter
def nhsuk_flat_attrs(attrs):
    """``flatatt`` for a dict of attributes, marked safe."""
    return mark_safe(flatatt(attrs or {}))  # noqa: S308 - flatatt escapes every value


@register.filter
def nhsuk_not_false(value):
    """True unless the value is literally False: a context flag that is missing counts as on."""
    return value is not False


@register.filter
def nhsuk_legend_class(label_class):
    """Turn a label size (``nhsuk-label--m``) into the matching legend size for grouped fields."""
    return " ".join(name.replace("nhsuk-label--", "nhsuk-fieldset__legend--") for name in (label_class or "").split())


@register.filter
def nhsuk_layout_classes(classes):
    """Map the classes crispy's layout objects carry by default to NHS.UK ones, dropping Bootstrap's."""
    names = (classes or "").split()
    mapped = []
    if "tab-pane" in names:
        mapped.append("nhsuk-tabs__panel")
        if "active" not in names:
            mapped.append("nhsuk-tabs__panel--hidden")
    if "error" in names:
        mapped.append("nhsuk-form-group--error")
    dropped = _BOOTSTRAP_LAYOUT_CLASSES | {"error"}
    mapped.extend(name for name in names if name not in dropped and not name.startswith("col-"))
    return _merge_classes(*mapped)


@register.filter
def nhsuk_strict_button_attrs(flat_attrs):
    """Swap the Bootstrap class baked into a crispy ``StrictButton``'s attributes for NHS.UK's."""

    def replace(match):
        extra = [
            name
            for name in match.group(1).split()
            if name not in _BOOTSTRAP_BUTTON_CLASSES and not name.startswith("btn-")
        ]
        base = ["nhsuk-button"]
        if not any(name.startswith("nhsuk-button--") for name in extra):
            base.append("nhsuk-button--secondary")
        return f' class="{_merge_classes(" ".join(base), " ".join(extra))}"'

    text = str(flat_attrs or "")
    if ' class="' not in text:
        text += ' class="nhsuk-button nhsuk-button--secondary"'
    # The input is crispy's own flatatt output (escaped); we only rewrite class names in it.
    return mark_safe(re.sub(r' class="([^"]*)"', replace, text))  # noqa: S308
