"""Small forms for the student's and guardian's one-off actions."""

from django import forms

from placements.forms.application import validate_uk_phone


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why are you withdrawing?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="This helps us and the hosts improve. For example, 'I have found another placement'.",
        error_messages={
            "required": "Tell us why you are withdrawing",
            "max_length": "Your reason must be 500 characters or fewer",
        },
    )


class DeclineOfferForm(forms.Form):
    reason = forms.CharField(
        label="Why are you declining?",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="This helps hosts plan. For example, 'The dates no longer suit me'.",
        error_messages={"max_length": "Your reason must be 500 characters or fewer"},
    )


class DeleteAccountForm(forms.Form):
    confirm_email = forms.CharField(
        label="To confirm, enter your email address",
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": "Enter your email address"},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_confirm_email(self):
        value = self.cleaned_data["confirm_email"].strip().lower()
        if value != self.user.email:
            raise forms.ValidationError("Enter your email address exactly as you use it to sign in", code="mismatch")
        return value


class GuardianConsentForm(forms.Form):
    guardian_name = forms.CharField(
        label="Your full name",
        max_length=150,
        error_messages={"required": "Enter your full name"},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    relationship = forms.CharField(
        label="Your relationship to the student",
        max_length=50,
        help_text="For example, mother, father, carer or guardian",
        error_messages={"required": "Enter your relationship to the student, for example mother or carer"},
    )
    consent = forms.BooleanField(
        label="I am the student's parent or guardian and I give consent for this application",
        error_messages={"required": "Confirm that you give consent"},
    )


class AcceptOfferForm(forms.Form):
    emergency_contact_name = forms.CharField(
        label="Emergency contact's name",
        max_length=150,
        help_text="Someone the host can call if you are unwell or hurt during the placement, such as a parent or "
        "carer. Only the host sees this.",
        error_messages={"required": "Enter the name of someone we can contact in an emergency"},
    )
    emergency_contact_phone = forms.CharField(
        label="Emergency contact's phone number",
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        error_messages={"required": "Enter their phone number"},
    )

    def clean_emergency_contact_phone(self):
        return validate_uk_phone(self.cleaned_data["emergency_contact_phone"])
