"""The compare page's choices (GET): two snapshots, a period both cover, a breakdown. Anything unknown falls back to
the default, so a hostile or stale query string shows the default comparison, never an error page."""

from django import forms
from django.utils import timezone


def snapshot_label(snapshot) -> str:
    when = timezone.localtime(snapshot.taken_at or snapshot.created_at)
    return f"{when:%-d %B %Y, %H:%M} ({snapshot.get_kind_display().lower()})"


class CompareForm(forms.Form):
    earlier = forms.TypedChoiceField(label="Earlier snapshot", coerce=int)
    later = forms.TypedChoiceField(label="Later snapshot", coerce=int)
    period = forms.ChoiceField(label="Period (in both snapshots)")
    breakdown = forms.ChoiceField(label="Break down by")

    def __init__(self, data, *, snapshots, periods, breakdowns):
        super().__init__(data)
        choices = [(s.pk, snapshot_label(s)) for s in snapshots]
        self.fields["earlier"].choices = choices
        self.fields["later"].choices = choices
        self.fields["period"].choices = [(p["key"], p["label"]) for p in periods]
        self.fields["breakdown"].choices = list(breakdowns.items())

    def value(self, name, default):
        """The cleaned value of ``name``, or ``default`` when it is missing or not one of the choices."""
        if not self.is_bound or (not self.is_valid() and name in self.errors):
            return default
        value = self.cleaned_data.get(name)
        return value if value not in (None, "") else default
