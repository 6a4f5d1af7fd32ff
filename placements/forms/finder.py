from django import forms

from nhsuk.fields import NHSDateField
from placements import geography
from placements.selectors.opportunities import FinderQuery
from placements.taxonomy import LONDON_BOROUGHS, OpportunityKind, ProfessionArea

DISTANCE_CHOICES = [
    ("", "Any distance"),
    ("3", "Within 3 km"),
    ("5", "Within 5 km"),
    ("10", "Within 10 km"),
    ("20", "Within 20 km"),
]


class OpportunityFinderForm(forms.Form):
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
        start, end = cleaned.get("available_from"), cleaned.get("available_to")
        if start and end and end < start:
            self.add_error("available_to", "The 'available until' date must be the same as or after the 'from' date")
        if cleaned.get("within_km") and not cleaned.get("postcode") and "postcode" not in self.errors:
            self.add_error("postcode", "Enter a postcode to search by distance")
        return cleaned

    def to_query(self) -> FinderQuery:
        data = self.cleaned_data
        return FinderQuery(
            profession_areas=tuple(data.get("profession_area") or ()),
            kinds=tuple(data.get("kind") or ()),
            borough=data.get("borough") or "",
            available_from=data.get("available_from"),
            available_to=data.get("available_to"),
            near=geography.locate(data["postcode"]) if data.get("postcode") else None,
            within_km=float(data["within_km"]) if data.get("within_km") else None,
            text=(data.get("q") or "").strip(),
        )
