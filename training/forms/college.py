"""Forms for what a college coordinator publishes: suites, rooms and catalogue entries. Every number has a range
and a plain message; services still check the rules that need the database. Dated sessions' forms are in
``college_sessions``."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django import forms

from placements import geography
from placements.models.capacity import MIN_AGE_FLOOR
from training.models import Audience, Equipment, Topic

MAX_ROOM = 500


def number_field(label, *, low, high, help_text="", required=True, initial=None, width=4, what=None):
    what = what or label.lower()
    return forms.IntegerField(
        label=label,
        min_value=low,
        max_value=high,
        required=required,
        initial=initial,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": f"nhsuk-input--width-{width}"}),
        error_messages={
            "required": f"Enter the {what}",
            "invalid": f"Enter the {what} as a whole number, like {low if low > 1 else high // 2 or 1}",
            "min_value": f"The {what} must be {low} or more",
            "max_value": f"The {what} must be {high} or fewer",
        },
    )


class SuiteForm(forms.Form):
    name = forms.CharField(
        label="Name of the suite",
        max_length=200,
        help_text="For example, Simulation ward, Stratford campus.",
        error_messages={"required": "Enter the name of the suite", "max_length": "Use 200 characters or fewer"},
    )
    address = forms.CharField(
        label="Address",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Where people go on the day, with the entrance to use.",
    )
    postcode = forms.CharField(
        label="Postcode",
        max_length=10,
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-10", "autocomplete": "postal-code"}),
        help_text="Employers search by distance from a postcode.",
        error_messages={"required": "Enter the postcode", "max_length": geography.INVALID_POSTCODE},
    )

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean_postcode(self):
        try:
            postcode = geography.normalise_postcode(self.cleaned_data["postcode"])
        except ValueError as error:
            raise forms.ValidationError(str(error), code="invalid") from None
        if geography.locate(postcode) is None:
            raise forms.ValidationError(geography.UNKNOWN_POSTCODE, code="unknown")
        return postcode


class RoomForm(forms.Form):
    name = forms.CharField(
        label="Name of the room",
        max_length=200,
        error_messages={"required": "Enter the name of the room", "max_length": "Use 200 characters or fewer"},
    )
    capacity = number_field(
        "How many people it holds", low=1, high=MAX_ROOM, what="number of people", help_text="Participants, not staff."
    )
    equipment = forms.MultipleChoiceField(
        label="Equipment in the room",
        choices=Equipment.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick all that apply. We warn you when a session needs equipment its room does not have.",
    )
    step_free_access = forms.BooleanField(
        label="Step-free access",
        required=False,
        help_text="Someone using a wheelchair can get into the room without steps.",
    )
    hours_available_per_week = number_field(
        "Hours a week the room is free for sessions",
        low=1,
        high=168,
        initial=35,
        what="hours a week",
        help_text="For your utilisation report. A room free 9am to 4pm, Monday to Friday, is 35.",
    )

    def clean_name(self):
        return self.cleaned_data["name"].strip()


class EntryForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="What employers and staff will see, for example Safe moving and handling with a hoist.",
        error_messages={"required": "Enter a title", "max_length": "Use 200 characters or fewer"},
    )
    topic = forms.ChoiceField(
        label="Topic", choices=[("", "Choose a topic"), *Topic.choices], error_messages={"required": "Choose a topic"}
    )
    audiences = forms.MultipleChoiceField(
        label="Who is it for?",
        choices=Audience.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose who the session is for"},
    )
    min_age = number_field(
        "Youngest age for students",
        low=MIN_AGE_FLOOR,
        high=99,
        required=False,
        what="youngest age",
        help_text=f"Only when students can book. Their age on the day. Never below {MIN_AGE_FLOOR}.",
    )
    learning_outcomes = forms.CharField(
        label="Learning outcomes",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="One a line. They are printed on each attendee's certificate.",
        error_messages={"required": "Enter at least one learning outcome"},
    )
    duration_minutes = number_field(
        "Length in minutes", low=15, high=720, width=4, what="length", help_text="For example, 180 for 3 hours."
    )
    min_participants = number_field(
        "Fewest participants",
        low=1,
        high=MAX_ROOM,
        initial=1,
        what="fewest participants",
        help_text="Below this at the booking cut-off, a session is cancelled and everyone booked is told.",
    )
    max_participants = number_field("Most participants", low=1, high=MAX_ROOM, what="most participants")
    participants_per_facilitator = number_field(
        "Participants for each facilitator",
        low=1,
        high=100,
        what="participants for each facilitator",
        help_text="One facilitator to this many participants. For example, 4 means a session of 8 needs 2.",
    )
    equipment_needed = forms.MultipleChoiceField(
        label="Equipment needed",
        choices=Equipment.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    cpd_hours = forms.DecimalField(
        label="CPD hours",
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=1,
        initial=0,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "nhsuk-input--width-4"}),
        help_text="In half hours, like 3 or 3.5. Printed on the certificate.",
        error_messages={
            "required": "Enter the CPD hours (0 if none)",
            "invalid": "Enter the CPD hours as a number, like 3 or 3.5",
            "min_value": "CPD hours cannot be negative",
            "max_value": "CPD hours must be 100 or fewer",
            "max_decimal_places": "Use whole or half hours, like 3 or 3.5",
            "max_digits": "CPD hours must be 100 or fewer",
            "max_whole_digits": "CPD hours must be 100 or fewer",
        },
    )
    price_or_funding = forms.CharField(
        label="Price or funding",
        required=False,
        max_length=300,
        help_text="For example, Free (LSIP funded) or £45 a person.",
        error_messages={"max_length": "Use 300 characters or fewer"},
    )

    def __init__(self, *args, entry=None, **kwargs):
        if entry is not None:
            per = entry.facilitators_per_participant
            kwargs["initial"] = {
                **{name: getattr(entry, name) for name in ENTRY_INITIAL},
                "participants_per_facilitator": int((1 / per).to_integral_value(ROUND_HALF_UP)) if per else None,
            }
        super().__init__(*args, **kwargs)

    def clean_title(self):
        return self.cleaned_data["title"].strip()

    def clean_cpd_hours(self):
        hours = self.cleaned_data["cpd_hours"]
        if hours is not None and (hours * 2) % 1:
            raise forms.ValidationError("Use whole or half hours, like 3 or 3.5", code="half_hours")
        return hours

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min_participants"), cleaned.get("max_participants")
        if low is not None and high is not None and low > high:
            self.add_error("min_participants", "The fewest participants cannot be more than the most")
        students = Audience.STUDENTS in (cleaned.get("audiences") or [])
        if students and cleaned.get("min_age") is None and "min_age" not in self.errors:
            self.add_error("min_age", "Enter the youngest age for students, as students can book")
        if not students:
            cleaned["min_age"] = None
        return cleaned

    def service_values(self) -> dict:
        values = {name: self.cleaned_data[name] for name in ENTRY_INITIAL}
        per = Decimal(1) / Decimal(self.cleaned_data["participants_per_facilitator"])
        values["facilitators_per_participant"] = per.quantize(Decimal("0.001"), ROUND_HALF_UP)
        return values


ENTRY_INITIAL = (
    "title",
    "topic",
    "audiences",
    "min_age",
    "learning_outcomes",
    "duration_minutes",
    "min_participants",
    "max_participants",
    "equipment_needed",
    "cpd_hours",
    "price_or_funding",
)
