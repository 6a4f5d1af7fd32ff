"""Forms for a person's own training places."""

from django import forms

from training.services.staff import CONFIDENCE_CHOOSE

CONFIDENCE_CHOICES = [
    ("1", "1 – Not at all confident"),
    ("2", "2 – A little confident"),
    ("3", "3 – Fairly confident"),
    ("4", "4 – Confident"),
    ("5", "5 – Very confident"),
]


class ConfidenceForm(forms.Form):
    confidence = forms.TypedChoiceField(
        label="How confident do you feel?",
        choices=CONFIDENCE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": CONFIDENCE_CHOOSE, "invalid_choice": CONFIDENCE_CHOOSE},
    )
