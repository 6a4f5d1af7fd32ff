"""Form fields that speak the NHS.UK design system's error messages."""

import datetime

from django import forms
from django.core.exceptions import ValidationError

from nhsuk.widgets import DATE_PARTS, NHSDateInput

ENTER_A_DATE = "Enter a date"
MUST_INCLUDE = "Date must include a %(parts)s"
MUST_BE_REAL = "Date must be a real date"
YEAR_TOO_EARLY = "Year must be %(min_year)s or later"
YEAR_TOO_LATE = "Year must be %(max_year)s or earlier"


class NHSDateField(forms.MultiValueField):
    """A date typed into day, month and year boxes; cleans to a ``datetime.date``.

    Error codes (for ``error_messages`` overrides): ``required``, ``incomplete``
    (``%(parts)s`` names the missing boxes, e.g. "day and month"), ``invalid``,
    ``min_year``, ``max_year``. Each ValidationError carries ``params["highlight"]``,
    the boxes the template outlines in red; errors from other validators outline all three.
    """

    widget = NHSDateInput
    default_error_messages = {
        "required": ENTER_A_DATE,
        "incomplete": MUST_INCLUDE,
        "invalid": MUST_BE_REAL,
        "min_year": YEAR_TOO_EARLY,
        "max_year": YEAR_TOO_LATE,
    }

    def __init__(self, *, min_year=None, max_year=None, **kwargs):
        self.min_year = min_year
        self.max_year = max_year
        fields = tuple(forms.CharField(required=False) for _ in DATE_PARTS)
        kwargs.setdefault("widget", NHSDateInput)
        # We do our own required/incomplete checks so the messages name the missing part.
        super().__init__(fields, require_all_fields=False, **kwargs)

    def clean(self, value):
        if isinstance(value, datetime.date):
            # A disabled field is cleaned from its initial value, which is already a date.
            return value
        parts = [str(v).strip() if v is not None else "" for v in (value or ["", "", ""])]
        if not any(parts):
            if self.required:
                raise ValidationError(
                    self.error_messages["required"], code="required", params={"highlight": DATE_PARTS}
                )
            return None
        missing = [name for name, part in zip(DATE_PARTS, parts, strict=False) if not part]
        if missing:
            raise ValidationError(
                self.error_messages["incomplete"],
                code="incomplete",
                params={"parts": " and ".join(missing), "highlight": tuple(missing)},
            )
        try:
            day, month, year = (int(part) for part in parts)
            if len(parts[2]) != 4:
                raise ValueError("year needs four digits")
            result = datetime.date(year, month, day)
        except (ValueError, OverflowError):
            # OverflowError: a day or month too big for a C integer, such as 99999999999999999999.
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"highlight": DATE_PARTS}
            ) from None
        if self.min_year is not None and result.year < self.min_year:
            raise ValidationError(
                self.error_messages["min_year"],
                code="min_year",
                params={"min_year": self.min_year, "highlight": ("year",)},
            )
        if self.max_year is not None and result.year > self.max_year:
            raise ValidationError(
                self.error_messages["max_year"],
                code="max_year",
                params={"max_year": self.max_year, "highlight": ("year",)},
            )
        self.run_validators(result)
        self.validate(result)
        return result

    def compress(self, data_list):
        """Day, month and year to a date. ``clean`` above does the checking (it names a missing part); this
        serves callers of MultiValueField's own API."""
        if not data_list or not all(data_list):
            return None
        try:
            day, month, year = (int(part) for part in data_list)
            return datetime.date(year, month, day)
        except (ValueError, OverflowError):
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"highlight": DATE_PARTS}
            ) from None

    def validate(self, value):
        # MultiValueField.validate is a no-op; keep "required" handled in clean().
        pass

    def has_changed(self, initial, data):
        if self.disabled:
            return False
        try:
            return self.clean(data) != self.to_date(initial)
        except ValidationError:
            return True

    @staticmethod
    def to_date(value):
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, str) and value:
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                return None
        return None
