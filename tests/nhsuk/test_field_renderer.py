"""``nhsuk/field.html`` and the date input's template written in Python: the same characters as the templates."""

import datetime
from pathlib import Path

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django import forms
from django.template import Context, engines
from django.template.loader import get_template, render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from nhsuk.field_renderer import can_render_in_python, render_date_input, render_field
from nhsuk.fields import NHSDateField
from placements.forms.finder import OpportunityFinderForm
from training.forms.catalogue import CatalogueFilterForm

CHOICES = [("a&b", "A & B <i>"), ("safe", mark_safe("<b>safe</b>")), ("lazy", gettext_lazy("Lazy")), (3, 3)]


class EveryControl(forms.Form):
    text = forms.CharField(label="Name <b>", help_text="Hint with <a href='#'>a link</a>", max_length=5)
    optional_text = forms.CharField(required=False)
    textarea = forms.CharField(widget=forms.Textarea, required=False, help_text=gettext_lazy("Lazy hint"))
    select = forms.ChoiceField(choices=[("", "Any"), *CHOICES], required=False)
    checkbox = forms.BooleanField(label="I agree", help_text="Tick it", required=True)
    plain_checkbox = forms.BooleanField(required=False)
    checkboxes = forms.MultipleChoiceField(choices=CHOICES, widget=forms.CheckboxSelectMultiple, required=False)
    radios = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect, help_text="Pick one")
    no_choices = forms.MultipleChoiceField(choices=[], widget=forms.CheckboxSelectMultiple, required=False)
    date = NHSDateField(help_text="For example, 15 7 2027")
    optional_date = NHSDateField(required=False, min_year=2000)
    split = forms.SplitDateTimeField(required=False)
    upload = forms.FileField(required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    email = forms.EmailField(label=gettext_lazy("Email"), required=False)
    number = forms.IntegerField(required=False, widget=forms.NumberInput(attrs={"id": "own-id", "class": "w"}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("text") == "two":
            self.add_error("text", "A second <message>")
        return cleaned


DATA = [
    None,
    {},
    {
        "text": "two",
        "optional_text": "<script>",
        "textarea": "line\n<b>",
        "select": "safe",
        "checkbox": "on",
        "checkboxes": ["a&b", "3"],
        "radios": "lazy",
        "date_day": "15",
        "date_month": "7",
        "date_year": "2027",
        "optional_date_day": "1",
        "optional_date_year": "19999",
        "split_0": "2027-01-01",
        "split_1": "10:00",
        "hidden": '"quoted"',
        "email": "not an email",
        "number": "ten",
    },
    {"text": "far too long", "radios": "nope", "date_day": "31", "date_month": "2", "date_year": "2027"},
]
INITIAL = {"date": datetime.date(2027, 1, 4), "optional_text": "initial & more"}
CRISPY_CONTEXT = {"form_show_errors": True, "form_show_labels": True, "label_class": "", "field_class": ""}


def _form(data, form_class=EveryControl):
    form = form_class(data, initial=INITIAL if form_class is EveryControl else None)
    if form.is_bound:
        form.is_valid()
    return form


@pytest.mark.parametrize("data", DATA)
@pytest.mark.parametrize("show_errors", [True, False])
def test_every_control_renders_as_field_html_does(data, show_errors):
    form = _form(data)
    template = get_template("nhsuk/field.html")
    for bound_field in form:
        values = {**CRISPY_CONTEXT, "form_show_errors": show_errors, "form": form, "field": bound_field}
        expected = template.render(values)
        context = Context(values)
        assert can_render_in_python(context)
        assert render_field(bound_field, context) == expected, bound_field.name


@pytest.mark.parametrize("data", DATA)
def test_the_whole_crispy_form_renders_as_it_did_with_the_include(data):
    form = _form(data)
    # The pack's uni_form.html as it was: one {% include %} of field.html per field.
    source = Path(get_template("nhsuk/uni_form.html").origin.name).read_text()
    assert "{% nhsuk_field field %}" in source
    before = engines["django"].from_string(
        source.replace("{% nhsuk_field field %}", '{% include field_template|default:"nhsuk/field.html" %}')
    )
    assert as_crispy_form(form) == before.render({**CRISPY_CONTEXT, "field_template": "nhsuk/field.html", "form": form})


@pytest.mark.parametrize(
    "form_class, data",
    [
        (OpportunityFinderForm, None),
        (OpportunityFinderForm, {"q": "ward <b>", "borough": "Hackney", "within_km": "5", "postcode": "X"}),
        (OpportunityFinderForm, {"available_from_day": "3", "available_to_year": "1", "kind": ["virtual"]}),
        (CatalogueFilterForm, None),
        (CatalogueFilterForm, {"from_date_day": "40", "step_free": "on", "topic": "nope", "audience": ["x"]}),
    ],
)
def test_the_public_filter_forms_render_as_field_html_does(form_class, data):
    form = _form(data, form_class)
    template = get_template("nhsuk/field.html")
    for bound_field in form:
        values = {**CRISPY_CONTEXT, "form": form, "field": bound_field}
        assert render_field(bound_field, Context(values)) == template.render(values), bound_field.name


@pytest.mark.parametrize(
    "extra",
    [
        {"label_class": "nhsuk-label--m"},
        {"form_show_labels": False},
        {"wrapper_class": "app-x"},
        {"form_group_wrapper_class": "app-y"},
        {"inline_class": "inline"},
        {"crispy_prepended_text": "£"},
        {"crispy_appended_text": "kg"},
        {"field_template": "nhsuk/layout/inline_field.html"},
    ],
)
def test_a_context_asking_for_more_goes_through_the_template(extra):
    form = _form(None)
    values = {**CRISPY_CONTEXT, **extra, "form": form}
    assert not can_render_in_python(Context(values))
    tag = engines["django"].from_string("{% load nhsuk %}{% for field in form %}{% nhsuk_field field %}{% endfor %}")
    field_template = get_template(extra.get("field_template", "nhsuk/field.html"))
    expected = "".join(field_template.render({**values, "field": field}) for field in form)
    assert tag.render(values) == expected


@pytest.mark.parametrize("data", DATA)
def test_the_date_boxes_render_as_their_template_does(data):
    form = _form(data)
    for name in ("date", "optional_date"):
        bound_field = form[name]
        attrs = {"nhsuk-error-parts": "day year", "aria-invalid": "true", "aria-describedby": "x"}
        for extra in ({}, attrs):
            widget = bound_field.field.widget
            context = widget.get_context(bound_field.html_name, bound_field.value(), {"id": f"id_{name}", **extra})
            expected = render_to_string("nhsuk/widgets/date_input.html", context)
            assert render_date_input(context["widget"]) == expected


def test_a_date_box_without_an_id_has_no_id_attribute():
    widget = EveryControl.base_fields["date"].widget
    context = widget.get_context("date", None, {})
    html = render_date_input(context["widget"])
    assert html == render_to_string("nhsuk/widgets/date_input.html", context)
    assert 'class="nhsuk-date-input">' in html
