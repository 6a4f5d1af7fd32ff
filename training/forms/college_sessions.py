"""Forms for a college coordinator's dated sessions: adding or changing one (with weekly repeats), filtering the
list, and cancelling. Every number has a range and a plain message; services still check the rules that need the
database (clashes, seats taken)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import forms
from django.utils import timezone

from nhsuk.fields import NHSDateField
from training.forms.college import MAX_ROOM, number_field
from training.models import SessionStatus
from training.services.college_sessions import (
    MAX_AHEAD,
    MAX_CUTOFF_DAYS,
    MAX_WEEKS,
    TOO_FAR_AHEAD,
    Cutoff,
    wall_clock_problem,
)
from training.services.sessions import london

TIME_FORMATS = ["%H:%M", "%H.%M", "%H%M", "%I:%M%p", "%I%p", "%I.%M%p"]
ENTER_TIME = "Enter a time in 24-hour format, like 09:30 or 14:00"


class TimeField(forms.TimeField):
    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", TIME_FORMATS)
        kwargs.setdefault("widget", forms.TextInput(attrs={"class": "nhsuk-input--width-5", "autocomplete": "off"}))
        super().__init__(**kwargs)
        self.error_messages = {"required": kwargs.get("error_messages", {}).get("required", ENTER_TIME)}
        self.error_messages["invalid"] = ENTER_TIME

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().lower().replace(" ", "")
        return super().to_python(value)


class SessionForm(forms.Form):
    """A dated session: what, where, when (London), who runs it, seats and when bookings close."""

    entry = forms.ModelChoiceField(
        label="Catalogue entry",
        queryset=None,
        empty_label="Choose a session from your catalogue",
        error_messages={"required": "Choose a catalogue entry", "invalid_choice": "Choose a catalogue entry"},
    )
    room = forms.ModelChoiceField(
        label="Room",
        queryset=None,
        empty_label="Choose a room",
        error_messages={"required": "Choose a room", "invalid_choice": "Choose a room"},
    )
    date = NHSDateField(label="Date", help_text="For example, 15 6 2027.")
    start = TimeField(label="Start time", help_text="24-hour clock, London time. For example, 09:30.")
    end = TimeField(
        label="End time",
        required=False,
        help_text="For example, 12:30. Leave blank to use the catalogue entry's length.",
    )
    facilitators = forms.ModelMultipleChoiceField(
        label="Facilitators",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tutors and coordinators at your college. A facilitator cannot be in two sessions at once.",
        error_messages={"invalid_choice": "Choose facilitators from the list", "invalid_pk_value": "Choose again"},
    )
    seats = number_field(
        "Seats",
        low=1,
        high=MAX_ROOM,
        required=False,
        what="number of seats",
        help_text="Leave blank for the smaller of the entry's most participants and the room's capacity.",
    )
    min_participants = number_field(
        "Fewest participants",
        low=1,
        high=MAX_ROOM,
        required=False,
        what="fewest participants",
        help_text="Leave blank to use the catalogue entry's. Below this at the cut-off, the session is cancelled.",
    )
    cutoff_days = number_field(
        "Bookings close this many days before the start",
        low=0,
        high=MAX_CUTOFF_DAYS,
        initial=2,
        required=False,
        what="days before the start",
        help_text="At the same time of day as the start. 0 means bookings close when the session starts.",
    )
    cutoff_date = NHSDateField(
        label="Or close bookings on a date instead",
        required=False,
        help_text="With a time below. It replaces the number of days; for weekly repeats it moves on a week each time.",
    )
    cutoff_time = TimeField(label="Time bookings close on that date", required=False, help_text="For example, 17:00.")
    repeat_weeks = number_field(
        "Repeat weekly for this many more weeks",
        low=0,
        high=MAX_WEEKS,
        initial=0,
        required=False,
        what="number of weeks",
        help_text=f"0 for a single session, up to {MAX_WEEKS}. Same day, time, room and facilitators each week; "
        "all are created, or none if any week clashes.",
    )

    def __init__(self, *args, entries, rooms, facilitators, repeat=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].queryset = entries
        self.fields["room"].queryset = rooms
        self.fields["room"].label_from_instance = lambda r: f"{r.name}, {r.suite.name} (holds {r.capacity})"
        self.fields["facilitators"].queryset = facilitators
        self.fields["facilitators"].label_from_instance = lambda u: u.get_full_name()
        if not repeat:
            del self.fields["repeat_weeks"]
            del self.fields["entry"]

    def clean(self):
        cleaned = super().clean()
        day, start, end = cleaned.get("date"), cleaned.get("start"), cleaned.get("end")
        latest = timezone.localdate() + MAX_AHEAD
        for field in ("date", "cutoff_date"):
            if cleaned.get(field) and cleaned[field] > latest:
                self.add_error(field, TOO_FAR_AHEAD)
                cleaned[field] = None
        day = cleaned.get("date")
        entry = cleaned.get("entry") or getattr(self, "session_entry", None)
        if day and start and end is None and "end" not in self.errors and entry is not None:
            finish = datetime.combine(day, start) + timedelta(minutes=entry.duration_minutes)
            if finish.date() != day:
                self.add_error("end", "The session would run past midnight. Enter an end time")
            else:
                cleaned["end"] = end = finish.time()
        if start and end and end <= start:
            self.add_error("end", "The end time must be after the start time")
        if day and start and "start" not in self.errors:
            problem = wall_clock_problem(day, start)
            if problem:
                self.add_error("start", problem)
        if day and end and "end" not in self.errors:
            problem = wall_clock_problem(day, end)
            if problem:
                self.add_error("end", problem)
        cutoff_date, cutoff_time = cleaned.get("cutoff_date"), cleaned.get("cutoff_time")
        if bool(cutoff_date) != bool(cutoff_time) and not self.errors.get("cutoff_date"):
            self.add_error("cutoff_time" if cutoff_date else "cutoff_date", "Enter both the date and the time")
        elif cutoff_date and cutoff_time:
            problem = wall_clock_problem(cutoff_date, cutoff_time)
            if problem:
                self.add_error("cutoff_time", problem)
        elif cleaned.get("cutoff_days") is None and "cutoff_days" not in self.errors:
            cleaned["cutoff_days"] = 2
        if cleaned.get("repeat_weeks") is None:
            cleaned["repeat_weeks"] = 0
        return cleaned

    def cutoff(self) -> Cutoff:
        if self.cleaned_data.get("cutoff_date") and self.cleaned_data.get("cutoff_time"):
            return Cutoff(
                days_before=None, at=london(self.cleaned_data["cutoff_date"], self.cleaned_data["cutoff_time"])
            )
        return Cutoff(days_before=self.cleaned_data["cutoff_days"])


class SessionFilterForm(forms.Form):
    room = forms.ModelChoiceField(label="Room", queryset=None, required=False, empty_label="All rooms")
    entry = forms.ModelChoiceField(label="Catalogue entry", queryset=None, required=False, empty_label="All entries")
    since = NHSDateField(label="From", required=False, help_text="Sessions starting on or after this date.")
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any status"), *SessionStatus.choices])

    def __init__(self, *args, entries, rooms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].queryset = entries
        self.fields["room"].queryset = rooms
        self.fields["room"].label_from_instance = lambda r: f"{r.name}, {r.suite.name}"


class CancelSessionForm(forms.Form):
    confirm = forms.BooleanField(
        label="I understand everyone booked will be told, and the session cannot be restored",
        error_messages={"required": "Tick the box to confirm you want to cancel the session"},
    )
