"""What the public finders' filter forms share: a postcode to sort by distance, a distance that needs one, and a
from/to pair of dates in order. Used by the placement finder (placements.forms.finder) and the simulation-training
catalogue (training.forms.catalogue)."""

from django import forms

from placements import geography

DISTANCE_CHOICES = [
    ("", "Any distance"),
    ("3", "Within 3 km"),
    ("5", "Within 5 km"),
    ("10", "Within 10 km"),
    ("20", "Within 20 km"),
]
DISTANCE_NEEDS_POSTCODE = "Enter a postcode to search by distance"


class PlaceAndDatesMixin:
    """Cleaning for a form with ``postcode`` and ``within_km`` fields and the date pair named by ``date_range``.

    ``date_range``: the names of the "from" and "to" date fields; ``date_order_message``: the error put on the "to"
    field when it is before the "from" one.
    """

    date_range: tuple[str, str]
    date_order_message: str

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
        start_field, end_field = self.date_range
        start, end = cleaned.get(start_field), cleaned.get(end_field)
        if start and end and end < start:
            self.add_error(end_field, self.date_order_message)
        if cleaned.get("within_km") and not cleaned.get("postcode") and "postcode" not in self.errors:
            self.add_error("postcode", DISTANCE_NEEDS_POSTCODE)
        return cleaned

    def near_point(self) -> geography.Point | None:
        """Where the cleaned postcode's district is (None without one)."""
        postcode = self.cleaned_data.get("postcode")
        return geography.locate(postcode) if postcode else None

    def distance_km(self) -> float | None:
        """The cleaned distance in km (None for any distance)."""
        value = self.cleaned_data.get("within_km")
        return float(value) if value else None
