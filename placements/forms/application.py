"""One small form per page of the application. Each says why it asks (help_text) and validates server-side."""

from datetime import date

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms
from django.utils import timezone

from accounts.models import Organisation, OrganisationKind
from nhsuk.fields import NHSDateField
from placements import digital_skills, geography
from placements.models import Answer, Application, DbsStatus, WideningParticipation
from placements.taxonomy import ProfessionArea, Vaccination
from placements.templatetags.wording import day, day_range

MIN_APPLICANT_AGE = 14
STATEMENT_MIN, STATEMENT_MAX = 100, 1500
TRAVEL_CHOICES = [(5, "Up to 5 km"), (10, "Up to 10 km"), (15, "Up to 15 km"), (25, "Up to 25 km")]


def _helper(*layout) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    if layout:
        helper.layout = Layout(*layout)
    return helper


class StepForm(forms.ModelForm):
    """A page of the application: knows its round for date checks; renders without its own <form> tag."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    @property
    def round(self):
        return self.instance.round


class AboutYouForm(StepForm):
    date_of_birth = NHSDateField(
        label="Date of birth",
        help_text="We use it to work out your age on the placement dates, because some placements have a minimum "
        "age. For example, 27 3 2009",
        error_messages={"required": "Enter your date of birth"},
    )
    home_postcode = forms.CharField(
        label="Home postcode",
        max_length=10,
        help_text="We use it to find placements near you. We only keep the first half (for example SE5), "
        "never your address.",
        error_messages={"required": "Enter your home postcode", "max_length": geography.INVALID_POSTCODE},
    )

    class Meta:
        model = Application
        fields = ["first_name", "last_name", "date_of_birth", "phone"]
        labels = {"phone": "Phone number"}
        help_texts = {
            "first_name": "As it appears on your ID: the host checks it on your first day.",
            "phone": "Only used by the host if they need to reach you about a placement.",
        }
        error_messages = {
            "first_name": {"required": "Enter your first name"},
            "last_name": {"required": "Enter your last name"},
        }

    field_order = ["first_name", "last_name", "date_of_birth", "phone", "home_postcode"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = self.fields["last_name"].required = True
        self.fields["phone"].widget.attrs.update(autocomplete="tel", inputmode="tel")
        if self.instance.home_district and not self.is_bound:
            self.initial["home_postcode"] = self.instance.home_district

    def clean_date_of_birth(self):
        dob = self.cleaned_data["date_of_birth"]
        today = timezone.localdate()
        if dob >= today:
            raise forms.ValidationError("Date of birth must be in the past", code="future")
        age = _age(dob, self.round.placements_from)
        if age < MIN_APPLICANT_AGE:
            raise forms.ValidationError(
                f"You must be at least {MIN_APPLICANT_AGE} when placements start on {day(self.round.placements_from)}",
                code="too_young",
            )
        if age > 100:
            raise forms.ValidationError("Enter a real date of birth", code="implausible")
        return dob

    def clean_phone(self):
        return validate_uk_phone(self.cleaned_data["phone"])

    def clean_home_postcode(self):
        try:
            postcode = geography.normalise_postcode(self.cleaned_data["home_postcode"])
        except ValueError:
            raise forms.ValidationError(geography.INVALID_POSTCODE, code="invalid") from None
        if geography.locate(postcode) is None:
            raise forms.ValidationError(geography.UNKNOWN_POSTCODE, code="unknown")
        return postcode

    def save(self, commit=True):
        self.instance.home_district = geography.outward_code(self.cleaned_data["home_postcode"])
        return super().save(commit)


def validate_uk_phone(value: str) -> str:
    phone = value.strip()
    digits = phone.replace(" ", "").replace("+44", "0")
    if phone and (not digits.isdigit() or not 10 <= len(digits) <= 11):
        raise forms.ValidationError("Enter a UK phone number, like 07700 900 982", code="invalid")
    return phone


def _age(dob: date, on: date) -> int:
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


NOT_AT_COLLEGE = "none"


class EducationForm(StepForm):
    college_choice = forms.ChoiceField(
        label="Your college",
        help_text="Your tutor can then follow your application and support you.",
        error_messages={"required": "Select your college, or 'I am not at a college'"},
    )

    class Meta:
        model = Application
        fields = ["course", "year_of_study"]
        labels = {"course": "Course", "year_of_study": "Year"}
        help_texts = {
            "course": "For example, T Level in Health, or BTEC Health and Social Care.",
            "year_of_study": "For example, Year 12, first year, or 'returning to work'.",
        }

    field_order = ["college_choice", "course", "year_of_study"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        colleges = Organisation.objects.filter(kind=OrganisationKind.COLLEGE).order_by("name")
        self.fields["college_choice"].choices = [
            ("", "Select your college"),
            *[(str(c.pk), c.name) for c in colleges],
            (NOT_AT_COLLEGE, "I am not at a college"),
        ]
        self.colleges = {str(c.pk): c for c in colleges}
        if not self.is_bound:
            if self.instance.college_id:
                self.initial["college_choice"] = str(self.instance.college_id)
            elif self.instance.not_at_college:
                self.initial["college_choice"] = NOT_AT_COLLEGE

    def save(self, commit=True):
        choice = self.cleaned_data["college_choice"]
        self.instance.college = self.colleges.get(choice)
        self.instance.not_at_college = choice == NOT_AT_COLLEGE
        return super().save(commit)


class InterestsForm(StepForm):
    profession_areas = forms.MultipleChoiceField(
        label="Which areas of work interest you?",
        choices=ProfessionArea.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply. We use these to suggest placements.",
        error_messages={"required": "Select at least one area of work"},
    )
    max_travel_km = forms.TypedChoiceField(
        label="How far can you travel?",
        choices=TRAVEL_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        help_text="From your home, as the crow flies. Virtual sessions are offered whatever the distance.",
        error_messages={"required": "Select how far you can travel"},
    )

    class Meta:
        model = Application
        fields = ["profession_areas", "consider_other_placements", "max_travel_km"]
        labels = {"consider_other_placements": "Also consider other placements that fit my interests"}
        help_texts = {
            "consider_other_placements": "Recommended: you are more likely to get a placement. We only "
            "add placements you are eligible for, nearest first, after your own choices."
        }


class DatesForm(StepForm):
    available_from = NHSDateField(
        label="Available from",
        help_text="We only match you to placements that start and finish between these dates. For example, 6 7 2027",
        error_messages={"required": "Enter the first date you are available"},
    )
    available_to = NHSDateField(
        label="Available until", error_messages={"required": "Enter the last date you are available"}
    )

    class Meta:
        model = Application
        fields = ["available_from", "available_to"]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("available_from"), cleaned.get("available_to")
        today = timezone.localdate()
        if start and start < today:
            self.add_error("available_from", "The date you are available from must be today or in the future")
        if end and end < today:
            self.add_error("available_to", "The date you are available until must be in the future")
        if start and end and end < start:
            self.add_error(
                "available_to",
                "The date you are available until must be the same as or after the date you are available from",
            )
        elif start and end and (end < self.round.placements_from or start > self.round.placements_to):
            self.add_error(
                "available_from",
                f"Placements in this round run from {day_range(self.round.placements_from, self.round.placements_to)}. "
                "Choose dates in that period",
            )
        return cleaned


class ChecksForm(StepForm):
    dbs_status = forms.ChoiceField(
        label="Do you have a DBS check?",
        choices=DbsStatus.choices,
        widget=forms.RadioSelect,
        help_text="A DBS check is a criminal record check. Some placements need one; you do not need one to apply.",
        error_messages={"required": "Select whether you have a DBS check"},
    )
    vaccinations = forms.MultipleChoiceField(
        label="Which vaccinations can you confirm you have had?",
        choices=Vaccination.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Some clinical placements need these. Only tick the ones you know you have had.",
    )

    class Meta:
        model = Application
        fields = ["dbs_status", "vaccinations", "occupational_health_notes", "access_needs"]
        labels = {
            "occupational_health_notes": "Is there anything occupational health should know?",
            "access_needs": "Do you need any support or adjustments?",
        }
        help_texts = {
            "occupational_health_notes": "For example, an allergy to latex. Only the host's occupational health "
            "team sees this, if you are offered a place.",
            "access_needs": "For example, step-free access, extra breaks, or information in large print. The host "
            "uses this to make the placement work for you.",
        }
        widgets = {
            "occupational_health_notes": forms.Textarea(attrs={"rows": 3}),
            "access_needs": forms.Textarea(attrs={"rows": 3}),
        }


class StatementForm(StepForm):
    class Meta:
        model = Application
        fields = ["supporting_statement"]
        labels = {"supporting_statement": "Why are you interested in health or care?"}
        help_texts = {
            "supporting_statement": "Tell the host a little about yourself: what interests you, and what you "
            f"hope to learn. Between {STATEMENT_MIN} and {STATEMENT_MAX} characters."
        }
        widgets = {"supporting_statement": forms.Textarea(attrs={"rows": 8, "maxlength": STATEMENT_MAX})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supporting_statement"].required = True
        self.fields["supporting_statement"].error_messages["required"] = "Enter why you are interested"
        for skill in digital_skills.SKILLS:
            key, label = skill.key, skill.question
            self.fields[f"skill_{key}"] = forms.ChoiceField(
                label=label,
                choices=digital_skills.LEVELS,
                widget=forms.RadioSelect,
                error_messages={"required": f"Select an answer for '{label}'"},
                initial=(self.instance.digital_skills or {}).get(key),
            )
        self.helper = _helper(
            Field("supporting_statement", template="nhsuk/character_count.html", maxlength=STATEMENT_MAX),
            *[Field(f"skill_{skill.key}", inline_class="inline") for skill in digital_skills.SKILLS],
        )

    def clean_supporting_statement(self):
        statement = self.cleaned_data["supporting_statement"].strip()
        if len(statement) < STATEMENT_MIN:
            raise forms.ValidationError(
                f"Your answer must be at least {STATEMENT_MIN} characters. You have written {len(statement)}",
                code="too_short",
            )
        if len(statement) > STATEMENT_MAX:
            raise forms.ValidationError(f"Your answer must be {STATEMENT_MAX} characters or fewer", code="too_long")
        return statement

    def save(self, commit=True):
        self.instance.digital_skills = {s.key: self.cleaned_data[f"skill_{s.key}"] for s in digital_skills.SKILLS}
        return super().save(commit)


class WideningParticipationForm(forms.ModelForm):
    class Meta:
        model = WideningParticipation
        fields = WideningParticipation.FIELDS
        labels = {
            "free_school_meals": "Have you received free school meals in the last 6 years?",
            "care_experienced": "Have you ever been in care?",
            "young_carer": "Are you a young carer, looking after someone at home?",
            "first_in_family": "Would you be the first in your family to go to university?",
            "disability": "Do you consider yourself to have a disability or long-term health condition?",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in WideningParticipation.FIELDS:
            self.fields[name] = forms.ChoiceField(
                label=self._meta.labels[name],
                choices=Answer.choices,
                widget=forms.RadioSelect,
                required=False,
                initial=getattr(self.instance, name) or None,
            )
        self.helper = _helper(*[Field(name, inline_class="inline") for name in WideningParticipation.FIELDS])


class GuardianForm(StepForm):
    class Meta:
        model = Application
        fields = ["guardian_email"]
        labels = {"guardian_email": "Parent or guardian's email address"}
        help_texts = {
            "guardian_email": "Because you are under 18, we will email them a link to give consent. We "
            "cannot match you to a placement until they do."
        }
        error_messages = {
            "guardian_email": {"invalid": "Enter an email address in the correct format, like name@example.com"}
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["guardian_email"].required = True
        self.fields["guardian_email"].error_messages["required"] = "Enter your parent or guardian's email address"

    def clean_guardian_email(self):
        email = self.cleaned_data["guardian_email"].strip().lower()
        if email == self.instance.student.email.lower():
            raise forms.ValidationError(
                "Enter your parent or guardian's email address, not your own", code="same_as_student"
            )
        return email


class DeclarationsForm(StepForm):
    class Meta:
        model = Application
        fields = ["declaration_true", "declaration_share"]
        labels = {
            "declaration_true": "The information I have given is true to the best of my knowledge",
            "declaration_share": "I agree that the hosts I am matched with can see my application, except my answers "
            "about my background, which they never see",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["declaration_true"].required = True
        self.fields["declaration_true"].error_messages["required"] = "Confirm that the information is true"
        self.fields["declaration_share"].required = True
        self.fields["declaration_share"].error_messages["required"] = (
            "Agree to share your application with the hosts you are matched with"
        )
