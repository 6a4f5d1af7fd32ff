"""The pages of the application form, in order, and whether each is complete.

Views walk this list; "Check your answers" lists the same sections, so adding a page is one entry here.
"""

from dataclasses import dataclass

from placements.forms import application as forms
from placements.models import Application, WideningParticipation


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    form_class: type
    # Fields that must be filled for the page to count as done.
    required: tuple[str, ...] = ()
    only_if_under_18: bool = False

    def applies_to(self, application: Application) -> bool:
        return not self.only_if_under_18 or application.needs_guardian_consent

    def is_complete(self, application: Application) -> bool:
        if self.slug == "education":
            return bool(application.college_id or application.not_at_college)
        if self.slug == "widening-participation":
            return True  # every question is optional
        return all(getattr(application, name) not in (None, "", [], {}, False) for name in self.required)


STEPS = [
    Step("about-you", "About you", forms.AboutYouForm, ("first_name", "last_name", "date_of_birth", "home_district")),
    Step("education", "Your education", forms.EducationForm),
    Step("interests", "Your interests and choices", forms.InterestsForm, ("profession_areas",)),
    Step("dates", "When you are available", forms.DatesForm, ("available_from", "available_to")),
    Step("checks", "Checks and support", forms.ChecksForm, ("dbs_status",)),
    Step("statement", "Why health or care", forms.StatementForm, ("supporting_statement", "digital_skills")),
    Step("widening-participation", "About your background", forms.WideningParticipationForm),
    Step("guardian", "Parent or guardian", forms.GuardianForm, ("guardian_email",), only_if_under_18=True),
    Step("declarations", "Declarations", forms.DeclarationsForm, ("declaration_true", "declaration_share")),
]
BY_SLUG = {step.slug: step for step in STEPS}


def steps_for(application: Application) -> list[Step]:
    return [step for step in STEPS if step.applies_to(application)]


def next_step(application: Application, current: Step) -> Step | None:
    steps = steps_for(application)
    index = steps.index(current) if current in steps else -1
    return steps[index + 1] if index + 1 < len(steps) else None


def first_incomplete(application: Application) -> Step | None:
    return next((step for step in steps_for(application) if not step.is_complete(application)), None)


def form_instance(step: Step, application: Application):
    """The model instance a step's form edits (the application, or its widening-participation answers)."""
    if step.form_class is forms.WideningParticipationForm:
        return WideningParticipation.objects.get_or_create(application=application)[0]
    return application
