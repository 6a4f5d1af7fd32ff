"""Forms for around and after a session: the attendance register and the utilisation report's months."""

from __future__ import annotations

from datetime import date

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms

from training.models import Attendance
from training.selectors.after import add_months, month_start, months_between

MARK_CHOICES = [(Attendance.ATTENDED.value, "Attended"), (Attendance.DID_NOT_ATTEND.value, "Did not attend")]
# How far back and ahead the report's month lists reach, and the longest range one page shows.
MONTHS_BACK, MONTHS_AHEAD, MAX_MONTHS = 36, 12, 24
DEFAULT_BACK, DEFAULT_AHEAD = 6, 2

TO_BEFORE_FROM = "The last month must be the same as or after the first month."
TOO_MANY_MONTHS = f"Choose at most {MAX_MONTHS} months."
CHOOSE_A_MONTH = "Choose a month from the list."


def _field_name(attendee) -> str:
    return f"attendee_{attendee.pk}"


class AttendanceForm(forms.Form):
    """One question per booked person: did they attend? Each answer is needed."""

    def __init__(self, *args, attendees, **kwargs):
        super().__init__(*args, **kwargs)
        self.attendees = list(attendees)
        for attendee in self.attendees:
            name = attendee.person.get_full_name()
            employer = attendee.booking.employer.name if attendee.booking_id else "Student"
            self.fields[_field_name(attendee)] = forms.ChoiceField(
                label=f"{name} ({employer})",
                choices=MARK_CHOICES,
                widget=forms.RadioSelect,
                initial=attendee.attendance if attendee.attendance != Attendance.UNMARKED else None,
                error_messages={
                    "required": f"Select whether {name} attended",
                    "invalid_choice": f"Select Attended or Did not attend for {name}",
                },
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*[Field(name, inline_class="inline") for name in self.fields])

    def marks(self) -> dict[int, str]:
        return {attendee.pk: self.cleaned_data[_field_name(attendee)] for attendee in self.attendees}


def month_label(month: date) -> str:
    return f"{month:%B %Y}"


def _month_choices(today: date) -> list[tuple[str, str]]:
    this_month = month_start(today)
    months = months_between(add_months(this_month, -MONTHS_BACK), add_months(this_month, MONTHS_AHEAD))
    return [(f"{month:%Y-%m}", month_label(month)) for month in months]


class UtilisationMonthsForm(forms.Form):
    """The months the utilisation report covers (read from the query string)."""

    start = forms.ChoiceField(label="From", error_messages={"invalid_choice": CHOOSE_A_MONTH})
    end = forms.ChoiceField(label="To", error_messages={"invalid_choice": CHOOSE_A_MONTH})

    def __init__(self, data, *, today: date):
        this_month = month_start(today)
        self.default_start = add_months(this_month, -DEFAULT_BACK)
        self.default_end = add_months(this_month, DEFAULT_AHEAD)
        if not data.get("start") and not data.get("end"):
            data = {"start": f"{self.default_start:%Y-%m}", "end": f"{self.default_end:%Y-%m}"}
        else:
            data = {"start": data.get("start", ""), "end": data.get("end", "")}
        super().__init__(data)
        choices = _month_choices(today)
        self.fields["start"].choices = self.fields["end"].choices = choices
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            first, last = (date.fromisoformat(f"{value}-01") for value in (start, end))
            if last < first:
                self.add_error("end", forms.ValidationError(TO_BEFORE_FROM, code="order"))
            elif len(months_between(first, last)) > MAX_MONTHS:
                self.add_error("end", forms.ValidationError(TOO_MANY_MONTHS, code="too_many"))
        return cleaned

    def months(self) -> list[date]:
        """The chosen months, or the default range if the choice is not valid."""
        if self.is_valid():
            first, last = (date.fromisoformat(f"{self.cleaned_data[key]}-01") for key in ("start", "end"))
            return months_between(first, last)
        return months_between(self.default_start, self.default_end)
