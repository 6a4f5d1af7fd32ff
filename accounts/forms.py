from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.urls import reverse

from accounts.models import Organisation, Role, User, organisation_rule_error
from accounts.services import password_reset_email_enqueue
from notifications.outbox import absolute_url

PASSWORDS_DIFFER = "The passwords do not match. Enter the same password twice."
# Django's validator accepts up to 320 characters; our columns (and most mail systems) hold 254.
EMAIL_MAX_LENGTH = 254
EMAIL_TOO_LONG = f"Email address must be {EMAIL_MAX_LENGTH} characters or fewer"
ADDRESS_LIST_MAX_BYTES = 1024 * 1024


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


ROLE_CHOICE_LABELS = {
    Role.COORDINATOR: "Placement coordinator",
    Role.TUTOR: "College tutor",
    Role.STAFF: "Health and care staff member",
    Role.PARTNER: "Planning partner",
}
ROLE_CHOICE_HINTS = {
    Role.COORDINATOR: "Coordinators manage placements for their organisation.",
    Role.TUTOR: "Tutors follow their college's students and must belong to a college.",
    Role.STAFF: "Health and care staff are employees of an NHS trust or care provider. Their training and "
    "skills pages are still being built.",
    Role.PARTNER: "Planning partners are read-only analysts at an integrated care board, the LSIP partnership, a "
    "local authority or the GLA. Their reports are still being built.",
}
# Said on the invitation form when the chosen organisation cannot have the chosen role.
ROLE_KIND_ERRORS = {
    Role.TUTOR: "Only colleges have tutors. Choose coordinator, or a college.",
    Role.COORDINATOR: "Only NHS trusts, social-care providers and colleges have placement coordinators. "
    "Choose another role, or another organisation.",
    Role.STAFF: "Only NHS trusts and social-care providers have health and care staff. "
    "Choose another role, or an NHS trust or care provider.",
    Role.PARTNER: "Only integrated care boards, the LSIP partnership, local authorities and the GLA have planning "
    "partners. Choose another role, or one of those organisations.",
}


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
        error_messages={"required": "Select a role", "invalid_choice": "Select a role from the list"},
    )
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.none(),
        error_messages={"required": "Select an organisation", "invalid_choice": "Select an organisation from the list"},
    )

    def __init__(self, *args, organisations, roles=(Role.COORDINATOR, Role.TUTOR), **kwargs):
        """``organisations``: where the inviter may invite; ``roles``: the roles they may invite into."""
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()
        self.fields["role"].choices = [(role.value, ROLE_CHOICE_LABELS[role]) for role in roles]
        self.fields["role"].help_text = " ".join(ROLE_CHOICE_HINTS[role] for role in roles)

    def clean(self):
        cleaned = super().clean()
        organisation, role = cleaned.get("organisation"), cleaned.get("role")
        if organisation and role and organisation_rule_error(role, organisation.kind):
            self.add_error("role", ROLE_KIND_ERRORS[role])
        return cleaned


class StaffListInviteForm(forms.Form):
    """A CSV file of staff email addresses to invite, and (for site admins) the employer to invite them to."""

    organisation = forms.ModelChoiceField(
        label="Employer",
        queryset=Organisation.objects.none(),
        help_text="The NHS trust or care provider they work for.",
        error_messages={"required": "Select an employer", "invalid_choice": "Select an employer from the list"},
    )
    file = forms.FileField(
        label="CSV file of work email addresses",
        help_text="One email address per row, in the first column. A header row 'email' is fine. Up to 1,000 rows. "
        "Anyone with an invitation still waiting is not invited again.",
        error_messages={"required": "Choose a CSV file to upload"},
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if organisations.count() == 1:
            # A coordinator invites to their own employer only: nothing to choose.
            self.fields["organisation"].initial = organisations.first()
            self.fields["organisation"].widget = forms.HiddenInput()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > ADDRESS_LIST_MAX_BYTES:
            raise forms.ValidationError("The file must be smaller than 1 MB", code="too_big")
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError("The file must be a CSV saved as UTF-8 text", code="encoding") from None


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
    Role.STAFF: "We do not send any yet.",
    Role.PARTNER: "We do not send any yet.",
}


class EmailPreferencesForm(forms.Form):
    digest_emails = forms.BooleanField(label="Send me digests and reminders I can switch off", required=False)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, initial={"digest_emails": user.digest_emails}, **kwargs)
        self.fields["digest_emails"].help_text = DIGESTS_BY_ROLE.get(user.role, "")
