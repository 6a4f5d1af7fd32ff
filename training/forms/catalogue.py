"""The public catalogue's filters (like the placement finder's: placements.forms.finder)."""

from __future__ import annotations

from django import forms

from nhsuk.fields import NHSDateField
from placements import geography
from placements.taxonomy import LONDON_BOROUGHS
from training.models import Audience, Topic
from training.selectors.catalogue import CatalogueQuery

DISTANCE_CHOICES = [
    ("", "Any distance"),
    ("3", "Within 3 km"),
    ("5", "Within 5 km"),
    ("10", "Within 10 km"),
    ("20", "Within 20 km"),
]
TO_BEFORE_FROM = "The 'to' date must be the same as or after the 'from' date"
DISTANCE_NEEDS_POSTCODE = "Enter a postcode to search by distance"
# Dates a person could mean; outside these a typo (year 20277) gets a message, not an error page.
MIN_YEAR, MAX_YEAR = 2000, 2100


class CatalogueFilterForm(forms.Form):
    audience = forms.MultipleChoiceField(
        label="Who it is for",
        choices=Audience.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    topic = forms.ChoiceField(label="Topic", required=False, choices=[("", "Any topic"), *Topic.choices])
    borough = forms.ChoiceField(
        label="Borough",
        required=False,
        choices=[("", "Any borough"), *[(b, b) for b in LONDON_BOROUGHS]],
        help_text="Where the college is.",
    )
    from_date = NHSDateField(
        label="From", required=False, min_year=MIN_YEAR, max_year=MAX_YEAR, help_text="For example, 15 7 2027"
    )
    to_date = NHSDateField(label="To", required=False, min_year=MIN_YEAR, max_year=MAX_YEAR)
    postcode = forms.CharField(
        label="Near a postcode",
        required=False,
        max_length=10,
        error_messages={"max_length": geography.INVALID_POSTCODE},
        help_text="Your workplace's, for example. We use the first half only (for example SE5).",
    )
    within_km = forms.ChoiceField(
        label="Distance", choices=DISTANCE_CHOICES, required=False, help_text="Only used when you give a postcode."
    )
    step_free = forms.BooleanField(label="Step-free access only", required=False)

    def clean_postcode(self):
        value = self.cleaned_data["postcode"].strip()
        if not value:
            return ""
        try:
            value = geography.normalise_postcode(value)
        except ValueError:
            raise forms.ValidationError(geography.INVALID_POSTCODE, code="invalid") from None
        if geography.locate(value) is None:
            raise forms.ValidationError(geography.UNKNOWN_POSTCODE, code="unknown")
        return value

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("from_date"), cleaned.get("to_date")
        if start and end and end < start:
            self.add_error("to_date", TO_BEFORE_FROM)
        if cleaned.get("within_km") and not cleaned.get("postcode") and "postcode" not in self.errors:
            self.add_error("postcode", DISTANCE_NEEDS_POSTCODE)
        return cleaned

    def to_query(self) -> CatalogueQuery:
        data = self.cleaned_data
        return CatalogueQuery(
            audiences=tuple(data.get("audience") or ()),
            topic=data.get("topic") or "",
            borough=data.get("borough") or "",
            from_date=data.get("from_date"),
            to_date=data.get("to_date"),
            near=geography.locate(data["postcode"]) if data.get("postcode") else None,
            within_km=float(data["within_km"]) if data.get("within_km") else None,
            step_free=bool(data.get("step_free")),
        )
