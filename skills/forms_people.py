"""Forms for joining with an employer's code, and for the employer's join code and reminder settings."""

from __future__ import annotations

from django import forms

from accounts.forms import EMAIL_MAX_LENGTH, EMAIL_TOO_LONG, NameFieldsMixin, PasswordPairMixin
from accounts.models import User
from skills.models import ReassessAfter


class JoinForm(NameFieldsMixin, PasswordPairMixin):
    code = forms.CharField(
        label="Join code",
        max_length=40,
        help_text="Your employer gives you this, for example on a poster or in a team email. It looks like "
        "ABCD-EFGH-JKMN.",
        error_messages={"required": "Enter your employer's join code", "max_length": "The join code is not right."},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}),
    )
    email = forms.EmailField(
        label="Your work email address",
        max_length=EMAIL_MAX_LENGTH,
        help_text="We will send you a link to check it is yours.",
        error_messages={
            "required": "Enter your work email address",
            "invalid": "Enter an email address in the correct format, like name@nhs.net",
            "max_length": EMAIL_TOO_LONG,
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    field_order = ["code", "first_name", "last_name", "email", "password1", "password2"]

    def clean(self):
        cleaned = super().clean()
        self._validate_password_for(
            User(
                email=cleaned.get("email") or "",
                first_name=cleaned.get("first_name") or "",
                last_name=cleaned.get("last_name") or "",
            )
        )
        return cleaned


class ReassessForm(forms.Form):
    reassess_after_months = forms.TypedChoiceField(
        label="Remind staff to check their skills again after",
        choices=ReassessAfter.choices,
        coerce=int,
        widget=forms.RadioSelect,
        help_text="Counted from each person's last result. They get one email, which they can switch off.",
        error_messages={"required": "Choose 3, 6 or 12 months", "invalid_choice": "Choose 3, 6 or 12 months"},
    )
