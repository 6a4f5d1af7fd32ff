"""Forms for an employer's coordinator: seats, waiting list, naming staff, cancelling, policy, approvals, record."""

from __future__ import annotations

from django import forms

from nhsuk.fields import NHSDateField
from training.models import SelfBooking, Topic

# The most seats anyone can ask for at once: no room holds more (and a number this size is hostile input).
MOST_SEATS = 500
WHOLE_NUMBER = "Enter the number of seats as a whole number, like 3"
AT_LEAST_ONE = "Enter 1 or more seats"
AT_MOST = "Enter {most} seats or fewer"


def _seats_field(label: str, most: int, help_text: str = "") -> forms.IntegerField:
    most = max(1, min(most, MOST_SEATS))
    return forms.IntegerField(
        label=label,
        min_value=1,
        max_value=most,
        help_text=help_text,
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-4", "inputmode": "numeric", "autocomplete": "off"}),
        error_messages={
            "required": "Enter how many seats",
            "invalid": WHOLE_NUMBER,
            "min_value": AT_LEAST_ONE,
            "max_value": AT_MOST.format(most=most),
        },
    )


class SeatsForm(forms.Form):
    """How many seats to book (up to those left) or to wait for (up to the session's seats)."""

    def __init__(self, *args, most: int, label: str = "How many seats?", help_text: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["count"] = _seats_field(label, most, help_text)


class NameStaffForm(forms.Form):
    person = forms.ModelChoiceField(
        queryset=None,
        label="Who will go?",
        empty_label="Choose a person",
        help_text="Staff and coordinators at your organisation who do not have a place on this session yet. "
        "We email them the date, time and place.",
        error_messages={
            "required": "Choose the person to name in a seat",
            "invalid_choice": "Choose someone from the list",
        },
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = lambda user: f"{user.get_full_name()} ({user.email})"


class PolicyForm(forms.Form):
    self_booking = forms.ChoiceField(
        label="Can your staff book sessions for themselves?",
        choices=SelfBooking.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether your staff can book for themselves"},
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="Reason (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="We include this in the email to the person. Keep it short and kind.",
        error_messages={"max_length": "Keep the reason to 500 characters or fewer"},
    )


class RecordFilterForm(forms.Form):
    person = forms.CharField(label="Name or email address", required=False, max_length=100)
    date_from = NHSDateField(label="Sessions from", required=False, help_text="For example, 15 3 2027")
    date_to = NHSDateField(label="Sessions until", required=False)
    topic = forms.ChoiceField(label="Topic", required=False, choices=[("", "Any topic"), *Topic.choices])

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end date must be the same as or after the start date")
        return cleaned

    def filters(self) -> dict:
        """The filters to apply: only the valid ones (a bad field is shown with its error and ignored)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data[name] for name in ("person", "date_from", "date_to", "topic") if data.get(name)}
