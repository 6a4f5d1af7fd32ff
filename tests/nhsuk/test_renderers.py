"""The form renderer writes text inputs and selects in Python: byte for byte what Django's templates write."""

import datetime
import decimal

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from nhsuk.renderers import NHSFormRenderer
from placements.forms.finder import OpportunityFinderForm

CHOICES = [
    ("", "Any"),
    ("a&b", "A & B <i>"),
    ("safe", mark_safe("<b>safe</b>")),
    ("lazy", gettext_lazy("Lazy label")),
    ("Group", [("g1", "One"), ("g2", 'Two "quoted"')]),
    (3, "A number's value"),
]


class EveryWidget(forms.Form):
    text = forms.CharField(max_length=20, help_text="Hint", widget=forms.TextInput(attrs={"class": "x", "data-q": '"'}))
    email = forms.EmailField(required=False)
    number = forms.IntegerField(required=False, min_value=0)
    decimal = forms.DecimalField(required=False, max_digits=5, decimal_places=2)
    url = forms.URLField(required=False)
    password = forms.CharField(widget=forms.PasswordInput(render_value=True), required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    date = forms.DateField(required=False)
    flag_attrs = forms.CharField(
        required=False, widget=forms.TextInput(attrs={"autofocus": True, "disabled": False, "aria-x": mark_safe("<")})
    )
    select = forms.ChoiceField(choices=CHOICES, required=False)
    multiple = forms.MultipleChoiceField(choices=CHOICES, required=False)
    int_labels = forms.ChoiceField(choices=[(1, 1), (2, 2)], required=False)
    null = forms.NullBooleanField(required=False)
    flag = forms.BooleanField(required=False)
    flag_valued = forms.CharField(required=False, widget=forms.CheckboxInput(attrs={"value": "yes & no"}))


DATA = [
    None,
    {},
    {
        "text": "<script>&\"'",
        "email": "a@b",
        "number": "-3",
        "decimal": "1.5",
        "url": "x",
        "password": "p<",
        "hidden": "h",
        "date": "2027-07-15",
        "flag_attrs": "",
        "select": "g2",
        "multiple": ["a&b", "g1", "3"],
        "int_labels": "2",
        "null": "true",
        "flag": "on",
        "flag_valued": "x",
    },
    {"select": "not a choice", "number": "ten", "multiple": ["nope"], "decimal": "1e400"},
]
INITIAL = {"number": 7, "decimal": decimal.Decimal("2.50"), "date": datetime.date(2027, 1, 4), "select": 3}


def test_settings_use_the_renderer():
    assert settings.FORM_RENDERER == "nhsuk.renderers.NHSFormRenderer"


@pytest.mark.parametrize("data", DATA)
def test_every_widget_renders_as_the_templates_do(data):
    fast = EveryWidget(data, initial=INITIAL, renderer=NHSFormRenderer())
    slow = EveryWidget(data, initial=INITIAL, renderer=DjangoTemplates())
    fast.is_bound and fast.is_valid()
    slow.is_bound and slow.is_valid()
    for name in EveryWidget.base_fields:
        extra = {"class": "nhsuk-input nhsuk-input--error", "aria-describedby": "id_x-hint id_x-error"}
        assert str(fast[name].as_widget(attrs=extra)) == str(slow[name].as_widget(attrs=extra)), name
        assert str(fast[name]) == str(slow[name]), name
    assert fast.render() == slow.render()


@pytest.mark.parametrize(
    "query",
    [None, {"q": "ward <b>", "borough": "Hackney", "within_km": "5", "profession_area": ["nursing"], "postcode": "X"}],
)
def test_the_finder_form_renders_as_before(query):
    from crispy_forms.utils import render_crispy_form

    fast = OpportunityFinderForm(query, renderer=NHSFormRenderer())
    slow = OpportunityFinderForm(query, renderer=DjangoTemplates())
    assert render_crispy_form(fast) == render_crispy_form(slow)
