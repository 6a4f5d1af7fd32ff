"""One form per domain page: each statement of the domain is a question with four answers."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms

from skills.models import Answer, StaffGroup


def field_name(statement) -> str:
    return f"s{statement.pk}"


class DomainForm(forms.Form):
    def __init__(self, *args, statements, answers: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.statements = list(statements)
        for statement in self.statements:
            self.fields[field_name(statement)] = forms.ChoiceField(
                label=statement.text,
                choices=Answer.choices,
                widget=forms.RadioSelect,
                required=False,  # the service decides: "Save and continue" needs every answer, "come back later" not
                initial=answers.get(statement.pk),
                error_messages={"invalid_choice": "Choose one of the answers given"},
            )
        self.helper = FormHelper()
        self.helper.form_tag = False

    def answers(self) -> dict[int, str]:
        return {s.pk: self.cleaned_data.get(field_name(s)) or "" for s in self.statements}

    def show_service_errors(self, error) -> None:
        """Put a service's ValidationError (keyed by statement id, or general) on the right fields."""
        if hasattr(error, "error_dict"):
            by_pk = {s.pk: field_name(s) for s in self.statements}
            for key, problems in error.error_dict.items():
                for problem in problems:
                    self.add_error(by_pk.get(key), problem)
        else:
            self.add_error(None, error)


# --- About your work (asked before the domains, for the employer's dashboard).


class AboutWorkForm(forms.Form):
    staff_group = forms.ChoiceField(
        label="Which staff group do you work in?",
        choices=StaffGroup.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the staff group you work in",
            "invalid_choice": "Select the staff group you work in",
        },
    )
    department = forms.CharField(
        label="Which team or department do you work in?",
        help_text="For example, Ward 7, Community nursing or Day shift. Use the name your colleagues use.",
        max_length=80,
        error_messages={
            "required": "Enter your team or department",
            "max_length": "Team or department must be 80 characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def show_service_errors(self, error) -> None:
        if hasattr(error, "error_dict"):
            for key, problems in error.error_dict.items():
                for problem in problems:
                    self.add_error(key if key in self.fields else None, problem)
        else:
            self.add_error(None, error)
