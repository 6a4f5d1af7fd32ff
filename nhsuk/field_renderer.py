"""``nhsuk/field.html`` and ``nhsuk/widgets/date_input.html`` written out in Python.

Every field of every ``{{ form|crispy }}`` went through ``field.html``: three more ``{% include %}``s (label, hint,
errors) and about thirty template variables and filters, and each date through its own template. On the finder's
filter form (eight fields) that was most of the page's template time (issue 15). ``render_field`` writes the same
characters as ``field.html`` in the context ``{{ form|crispy }}`` gives it; the pack's ``uni_form.html`` calls it
through the ``nhsuk_field`` tag, which includes ``field.html`` as before whenever the context asks for anything
else (a label class, a wrapper class, hidden labels, prepended text, another field template).
tests/nhsuk/test_field_renderer.py compares the two for every kind of control, with and without data and errors.

The widgets themselves are rendered by the same code the template calls (``nhsuk_widget``,
``nhsuk_choice_input``), so only the markup around them is written here.
"""

from django.template.base import render_value_in_context
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from nhsuk.renderers import render_attrs, render_text

# The context keys field.html reads besides ``field``, and the value each has under ``{{ form|crispy }}``.
DEFAULT_FIELD_TEMPLATE = "nhsuk/field.html"
CONTEXT_FOR_TEMPLATE_ONLY = (
    "label_class",
    "wrapper_class",
    "form_group_wrapper_class",
    "inline_class",
    "crispy_prepended_text",
    "crispy_appended_text",
)


def can_render_in_python(context) -> bool:
    """True when ``context`` holds nothing that changes field.html's markup beyond what ``render_field`` writes."""
    template = context.get("field_template")
    if template and template != DEFAULT_FIELD_TEMPLATE:
        return False
    if context.get("form_show_labels") is False:
        return False
    return not any(context.get(key) for key in CONTEXT_FOR_TEMPLATE_ONLY)


def render_field(bound_field, context) -> SafeString:
    """What ``{% include "nhsuk/field.html" %}`` writes for ``bound_field`` (see ``can_render_in_python``)."""
    # Imported here: the template tag library imports this module for its ``nhsuk_field`` tag.
    from nhsuk.templatetags.nhsuk import nhsuk_control, nhsuk_describedby, nhsuk_id, nhsuk_is_grouped, nhsuk_widget

    def out(value):  # {{ value }}
        return render_value_in_context(value, context)

    control = nhsuk_control(bound_field)
    show_errors = context.get("form_show_errors") is not False
    if control == "hidden":
        return mark_safe(f"{out(bound_field)}\n")  # noqa: S308 - rendered as the template renders it
    base_id = nhsuk_id(bound_field)
    describedby = nhsuk_describedby(bound_field, show_errors)
    errors = bound_field.errors
    group_class = "nhsuk-form-group"
    if show_errors and errors:
        group_class += " nhsuk-form-group--error"
    if control == "file":
        group_class += " nhsuk-file-upload"
    error_html = _errors(bound_field, base_id, show_errors, out)
    hint_html = _hint(bound_field.help_text, base_id, out)
    optional = "" if bound_field.field.required else " (optional)"
    parts = [f'\n<div class="{group_class}">\n']
    if control == "checkbox":
        hint = (
            f'<div class="nhsuk-hint nhsuk-checkboxes__hint" id="{out(base_id)}-hint">{bound_field.help_text}</div>'
            if bound_field.help_text
            else ""
        )
        parts += [
            f"\n  {error_html}\n",
            '\n  <div class="nhsuk-checkboxes" data-module="nhsuk-checkboxes">\n',
            '    <div class="nhsuk-checkboxes__item">\n',
            f"      {nhsuk_widget(bound_field, show_errors)}\n",
            f'      <label class="nhsuk-label nhsuk-checkboxes__label" for="{out(bound_field.id_for_label)}">'
            f"{out(bound_field.label)}</label>\n",
            f"      {hint}\n    </div>\n  </div>\n",
        ]
    elif nhsuk_is_grouped(bound_field):
        role = ' role="group"' if control in ("date", "multi") else ""
        described = f' aria-describedby="{out(describedby)}"' if describedby else ""
        parts += [
            f'\n  <fieldset class="nhsuk-fieldset"{role}{described}>\n',
            f'    <legend class="nhsuk-fieldset__legend">{out(bound_field.label)}{optional}</legend>\n',
            f"    {hint_html}\n\n    {error_html}\n\n    ",
        ]
        if control in ("radios", "checkboxes"):
            parts.append(
                f'\n    <div class="nhsuk-{control}" id="{out(base_id)}" data-module="nhsuk-{control}">\n      '
            )
            parts += [_choice(option, control, out) for option in bound_field]
            parts.append("\n    </div>\n    ")
        else:
            parts.append(f"\n    {nhsuk_widget(bound_field, show_errors)}\n    ")
        parts.append("\n  </fieldset>\n")
    else:
        label = bound_field.label
        label_html = (
            f'<label class="nhsuk-label" for="{out(bound_field.id_for_label)}">{out(label)}{optional}</label>'
            if label
            else ""
        )
        widget_html = nhsuk_widget(bound_field, show_errors)
        parts.append(f"\n  {label_html}\n\n  {hint_html}\n\n  {error_html}\n\n  \n  {widget_html}\n  \n")
    parts.append("\n</div>\n\n")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped as the template escapes it


def _hint(help_text, base_id, out) -> str:
    """``layout/help_text.html`` (the hint is the form's own text, marked safe there)."""
    if not help_text:
        return ""
    return f'<div class="nhsuk-hint" id="{out(base_id)}-hint">{help_text}</div>'


def _errors(bound_field, base_id, show_errors, out) -> str:
    """``layout/field_errors.html``."""
    errors = bound_field.errors
    if not (errors and show_errors):
        return ""
    lines = "<br>".join(f'<span class="nhsuk-u-visually-hidden">Error:</span> {out(error)}' for error in errors)
    return f'<span class="nhsuk-error-message" id="{out(base_id)}-error">{lines}</span>'


def _choice(option, control, out) -> str:
    from nhsuk.templatetags.nhsuk import nhsuk_choice_input

    return (
        f'\n      <div class="nhsuk-{control}__item">\n'
        f"        {nhsuk_choice_input(option, control)}\n"
        f'        <label class="nhsuk-label nhsuk-{control}__label" for="{out(option.id_for_label)}">'
        f"{out(option.choice_label)}</label>\n      </div>\n      "
    )


def render_date_input(widget: dict) -> str:
    """``nhsuk/widgets/date_input.html``: the day, month and year boxes of ``NHSDateInput``."""
    widget_id = widget.get("id")
    id_attr = f' id="{conditional_escape(widget_id)}"' if widget_id else ""
    parts = [f'\n<div class="nhsuk-date-input"{id_attr}>\n']
    for subwidget in widget["subwidgets"]:
        error = " nhsuk-form-group--error" if subwidget.get("has_error") else ""
        value = "" if subwidget["value"] is None else f' value="{render_text(subwidget["value"])}"'
        box_id = conditional_escape(subwidget["attrs"].get("id", ""))
        name = conditional_escape(subwidget["name"])
        parts.append(
            '\n  <div class="nhsuk-date-input__item">\n'
            f'    <div class="nhsuk-form-group{error}">\n'
            f'      <label class="nhsuk-label nhsuk-date-input__label" for="{box_id}">'
            f"{conditional_escape(subwidget['label'])}</label>\n"
            f'      <input type="text" name="{name}"{value}{render_attrs(subwidget["attrs"])}>\n'
            "    </div>\n  </div>\n"
        )
    parts.append("\n</div>\n")
    return "".join(parts)
