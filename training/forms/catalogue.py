"""The public catalogue's filters (like the placement finder's: placements.forms.finder)."""

from __future__ import annotations

from django import forms

from nhsuk.fields import NHSDateField
from placements import geography
from placements.forms.place_and_dates import DISTANCE_CHOICES, PlaceAndDatesMixin
from placements.taxonomy import LONDON_BOROUGHS
from training.models import Audience, Topic
from training.selectors.catalogue import CatalogueQuery

TO_BEFORE_FROM = "The 'to' date must be the same as or after the 'from' date"
# Dates a person could mean; outside these a typo (year 20277) gets a message, not an error page.
MIN_YEAR, MAX_YEAR = 2000, 2100


class CatalogueFilterForm(PlaceAndDatesMixin, forms.Form):
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

    date_range = ("from_date", "to_date")
    date_order_message = TO_BEFORE_FROM

    def to_query(self) -> CatalogueQuery:
        data = self.cleaned_data
        return CatalogueQuery(
            audiences=tuple(data.get("audience") or ()),
            topic=data.get("topic") or "",
            borough=data.get("borough") or "",
            from_date=data.get("from_date"),
            to_date=data.get("to_date"),
            near=self.near_point(),
            within_km=self.distance_km(),
            step_free=bool(data.get("step_free")),
        )
