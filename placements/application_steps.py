"""The pages of the application form, in order, the numbered sections they make up, and what is done.

Views walk this list; "Check your answers" and the task list show the same sections, so adding a page is one
entry here. A follow-on page (the parent or guardian's email, asked only of under-18s straight after their date
of birth) belongs to the section before it, so section numbers never change with the answers.
"""

from dataclasses import dataclass
from enum import StrEnum

from placements.forms import application as forms
from placements.models import Application, WideningParticipation


class Progress(StrEnum):
    COMPLETED = "Completed"
    IN_PROGRESS = "In progress"
    NOT_STARTED = "Not started"


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    form_class: type
    # Fields that must be filled for the page to count as done.
    required: tuple[str, ...] = ()
    only_if_under_18: bool = False
    # The section a follow-on page belongs to ("" for a section's own first page).
    section: str = ""
    # Optional pages never stop a student submitting; they are done once saved.
    optional: bool = False

    def applies_to(self, application: Application) -> bool:
        return not self.only_if_under_18 or application.needs_guardian_consent

    def missing(self, application: Application) -> list[str]:
        """The required fields not answered yet, in the order the page asks them."""
        if self.slug == "education":
            return [] if application.college_id or application.not_at_college else ["college_choice"]
        return [name for name in self.required if getattr(application, name) in (None, "", [], {}, False)]

    def is_complete(self, application: Application) -> bool:
        if self.form_class is forms.WideningParticipationForm:
            # Every question is optional, so it is done once the student has seen and saved the page.
            return _widening_participation(application) is not None
        return not self.missing(application)

    def progress(self, application: Application) -> Progress:
        if self.is_complete(application):
            return Progress.COMPLETED
        if self.optional or len(self.missing(application)) == max(len(self.required), 1):
            return Progress.NOT_STARTED
        return Progress.IN_PROGRESS


STEPS = [
    Step("about-you", "About you", forms.AboutYouForm, ("first_name", "last_name", "date_of_birth", "home_district")),
    Step(
        "guardian",
        "Parent or guardian",
        forms.GuardianForm,
        ("guardian_email",),
        only_if_under_18=True,
        section="about-you",
    ),
    Step("education", "Your education", forms.EducationForm),
    Step("interests", "Your interests and choices", forms.InterestsForm, ("profession_areas",)),
    Step("dates", "When you are available", forms.DatesForm, ("available_from", "available_to")),
    Step("checks", "Checks and support", forms.ChecksForm, ("dbs_status",)),
    Step("statement", "Why health or care", forms.StatementForm, ("supporting_statement", "digital_skills")),
    Step("widening-participation", "About your background", forms.WideningParticipationForm, optional=True),
    Step("declarations", "Declarations", forms.DeclarationsForm, ("declaration_true", "declaration_share")),
]
BY_SLUG = {step.slug: step for step in STEPS}
SECTIONS = [step for step in STEPS if not step.section]


@dataclass(frozen=True)
class Section:
    """One numbered section of the form as it stands for this application: its pages and how far along it is."""

    number: int
    step: Step
    pages: list[Step]
    progress: Progress
    # The first page still to answer (or the section's own page), and the first field on it to answer.
    first_to_do: Step
    first_missing_field: str | None

    @property
    def slug(self) -> str:
        return self.step.slug

    @property
    def title(self) -> str:
        return self.step.title

    @property
    def is_complete(self) -> bool:
        return self.progress == Progress.COMPLETED

    @property
    def blocks_submission(self) -> bool:
        return not self.is_complete and not self.step.optional


def steps_for(application: Application) -> list[Step]:
    """Every page this student is asked to fill in, in order."""
    return [step for step in STEPS if step.applies_to(application)]


def section_of(step: Step) -> Step:
    return BY_SLUG[step.section] if step.section else step


def section_number(step: Step) -> int:
    return SECTIONS.index(section_of(step)) + 1


def sections_for(application: Application) -> list[Section]:
    sections = []
    for number, head in enumerate(SECTIONS, start=1):
        pages = [s for s in steps_for(application) if s is head or s.section == head.slug]
        progresses = [page.progress(application) for page in pages]
        if all(p == Progress.COMPLETED for p in progresses):
            progress = Progress.COMPLETED
        elif all(p == Progress.NOT_STARTED for p in progresses):
            progress = Progress.NOT_STARTED
        else:
            progress = Progress.IN_PROGRESS
        to_do = next((page for page in pages if not page.is_complete(application)), head)
        missing = to_do.missing(application)
        sections.append(Section(number, head, pages, progress, to_do, missing[0] if missing else None))
    return sections


def next_step(application: Application, current: Step) -> Step | None:
    steps = steps_for(application)
    index = steps.index(current) if current in steps else -1
    return steps[index + 1] if index + 1 < len(steps) else None


def first_incomplete(application: Application) -> Step | None:
    return next(
        (step for step in steps_for(application) if not step.optional and not step.is_complete(application)), None
    )


# Where a page asks for a stored answer under another name.
_FORM_FIELDS = {"home_district": "home_postcode", "digital_skills": f"skill_{forms.digital_skills.SKILLS[0].key}"}


def form_field(answer: str) -> str:
    """The form field that asks for ``answer`` (an application attribute named in a step's ``required``)."""
    return _FORM_FIELDS.get(answer, answer)


def _widening_participation(application: Application) -> WideningParticipation | None:
    try:
        return application.widening_participation
    except WideningParticipation.DoesNotExist:
        return None


def form_instance(step: Step, application: Application):
    """The model instance a step's form edits: the application, or its background answers (saved only on save)."""
    if step.form_class is forms.WideningParticipationForm:
        return _widening_participation(application) or WideningParticipation(application=application)
    return application
