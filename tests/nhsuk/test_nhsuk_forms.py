"""The ``nhsuk`` crispy template pack and NHSDateField render the NHS.UK design system's form patterns."""

import datetime
import re
from html.parser import HTMLParser

import pytest
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout, Submit
from django import forms
from django.template import Context, Template
from django.template.loader import get_template, render_to_string

from nhsuk.fields import NHSDateField
from nhsuk.widgets import NHSDateInput


class Element:
    def __init__(self, tag, attrs):
        self.tag = tag
        self.attrs = {name: (value if value is not None else "") for name, value in attrs}
        self.text = ""

    @property
    def classes(self):
        return self.attrs.get("class", "").split()


class Page(HTMLParser):
    """Just enough of a DOM for assertions: every element with its attributes and own text."""

    VOID = {"input", "br", "img", "meta", "link", "hr"}

    def __init__(self, html):
        super().__init__()
        self.elements = []
        self._open = []
        self.feed(str(html))

    def handle_starttag(self, tag, attrs):
        element = Element(tag, attrs)
        self.elements.append(element)
        if tag not in self.VOID:
            self._open.append(element)

    def handle_endtag(self, tag):
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index].tag == tag:
                del self._open[index:]
                break

    def handle_data(self, data):
        for element in self._open:
            element.text += data

    def by_id(self, element_id):
        matches = [e for e in self.elements if e.attrs.get("id") == element_id]
        assert len(matches) == 1, f"expected one element with id={element_id!r}, found {len(matches)}"
        return matches[0]

    def with_class(self, name):
        return [e for e in self.elements if name in e.classes]

    def label_for(self, element_id):
        matches = [e for e in self.elements if e.tag == "label" and e.attrs.get("for") == element_id]
        assert len(matches) == 1, f"expected one label for {element_id!r}"
        return " ".join(matches[0].text.split())


BOROUGHS = [("", "Choose a borough"), ("camden", "Camden"), ("hackney", "Hackney")]
AGE_GROUPS = [("16-19", "16 to 19"), ("adult", "19 or over")]
INTERESTS = [("wards", "Hospital wards"), ("labs", "Laboratories"), ("community", "Community care")]


class ApplicationForm(forms.Form):
    full_name = forms.CharField(label="Full name", help_text="As it appears on your college record")
    statement = forms.CharField(label="Why do you want work experience?", widget=forms.Textarea)
    borough = forms.ChoiceField(label="Which borough do you live in?", choices=BOROUGHS)
    age_group = forms.ChoiceField(
        label="How old are you?", choices=AGE_GROUPS, widget=forms.RadioSelect, help_text="Select one option"
    )
    interests = forms.MultipleChoiceField(
        label="What would you like to see?", choices=INTERESTS, widget=forms.CheckboxSelectMultiple
    )
    agree = forms.BooleanField(label="I agree to the placement rules", help_text="You can read them first")
    date_of_birth = NHSDateField(label="Date of birth", help_text="For example, 15 3 2008")
    phone = forms.CharField(label="Phone number", required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("borough") == "hackney":
            raise forms.ValidationError("Placements in Hackney are full this term")
        return cleaned


VALID_DATA = {
    "full_name": "Ada Lovelace",
    "statement": "I want to be a nurse.",
    "borough": "camden",
    "age_group": "16-19",
    "interests": ["wards", "labs"],
    "agree": "on",
    "date_of_birth_day": "15",
    "date_of_birth_month": "3",
    "date_of_birth_year": "2008",
}


def render_crispy_filter(form):
    return Template("{% load crispy_forms_tags %}{{ form|crispy }}").render(Context({"form": form}))


# --- an unbound form -------------------------------------------------------------------------


def test_text_input_has_nhs_classes_label_hint_and_describedby():
    page = Page(render_crispy_filter(ApplicationForm()))

    field = page.by_id("id_full_name")
    assert field.tag == "input"
    assert "nhsuk-input" in field.classes
    assert "nhsuk-input--error" not in field.classes
    assert page.label_for("id_full_name") == "Full name"
    hint = page.by_id("id_full_name-hint")
    assert "nhsuk-hint" in hint.classes
    assert hint.text.strip() == "As it appears on your college record"
    assert field.attrs["aria-describedby"] == "id_full_name-hint"


def test_every_field_sits_in_a_form_group_without_errors():
    page = Page(render_crispy_filter(ApplicationForm()))

    groups = page.with_class("nhsuk-form-group")
    # 8 fields, plus the NHS.UK date pattern's own group around each of day, month and year.
    assert len(groups) == 8 + 3
    assert not page.with_class("nhsuk-form-group--error")
    assert not page.with_class("nhsuk-error-summary")
    assert not page.with_class("nhsuk-error-message")


def test_textarea_and_select_use_nhs_classes():
    page = Page(render_crispy_filter(ApplicationForm()))

    assert page.by_id("id_statement").tag == "textarea"
    assert "nhsuk-textarea" in page.by_id("id_statement").classes
    assert page.by_id("id_borough").tag == "select"
    assert "nhsuk-select" in page.by_id("id_borough").classes
    assert page.label_for("id_borough") == "Which borough do you live in?"


def test_optional_field_label_says_optional():
    page = Page(render_crispy_filter(ApplicationForm()))

    assert page.label_for("id_phone") == "Phone number (optional)"


def test_radios_are_an_nhs_radios_group_in_a_fieldset_with_legend():
    html = render_crispy_filter(ApplicationForm())
    page = Page(html)

    radios = page.by_id("id_age_group")
    assert "nhsuk-radios" in radios.classes
    inputs = [e for e in page.elements if e.attrs.get("name") == "age_group"]
    assert [e.attrs["type"] for e in inputs] == ["radio", "radio"]
    assert all("nhsuk-radios__input" in e.classes for e in inputs)
    assert page.label_for("id_age_group_0") == "16 to 19"
    assert "nhsuk-radios__label" in [e for e in page.elements if e.attrs.get("for") == "id_age_group_0"][0].classes
    fieldset = re.search(r'<fieldset class="nhsuk-fieldset"[^>]*aria-describedby="([^"]*)"[^>]*>\s*<legend', html)
    assert fieldset, "radios should be wrapped in a fieldset with a legend"
    assert fieldset.group(1) == "id_age_group-hint"
    legend = [e for e in page.elements if e.tag == "legend" and "How old are you?" in e.text]
    assert legend and "nhsuk-fieldset__legend" in legend[0].classes


def test_checkbox_multiple_is_an_nhs_checkboxes_group_in_a_fieldset():
    page = Page(render_crispy_filter(ApplicationForm()))

    group = page.by_id("id_interests")
    assert "nhsuk-checkboxes" in group.classes
    inputs = [e for e in page.elements if e.attrs.get("name") == "interests"]
    assert len(inputs) == 3
    assert all(e.attrs["type"] == "checkbox" and "nhsuk-checkboxes__input" in e.classes for e in inputs)
    assert page.label_for("id_interests_2") == "Community care"
    assert [e for e in page.elements if e.tag == "legend" and "What would you like to see?" in e.text]


def test_boolean_field_is_a_single_nhs_checkbox_item():
    page = Page(render_crispy_filter(ApplicationForm()))

    checkbox = page.by_id("id_agree")
    assert checkbox.attrs["type"] == "checkbox"
    assert "nhsuk-checkboxes__input" in checkbox.classes
    assert checkbox.attrs["aria-describedby"] == "id_agree-hint"
    assert page.label_for("id_agree") == "I agree to the placement rules"
    assert "nhsuk-checkboxes__hint" in page.by_id("id_agree-hint").classes
    items = page.with_class("nhsuk-checkboxes__item")
    assert len(items) == 3 + 1


def test_date_field_renders_the_nhs_date_input_pattern():
    page = Page(render_crispy_filter(ApplicationForm()))

    assert "nhsuk-date-input" in page.by_id("id_date_of_birth").classes
    boxes = {part: page.by_id(f"id_date_of_birth_{index}") for index, part in enumerate(["day", "month", "year"])}
    assert boxes["day"].attrs["name"] == "date_of_birth_day"
    assert boxes["year"].attrs["name"] == "date_of_birth_year"
    for part, box in boxes.items():
        assert box.attrs["inputmode"] == "numeric"
        assert {"nhsuk-input", "nhsuk-date-input__input"} <= set(box.classes)
        assert page.label_for(box.attrs["id"]) == part.capitalize()
    assert "nhsuk-input--width-2" in boxes["day"].classes
    assert "nhsuk-input--width-2" in boxes["month"].classes
    assert "nhsuk-input--width-4" in boxes["year"].classes
    assert [e for e in page.elements if e.tag == "fieldset" and e.attrs.get("role") == "group"]


def test_date_field_shows_an_initial_date_split_into_parts():
    form = ApplicationForm(initial={"date_of_birth": datetime.date(2008, 3, 15)})
    page = Page(render_crispy_filter(form))

    assert page.by_id("id_date_of_birth_0").attrs["value"] == "15"
    assert page.by_id("id_date_of_birth_1").attrs["value"] == "3"
    assert page.by_id("id_date_of_birth_2").attrs["value"] == "2008"


# --- an invalid submission -------------------------------------------------------------------


@pytest.fixture
def invalid_page():
    data = {**VALID_DATA, "full_name": "", "borough": "hackney", "date_of_birth_month": "", "interests": []}
    data.pop("age_group")
    form = ApplicationForm(data=data)
    assert not form.is_valid()
    return render_crispy_filter(form)


def test_invalid_form_starts_with_an_error_summary(invalid_page):
    page = Page(invalid_page)

    summary = page.with_class("nhsuk-error-summary")
    assert len(summary) == 1
    assert summary[0].attrs["role"] == "alert"
    assert summary[0].attrs["tabindex"] == "-1"
    assert summary[0].attrs["aria-labelledby"] == "error-summary-title"
    assert page.by_id("error-summary-title").text.strip() == "There is a problem"
    assert invalid_page.lstrip().startswith('<div class="nhsuk-error-summary"')


def test_error_summary_links_each_field_error_to_its_input(invalid_page):
    links = dict(re.findall(r'<li><a href="(#[^"]+)">([^<]+)</a></li>', invalid_page))

    assert links["#id_full_name"] == "This field is required."
    assert links["#id_age_group_0"] == "This field is required."
    assert links["#id_interests_0"] == "This field is required."
    # The date links to the box that is missing.
    assert links["#id_date_of_birth_1"] == "Date must include a month"
    page = Page(invalid_page)
    for href in links:
        page.by_id(href[1:])


def test_error_summary_lists_non_field_errors_without_a_link(invalid_page):
    assert "<li>Placements in Hackney are full this term</li>" in invalid_page


def test_invalid_fields_show_nhs_error_messages_and_error_classes(invalid_page):
    page = Page(invalid_page)

    error = page.by_id("id_full_name-error")
    assert error.tag == "span"
    assert "nhsuk-error-message" in error.classes
    assert " ".join(error.text.split()) == "Error: This field is required."
    assert (
        '<span class="nhsuk-error-message" id="id_full_name-error">'
        '<span class="nhsuk-u-visually-hidden">Error:</span> This field is required.</span>'
    ) in invalid_page
    field = page.by_id("id_full_name")
    assert "nhsuk-input--error" in field.classes
    assert field.attrs["aria-describedby"] == "id_full_name-hint id_full_name-error"
    assert len(page.with_class("nhsuk-form-group--error")) == 4 + 1  # 4 fields, plus the month box


def test_invalid_date_outlines_only_the_missing_part(invalid_page):
    page = Page(invalid_page)

    assert "nhsuk-input--error" not in page.by_id("id_date_of_birth_0").classes
    assert "nhsuk-input--error" in page.by_id("id_date_of_birth_1").classes
    assert "nhsuk-input--error" not in page.by_id("id_date_of_birth_2").classes
    assert page.by_id("id_date_of_birth-error").text.strip().endswith("Date must include a month")
    fieldsets = [e for e in page.elements if e.tag == "fieldset" and e.attrs.get("role") == "group"]
    assert fieldsets[0].attrs["aria-describedby"] == "id_date_of_birth-hint id_date_of_birth-error"


def test_grouped_fields_put_the_error_on_the_fieldset(invalid_page):
    assert re.search(
        r'<fieldset class="nhsuk-fieldset" aria-describedby="id_age_group-hint id_age_group-error">', invalid_page
    )
    assert re.search(r'<fieldset class="nhsuk-fieldset" aria-describedby="id_interests-error">', invalid_page)


def test_valid_submission_cleans_to_python_values():
    form = ApplicationForm(data=VALID_DATA)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["date_of_birth"] == datetime.date(2008, 3, 15)
    assert form.cleaned_data["interests"] == ["wards", "labs"]


def test_standalone_error_summary_include_takes_a_form():
    form = ApplicationForm(data={})
    form.is_valid()
    html = render_to_string("includes/error_summary.html", {"form": form})

    assert "There is a problem" in html
    assert '<a href="#id_full_name">This field is required.</a>' in html
    assert '<a href="#id_date_of_birth_0">Enter a date</a>' in html
    assert render_to_string("includes/error_summary.html", {"form": ApplicationForm()}).strip() == ""


# --- the {% crispy %} tag with a helper and layout ---------------------------------------------


class LayoutForm(ApplicationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = "/apply/"
        self.helper.layout = Layout(
            Fieldset("About you", "full_name", "date_of_birth", "phone"),
            Div("statement", "borough", css_class="app-extra"),
            HTML("<p class='nhsuk-body'>Your choices</p>"),
            "age_group",
            "interests",
            "agree",
            Submit("save", "Save and continue"),
        )


def test_crispy_tag_renders_layout_in_a_novalidate_form_with_nhs_buttons():
    html = Template("{% load crispy_forms_tags %}{% crispy form %}").render(Context({"form": LayoutForm()}))
    page = Page(html)

    form = [e for e in page.elements if e.tag == "form"][0]
    assert form.attrs["action"] == "/apply/"
    assert form.attrs["method"] == "post"
    assert "novalidate" in form.attrs
    legend = [e for e in page.elements if e.tag == "legend" and "About you" in e.text][0]
    assert "nhsuk-fieldset__legend" in legend.classes
    assert page.with_class("app-extra")
    button = page.by_id("submit-id-save")
    assert button.tag == "button" and button.attrs["type"] == "submit"
    assert button.classes == ["nhsuk-button"]
    assert "btn" not in html


def test_crispy_tag_shows_one_error_summary_for_an_invalid_layout_form():
    form = LayoutForm(data={})
    form.is_valid()
    html = Template("{% load crispy_forms_tags %}{% crispy form %}").render(Context({"form": form}))

    assert html.count('class="nhsuk-error-summary"') == 1
    assert html.index("nhsuk-error-summary") < html.index('id="id_full_name"')


def test_as_crispy_field_renders_one_field():
    form = ApplicationForm(data={})
    form.is_valid()
    html = Template("{% load crispy_forms_tags %}{{ form.full_name|as_crispy_field }}").render(Context({"form": form}))

    assert "nhsuk-form-group--error" in html
    assert "nhsuk-error-summary" not in html


CRISPY_TEMPLATES = [
    "whole_uni_form.html",
    "whole_uni_formset.html",
    "uni_form.html",
    "uni_formset.html",
    "display_form.html",
    "errors.html",
    "errors_formset.html",
    "field.html",
    "multifield.html",
    "table_inline_formset.html",
    "accordion.html",
    "accordion-group.html",
    "layout/baseinput.html",
    "layout/buttonholder.html",
    "layout/fieldset.html",
    "layout/multifield.html",
    "layout/div.html",
    "layout/row.html",
    "layout/column.html",
    "layout/formactions.html",
    "layout/button.html",
    "layout/prepended_appended_text.html",
    "layout/field_with_buttons.html",
    "layout/radioselect_inline.html",
    "layout/checkboxselectmultiple_inline.html",
    "layout/alert.html",
    "layout/uneditable_input.html",
    "layout/inline_field.html",
    "layout/tab.html",
    "layout/tab-link.html",
    "layout/modal.html",
]


@pytest.mark.parametrize("name", CRISPY_TEMPLATES)
def test_pack_provides_every_template_crispy_forms_asks_for(name):
    get_template(f"nhsuk/{name}")


# --- NHSDateField ----------------------------------------------------------------------------


def clean_date(parts, **kwargs):
    field = NHSDateField(**kwargs)
    return field.clean(parts)


def test_date_field_returns_a_date():
    assert clean_date(["15", "03", "2008"]) == datetime.date(2008, 3, 15)
    assert clean_date([" 1 ", "2", "2010"]) == datetime.date(2010, 2, 1)


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (["", "", ""], "Enter a date"),
        (["", "3", "2008"], "Date must include a day"),
        (["15", "", "2008"], "Date must include a month"),
        (["15", "3", ""], "Date must include a year"),
        (["", "", "2008"], "Date must include a day and month"),
        (["15", "", ""], "Date must include a month and year"),
        (["31", "2", "2008"], "Date must be a real date"),
        (["15", "13", "2008"], "Date must be a real date"),
        (["0", "3", "2008"], "Date must be a real date"),
        (["15", "3", "08"], "Date must be a real date"),
        (["fifteen", "3", "2008"], "Date must be a real date"),
    ],
)
def test_date_field_error_messages(parts, message):
    with pytest.raises(forms.ValidationError) as raised:
        clean_date(parts)
    assert raised.value.messages == [message]


def test_date_field_year_limits():
    with pytest.raises(forms.ValidationError) as too_early:
        clean_date(["1", "1", "1899"], min_year=1900)
    with pytest.raises(forms.ValidationError) as too_late:
        clean_date(["1", "1", "2031"], max_year=2030)

    assert too_early.value.messages == ["Year must be 1900 or later"]
    assert too_late.value.messages == ["Year must be 2030 or earlier"]
    assert clean_date(["1", "1", "2030"], min_year=1900, max_year=2030) == datetime.date(2030, 1, 1)


def test_optional_date_field_accepts_nothing():
    assert clean_date(["", "", ""], required=False) is None
    with pytest.raises(forms.ValidationError):
        clean_date(["", "3", ""], required=False)


def test_date_field_error_messages_can_be_overridden():
    with pytest.raises(forms.ValidationError) as raised:
        clean_date(["", "", ""], error_messages={"required": "Enter your date of birth"})
    assert raised.value.messages == ["Enter your date of birth"]


def test_date_widget_reads_and_splits_values():
    widget = NHSDateInput()

    data = {"dob_day": "15", "dob_month": "3", "dob_year": "2008"}
    assert widget.value_from_datadict(data, {}, "dob") == ["15", "3", "2008"]
    assert widget.value_from_datadict({}, {}, "dob") == ["", "", ""]
    assert widget.value_omitted_from_data({}, {}, "dob")
    assert not widget.value_omitted_from_data({"dob_year": ""}, {}, "dob")
    assert widget.decompress(datetime.date(2008, 3, 15)) == [15, 3, 2008]
    assert widget.decompress(None) == [None, None, None]


def test_unchanged_date_is_not_reported_as_changed():
    form = ApplicationForm(initial={"date_of_birth": datetime.date(2008, 3, 15)}, data=VALID_DATA)

    assert "date_of_birth" not in form.changed_data


def test_nhs_date_field_compress_builds_a_date():
    import datetime

    from nhsuk.fields import NHSDateField

    field = NHSDateField(required=False)
    assert field.compress(["7", "3", "2027"]) == datetime.date(2027, 3, 7)
    assert field.compress([]) is None and field.compress(["", "3", "2027"]) is None
