from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.urls import reverse

from accounts.models import Organisation, Role, User
from accounts.outbox import absolute_url
from accounts.services import password_reset_email_enqueue

PASSWORDS_DIFFER = "The passwords do not match. Enter the same password twice."
# Django's validator accepts up to 320 characters; our columns (and most mail systems) hold 254.
EMAIL_MAX_LENGTH = 254
EMAIL_TOO_LONG = f"Email address must be {EMAIL_MAX_LENGTH} characters or fewer"


class PasswordPairMixin(forms.Form):
    password1 = forms.CharField(
        label="Create a password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters. Avoid common words or only numbers.",
        error_messages={"required": "Enter a password"},
    )
    password2 = forms.CharField(
        label="Confirm your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter your password again"},
    )

    def clean_password2(self):
        password1, password2 = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        if password1 and password2 and password1 != password2:
            raise forms.ValidationError(PASSWORDS_DIFFER, code="password_mismatch")
        return password2

    def _validate_password_for(self, user: User) -> None:
        password = self.cleaned_data.get("password1")
        if password:
            try:
                password_validation.validate_password(password, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)


class NameFieldsMixin(forms.Form):
    first_name = forms.CharField(
        label="First name",
        max_length=100,
        error_messages={"required": "Enter your first name"},
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label="Last name",
        max_length=100,
        error_messages={"required": "Enter your last name"},
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )


class SignUpForm(NameFieldsMixin, PasswordPairMixin):
    email = forms.EmailField(
        label="Email address",
        max_length=EMAIL_MAX_LENGTH,
        help_text="We will send you a link to check it is yours. Use an address you will keep after college.",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
            "max_length": EMAIL_TOO_LONG,
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    field_order = ["first_name", "last_name", "email", "password1", "password2"]

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


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email address",
        max_length=EMAIL_MAX_LENGTH,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
            "max_length": EMAIL_TOO_LONG,
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True, "spellcheck": "false"}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )
    error_messages = {
        # The same words whether the email is unknown or the password wrong: no account enumeration.
        "invalid_login": "The email address or password is not right. Check them and try again.",
        "inactive": "The email address or password is not right. Check them and try again.",
    }


class SignInUnlockForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=EMAIL_MAX_LENGTH,
        help_text="If an account uses this address, we will email it a link that lets you sign in from here.",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
            "max_length": EMAIL_TOO_LONG,
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )


class OutboxPasswordResetForm(PasswordResetForm):
    email = forms.EmailField(
        label="Email address",
        max_length=EMAIL_MAX_LENGTH,
        help_text="If an account uses this address, we will email a link to choose a new password.",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
            "max_length": EMAIL_TOO_LONG,
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def save(self, *args, **kwargs):
        self.emailed = False
        super().save(*args, **kwargs)
        if not self.emailed:
            # No account may reset with this address: the same work, kept nowhere, so the time does not say so.
            path = reverse("accounts:password-reset-confirm", kwargs={"uidb64": "MA", "token": "set-password"})
            password_reset_email_enqueue(user=None, email=self.cleaned_data["email"], reset_url=absolute_url(path))

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        path = reverse("accounts:password-reset-confirm", kwargs={"uidb64": context["uid"], "token": context["token"]})
        password_reset_email_enqueue(user=context["user"], email=to_email, reset_url=absolute_url(path))
        self.emailed = True


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label="Their work email address",
        max_length=EMAIL_MAX_LENGTH,
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address in the correct format, like name@nhs.net",
            "max_length": EMAIL_TOO_LONG,
        },
    )
    role = forms.ChoiceField(
        label="Role",
        choices=[(Role.COORDINATOR, "Placement coordinator"), (Role.TUTOR, "College tutor")],
        widget=forms.RadioSelect,
        help_text="Tutors must belong to a college. Coordinators manage placements for their organisation.",
        error_messages={"required": "Select a role"},
    )
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.none(),
        error_messages={"required": "Select an organisation", "invalid_choice": "Select an organisation from the list"},
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()

    def clean(self):
        cleaned = super().clean()
        organisation, role = cleaned.get("organisation"), cleaned.get("role")
        if organisation and role == Role.TUTOR and not organisation.is_college:
            self.add_error("role", "Only colleges have tutors. Choose coordinator, or a college.")
        return cleaned


class InvitationAcceptForm(NameFieldsMixin, PasswordPairMixin):
    def __init__(self, *args, invitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation

    def clean(self):
        cleaned = super().clean()
        self._validate_password_for(User(email=self.invitation.email, first_name=cleaned.get("first_name") or ""))
        return cleaned


DIGESTS_BY_ROLE = {
    Role.STUDENT: "For example, a note after your placement asking how it went.",
    Role.TUTOR: "A weekly summary of where your college's students stand.",
    Role.COORDINATOR: "A daily summary of matches waiting for your decision, and a monthly reminder to confirm places.",
}


class EmailPreferencesForm(forms.Form):
    digest_emails = forms.BooleanField(label="Send me digests and reminders I can switch off", required=False)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, initial={"digest_emails": user.digest_emails}, **kwargs)
        self.fields["digest_emails"].help_text = DIGESTS_BY_ROLE.get(user.role, "")
