"""The form renderer: Django's own, with its text-input and select templates written out in Python.

Every text box and select on every page went through Django's widget templates: an ``{% include %}`` of
``attrs.html`` per widget and one more template (with its own context) per ``<option>``, which made the finder's
filter form (33 boroughs) cost as much as the rest of the page (issue 15). ``render`` produces exactly what those
templates produce (tests/nhsuk/test_renderers.py compares the two for every kind of value, attribute and choice)
and hands anything else, or anything unusual (a label that is not text, which a template would localise), to the
templates as before.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData

INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in ("input", "text", "email", "number", "url", "password", "tel", "search", "hidden", "checkbox")
)
SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


class NHSFormRenderer(DjangoTemplates):
    """``FORM_RENDERER``: text inputs and selects in Python, everything else through Django's templates."""

    def render(self, template_name, context, request=None):
        if request is None:
            if template_name in INPUT_TEMPLATES:
                return render_input(context["widget"])
            if template_name == SELECT_TEMPLATE:
                html = render_select(context["widget"])
                if html is not None:
                    return html
        return super().render(template_name, context, request)


def render_text(value) -> str:
    """``{{ value|stringformat:'s' }}``: ``%s`` of the value, escaped unless it was marked safe."""
    return str(value) if isinstance(value, SafeData) else conditional_escape("%s" % value)  # noqa: UP031 - what stringformat does


def render_attrs(attrs: dict) -> str:
    """``django/forms/widgets/attrs.html``: False leaves the attribute out, True writes its name alone."""
    return "".join(
        f" {conditional_escape(name)}" if value is True else f' {conditional_escape(name)}="{render_text(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def render_input(widget: dict) -> str:
    value = "" if widget["value"] is None else f' value="{render_text(widget["value"])}"'
    name = conditional_escape(widget["name"])
    return f'<input type="{conditional_escape(widget["type"])}" name="{name}"{value}{render_attrs(widget["attrs"])}>'


def _is_text(value) -> bool:
    return isinstance(value, (str, Promise))


def render_select(widget: dict) -> str | None:
    """``select.html`` and its ``select_option.html``s; None when a label or option template is unusual."""
    parts = [f'<select name="{conditional_escape(widget["name"])}"{render_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name and not _is_text(group_name):
            return None
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            if option["template_name"] != OPTION_TEMPLATE or not _is_text(option["label"]):
                return None
            parts.append(
                f'\n  <option value="{render_text(option["value"])}"{render_attrs(option["attrs"])}>'
                f"{conditional_escape(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)
