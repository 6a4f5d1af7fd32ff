"""Forms for the coordinator and site admins: plain-English messages next to the field they are about."""

import csv
import io

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from import_export.forms import ConfirmImportForm, ImportForm

from accounts.address_lists import plain_csv_error
from accounts.models import HOST_KINDS
from placements.models import Cohort, Department, Opportunity, Site
from placements.models.capacity import MIN_AGE_FLOOR, UNDER_18_MAX_DAILY_HOURS
from placements.resources import file_too_big, max_bytes, max_rows, too_many_rows
from placements.services.capacity import MAX_COHORT_WEEKDAYS, MAX_PLACES, weekly_cohort_plan
from placements.services.cohort_changes import cohort_check_round
from placements.taxonomy import Vaccination

NOT_A_HOST_CHOICE = "Choose an NHS trust, a social-care provider or a college: only they host placements."


class OrganisationOwnedForm(forms.ModelForm):
    """A form whose organisation is not a field but is set from the signed-in coordinator.

    ``owner`` is set on the class by the coordinator admin; the site admin leaves it ``None`` and shows
    the organisation as an ordinary field.
    """

    owner = None
    duplicate_name_message = "You already have one with this name."

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "organisation" in self.fields:
            # Only hosts own sites, departments and opportunities: planning partners are not offered.
            field = self.fields["organisation"]
            field.queryset = field.queryset.filter(kind__in=HOST_KINDS)
            field.help_text = "An NHS trust, a social-care provider or a college: only they host placements."
            field.error_messages["invalid_choice"] = NOT_A_HOST_CHOICE
        if self.owner is not None and self.instance.organisation_id is None:
            # Set before validation, so model.clean() can compare sites and departments with it.
            self.instance.organisation = self.owner

    def clean_name(self):
        # The unique (organisation, name) constraint is not checked by the form when organisation is not
        # one of its fields, so check here rather than fail with a database error on save.
        name = self.cleaned_data["name"].strip()
        organisation_id = self.instance.organisation_id
        if organisation_id:
            clash = type(self.instance).objects.filter(organisation_id=organisation_id, name=name)
            if clash.exclude(pk=self.instance.pk).exists():
                raise ValidationError(self.duplicate_name_message, code="duplicate")
        return name


class SiteForm(OrganisationOwnedForm):
    duplicate_name_message = "You already have a site with this name."

    class Meta:
        model = Site
        fields = ["organisation", "name", "address", "postcode", "borough"]


class DepartmentForm(OrganisationOwnedForm):
    duplicate_name_message = "You already have a department with this name."

    class Meta:
        model = Department
        fields = ["organisation", "name", "site", "setting"]


class OpportunityForm(OrganisationOwnedForm):
    required_vaccinations = forms.MultipleChoiceField(
        label="Vaccinations the student must have",
        choices=Vaccination.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Students confirm these before they apply.",
    )
    min_age = forms.IntegerField(
        label="Minimum age",
        min_value=MIN_AGE_FLOOR,
        max_value=99,
        initial=16,
        help_text="Age on the first day. Never below 14.",
        error_messages={
            "required": "Enter the minimum age.",
            "invalid": "Enter the minimum age as a whole number, like 16.",
            "min_value": f"The minimum age cannot be below {MIN_AGE_FLOOR}.",
            "max_value": "The minimum age must be 99 or lower.",
        },
    )
    daily_hours = forms.DecimalField(
        label="Hours a day",
        min_value=1,
        max_value=12,
        max_digits=3,
        decimal_places=1,
        initial=6,
        help_text=f"At most {UNDER_18_MAX_DAILY_HOURS} when under-18s can take part.",
        error_messages={
            "required": "Enter the hours a day.",
            "invalid": "Enter the hours a day as a number, like 6 or 7.5.",
            "min_value": "Hours a day must be at least 1.",
            "max_value": "Hours a day must be 12 or fewer.",
            "max_decimal_places": "Use at most one decimal place, like 7.5.",
        },
    )

    class Meta:
        model = Opportunity
        fields = [
            "organisation",
            "title",
            "profession_area",
            "kind",
            "description",
            "activities",
            "site",
            "department",
            "min_age",
            "daily_hours",
            "requires_dbs",
            "requires_occupational_health",
            "required_vaccinations",
            "dress_code",
            "widening_participation_priority",
            "status",
            "last_confirmed_on",
        ]
        help_texts = {"department": "A department at this site, or one that is not tied to a site."}


class CohortForm(forms.ModelForm):
    """Dates and places for one cohort, within its round.

    ``capacity_conflicts`` maps cohort ids to (field, message) when saving lost a race (with a booking, an
    offer or a match): the admin sets it and shows the form again with the message next to the field.
    """

    capacity_conflicts: dict = {}

    class Meta:
        model = Cohort
        fields = ["opportunity", "start_date", "end_date", "capacity", "application_deadline"]
        error_messages = {
            "capacity": {
                "required": "Enter the number of places.",
                "invalid": "Enter the number of places as a whole number.",
            },
            "start_date": {"required": "Enter the start date.", "invalid": "Enter a real start date."},
            "end_date": {"required": "Enter the end date.", "invalid": "Enter a real end date."},
            "application_deadline": {
                "required": "Enter the application deadline.",
                "invalid": "Enter a real application deadline.",
            },
        }

    def clean(self):
        cleaned = super().clean()
        conflict = self.capacity_conflicts.get(self.instance.pk) if self.instance.pk else None
        if conflict:
            field, message = conflict
            self.add_error(field if field in self.fields else None, message)
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        dates_changed = not self.instance.pk or {"start_date", "end_date"} & set(self.changed_data)
        if dates_changed and start and end and not self.errors.get("start_date") and not self.errors.get("end_date"):
            try:
                cohort_check_round(cohort_pk=self.instance.pk, start_date=start, end_date=end)
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


class CohortInlineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        for form in self.deleted_forms:
            cohort = form.instance
            if cohort.pk and cohort.booked:
                raise ValidationError(
                    f"The dates starting {cohort.start_date:%-d %B %Y} cannot be deleted: {cohort.booked} "
                    "places are booked. Set places to the number booked to stop new bookings instead.",
                    code="booked",
                )
            if cohort.pk and cohort.placements.exists():
                raise ValidationError(
                    f"The dates starting {cohort.start_date:%-d %B %Y} cannot be deleted: students have been "
                    "matched to them. Set places to the number booked to stop new bookings instead.",
                    code="has_placements",
                )


DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class WeeklyCohortsForm(forms.Form):
    """The intermediate page of the "Create weekly cohorts…" action."""

    first_start = forms.DateField(
        label="First start date",
        widget=DATE_INPUT,
        error_messages={"required": "Enter the first start date.", "invalid": "Enter a real date, like 2027-03-15."},
    )
    last_start = forms.DateField(
        label="Last start date",
        widget=DATE_INPUT,
        help_text="One cohort starts each week on the same weekday, up to and including this date.",
        error_messages={"required": "Enter the last start date.", "invalid": "Enter a real date, like 2027-06-14."},
    )
    length_days = forms.IntegerField(
        label="Length in weekdays",
        min_value=1,
        max_value=MAX_COHORT_WEEKDAYS,
        initial=5,
        help_text="Weekends are skipped: 5 starting on a Monday ends on the Friday.",
        error_messages={
            "required": "Enter the length in weekdays.",
            "invalid": "Enter the length as a whole number of weekdays.",
            "min_value": f"Length must be from 1 to {MAX_COHORT_WEEKDAYS} weekdays.",
            "max_value": f"Length must be from 1 to {MAX_COHORT_WEEKDAYS} weekdays.",
        },
    )
    places = forms.IntegerField(
        label="Places in each cohort",
        min_value=1,
        max_value=MAX_PLACES,
        error_messages={
            "required": "Enter the number of places in each cohort.",
            "invalid": "Enter the places as a whole number.",
            "min_value": f"Places must be from 1 to {MAX_PLACES}.",
            "max_value": f"Places must be from 1 to {MAX_PLACES}.",
        },
    )
    deadline_days_before = forms.IntegerField(
        label="Application deadline: days before the start",
        min_value=0,
        max_value=365,
        initial=14,
        help_text="For example 14: applications close two weeks before each start date.",
        error_messages={
            "required": "Enter how many days before the start applications close.",
            "invalid": "Enter the days as a whole number.",
            "min_value": "The number of days cannot be negative.",
            "max_value": "The number of days must be 365 or fewer.",
        },
    )

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.plan = []

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            try:
                self.plan = weekly_cohort_plan(today=self.today, **cleaned)
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


class CohortImportForm(ImportForm):
    """The cohort CSV upload, refused before any row is read when it is too big or has too many rows."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > max_bytes():
            raise ValidationError(file_too_big(upload.size), code="too_big")
        rows = _count_csv_rows(upload)
        if rows > max_rows():
            raise ValidationError(too_many_rows(rows), code="too_many_rows")
        return upload


def _count_csv_rows(upload) -> int:
    """Rows with something in them, after the headings (a file under the size limit, so read whole)."""
    upload.seek(0)
    text = upload.read().decode("utf-8-sig", errors="replace")
    upload.seek(0)
    rows = csv.reader(io.StringIO(text, newline=""))
    try:
        filled = sum(1 for row in rows if any(cell.strip() for cell in row))
    except csv.Error as error:
        # A stray quote makes the rest of the file one cell, which soon passes the csv module's field limit.
        raise ValidationError(
            f"We could not read line {rows.line_num} of the file: {plain_csv_error(error)}. Check for a quotation "
            "mark that is not closed, save the file as CSV again and upload it.",
            code="unreadable",
        ) from error
    return max(filled - 1, 0)


class CohortConfirmImportForm(ConfirmImportForm):
    """The confirm step also carries the students the preview listed, so only they are emailed and anyone
    affected since the preview stops the import (see ``CohortResource.save_instance``)."""

    affected = forms.CharField(required=False, widget=forms.HiddenInput())
