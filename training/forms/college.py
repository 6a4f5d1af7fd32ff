"""Forms for a college coordinator's suites, rooms, catalogue and sessions. Every number has a range and a plain
message; services still check the rules that need the database (clashes, seats taken)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.utils import timezone

from nhsuk.fields import NHSDateField
from placements import geography
from placements.models.capacity import MIN_AGE_FLOOR
from training.models import Audience, Equipment, SessionStatus, Topic
from training.services.college import MAX_AHEAD, MAX_CUTOFF_DAYS, MAX_WEEKS, TOO_FAR_AHEAD, Cutoff, wall_clock_problem
from training.services.sessions import london

MAX_ROOM = 500
TIME_FORMATS = ["%H:%M", "%H.%M", "%H%M", "%I:%M%p", "%I%p", "%I.%M%p"]
ENTER_TIME = "Enter a time in 24-hour format, like 09:30 or 14:00"


def _number(label, *, low, high, help_text="", required=True, initial=None, width=4, what=None):
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
    capacity = _number(
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
    hours_available_per_week = _number(
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
    min_age = _number(
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
    duration_minutes = _number(
        "Length in minutes", low=15, high=720, width=4, what="length", help_text="For example, 180 for 3 hours."
    )
    min_participants = _number(
        "Fewest participants",
        low=1,
        high=MAX_ROOM,
        initial=1,
        what="fewest participants",
        help_text="Below this at the booking cut-off, a session is cancelled and everyone booked is told.",
    )
    max_participants = _number("Most participants", low=1, high=MAX_ROOM, what="most participants")
    participants_per_facilitator = _number(
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
    seats = _number(
        "Seats",
        low=1,
        high=MAX_ROOM,
        required=False,
        what="number of seats",
        help_text="Leave blank for the smaller of the entry's most participants and the room's capacity.",
    )
    min_participants = _number(
        "Fewest participants",
        low=1,
        high=MAX_ROOM,
        required=False,
        what="fewest participants",
        help_text="Leave blank to use the catalogue entry's. Below this at the cut-off, the session is cancelled.",
    )
    cutoff_days = _number(
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
    repeat_weeks = _number(
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
