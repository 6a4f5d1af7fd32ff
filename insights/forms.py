"""Filters for the insights pages (GET), the vacancy upload and the snapshot button."""

from django import forms

from insights.models import Sector
from insights.services.vacancies import max_bytes


class ReportFilterForm(forms.Form):
    """Which snapshot, period and breakdown. Anything unknown falls back to the default: a page never fails on it."""

    snapshot = forms.TypedChoiceField(label="Snapshot", coerce=int)
    period = forms.ChoiceField(label="Period")
    breakdown = forms.ChoiceField(label="Break down by")

    def __init__(self, data, *, snapshots, periods, breakdowns):
        super().__init__(data)
        self.fields["snapshot"].choices = [(s.pk, _snapshot_label(s)) for s in snapshots]
        self.fields["period"].choices = [(p["key"], p["label"]) for p in periods]
        self.fields["breakdown"].choices = list(breakdowns.items())

    def value(self, name, default):
        """The cleaned value, or ``default`` when missing or not one of the choices."""
        if not self.is_bound or name in self.errors:
            return default
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        value = self.cleaned_data.get(name) if hasattr(self, "cleaned_data") else None
        return value if value not in (None, "") else default


def _snapshot_label(snapshot) -> str:
    from django.utils import timezone

    when = timezone.localtime(snapshot.taken_at or snapshot.created_at)
    return f"{when:%-d %B %Y, %H:%M} ({snapshot.get_kind_display().lower()})"


class VacancyUploadForm(forms.Form):
    sector = forms.ChoiceField(
        label="Which figures are these?",
        choices=Sector.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the figures are for the NHS or for social care."},
    )
    file = forms.FileField(
        label="Upload a CSV file",
        help_text="Columns: period, region, icb, organisation_code, organisation_name, staff_group, vacancies_fte.",
        error_messages={"required": "Choose a CSV file to upload.", "empty": "The file you chose is empty."},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > max_bytes():
            raise forms.ValidationError(f"The file is bigger than {max_bytes():,} bytes. Split it into smaller files.")
        return upload
