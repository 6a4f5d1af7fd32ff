from django import forms

from nhsuk.fields import NHSDateField
from placements import geography
from placements.forms.place_and_dates import DISTANCE_CHOICES, PlaceAndDatesMixin
from placements.selectors.opportunities import FinderQuery
from placements.taxonomy import LONDON_BOROUGHS, OpportunityKind, ProfessionArea

UNTIL_BEFORE_FROM = "The 'available until' date must be the same as or after the 'from' date"


class OpportunityFinderForm(PlaceAndDatesMixin, forms.Form):
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=100,
        help_text="A word from the title or the name of the hospital or care provider.",
    )
    profession_area = forms.MultipleChoiceField(
        label="Area of work", choices=ProfessionArea.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    kind = forms.MultipleChoiceField(
        label="Type of experience",
        choices=OpportunityKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    borough = forms.ChoiceField(
        label="Borough", required=False, choices=[("", "Any borough"), *[(b, b) for b in LONDON_BOROUGHS]]
    )
    postcode = forms.CharField(
        label="Near my postcode",
        required=False,
        max_length=10,
        error_messages={"max_length": geography.INVALID_POSTCODE},
        help_text="We use the first half only (for example SE5) to sort placements by distance.",
    )
    within_km = forms.ChoiceField(
        label="Distance", choices=DISTANCE_CHOICES, required=False, help_text="Only used when you give a postcode."
    )
    available_from = NHSDateField(label="Available from", required=False, help_text="For example, 15 7 2027")
    available_to = NHSDateField(label="Available until", required=False)

    date_range = ("available_from", "available_to")
    date_order_message = UNTIL_BEFORE_FROM

    def to_query(self) -> FinderQuery:
        data = self.cleaned_data
        return FinderQuery(
            profession_areas=tuple(data.get("profession_area") or ()),
            kinds=tuple(data.get("kind") or ()),
            borough=data.get("borough") or "",
            available_from=data.get("available_from"),
            available_to=data.get("available_to"),
            near=self.near_point(),
            within_km=self.distance_km(),
            text=(data.get("q") or "").strip(),
        )
