"""NHS.UK form building blocks: widgets and fields that the ``nhsuk`` crispy template pack renders."""

from accounts.ui.fields import NHSDateField
from accounts.ui.widgets import NHSDateInput

__all__ = ["NHSDateField", "NHSDateInput"]
