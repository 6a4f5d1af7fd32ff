"""Demo applications for ``seed_demo``, made the way real people make them.

Every demo application is started by its student through the application services, answered page by page
through the application's own forms and submitted (so routing builds its preferences); a guardian consents
through the link in the consent email; real matching runs match; the host's coordinator approves, declines,
checks, confirms, records attendance, completes or cancels; the student accepts, declines, withdraws or
cancels, each through the service the pages call. Nothing here writes a status, a placement or a preference
row itself, so whatever a student reads on their dashboard, and whatever the next matching run does, follows
from what these people did.

Some of it happened weeks ago (a placement under way must have been applied for before its deadline): those
steps run under ``demo_clock``. A backfill run that a release queues is run at once, as the worker would, and
each email is delivered a minute after it was written (to nowhere: every demo address is @demo.test).

Story (days before today):
  Earlier demo round  Uma applies, is matched, the care home declines her dates, nothing else fits:
                      not placed when the round's outcomes are sent.
  Demo round   -70    South Thames publishes weekly cohorts of its ward placement for the weeks now past.
               -58    Cora, Dev and Ines apply; guardians consent; the nightly run matches them; the trust
                      approves; they accept; the trust checks and confirms. Cora attends and completes,
                      Dev does not attend, Ines started this week.
               -18    Ada, Cal, Sid, Hana, Dan and Eve apply; the nightly run of day -14 matches all six. Ada,
                      Cal, Sid and Hana accept; Dan declines; Eve's offer expires; the care home cancels Hana's
                      place; Sid cancels his.
               -6     Amara, Mo and Will apply; Will withdraws; the nightly run of day -3 matches Amara and Mo;
                      the trust offers Amara a place (Mo still waits for the trust's decision).
               -2     Cleo applies (her guardian has not answered yet); Dara starts an application.
               today  Bilal applies and his guardian consents: he is in the next run.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.mail.backends.dummy import EmailBackend as DiscardingBackend
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from accounts.demo import demo_password_hash
from accounts.models import Organisation, Role, User
from notifications.models import EmailStatus, OutboundEmail
from notifications.outbox import email_deliver
from placements import application_steps
from placements.demo_clock import demo_clock
from placements.models import (
    Application,
    Cohort,
    HostCancelReason,
    HostDeclineReason,
    MatchingRun,
    Opportunity,
    Round,
    RunKind,
    RunStatus,
)
from placements.services import applications as application_services
from placements.services import offers, pre_placement, reminders
from placements.services.capacity import opportunity_create_weekly_cohorts
from placements.services.endorsements import endorsement_save
from placements.services.host_cancellation import placement_cancel_by_host
from placements.services.host_decisions import placement_approve, placement_decline
from placements.services.matching_runs import matching_run_create, matching_run_execute
from placements.workflow import Status

GUARDIAN_EMAIL = "parent@demo.test"
GUARDIAN = ("Pat Demo", "Parent")
EMERGENCY_CONTACT = ("Pat Demo", "07700 900000")
STATEMENT = (
    "I want to see how nurses and carers look after people, and to find out which job suits me. "
    "I help look after my grandmother and I volunteer at a lunch club for older people on Saturdays."
)
JOINING_INSTRUCTIONS = "Main reception at 8:45am. Ask for Sam Taylor, who will look after you on the day."
DIGITAL_SKILLS = {
    "email": "confident",
    "video_call": "confident",
    "health_information": "some_help",
    "online_forms": "confident",
    "data_safety": "some_help",
}
WARD = "Healthcare support on an elderly care ward"

# (email, first name, college key, the status their story ends in): one demo student in every status, so every
# role's pages have something to show. "Submitted" is missing: an application passes through it in one request.
DEMO_APPLICANTS = [
    ("student@demo.test", "Amara", "college_a", Status.OFFERED),
    ("student.b@demo.test", "Bilal", "college_b", Status.READY_FOR_MATCHING),
    ("demo.draft@demo.test", "Dara", "college_a", Status.DRAFT),
    ("demo.consent@demo.test", "Cleo", "college_a", Status.AWAITING_CONSENT),
    ("demo.matched@demo.test", "Mo", "college_a", Status.MATCHED),
    ("demo.accepted@demo.test", "Ada", "college_b", Status.ACCEPTED),
    ("demo.confirmed@demo.test", "Cal", "college_a", Status.CONFIRMED),
    ("demo.inprogress@demo.test", "Ines", "college_b", Status.IN_PROGRESS),
    ("demo.completed@demo.test", "Cora", "college_a", Status.COMPLETED),
    ("demo.dna@demo.test", "Dev", "college_b", Status.DID_NOT_ATTEND),
    ("demo.unsuccessful@demo.test", "Uma", "college_a", Status.UNSUCCESSFUL),
    ("demo.declined@demo.test", "Dan", "college_b", Status.DECLINED),
    ("demo.expired@demo.test", "Eve", "college_a", Status.EXPIRED),
    ("demo.withdrawn@demo.test", "Will", "college_b", Status.WITHDRAWN),
    ("demo.cancelledhost@demo.test", "Hana", "college_a", Status.CANCELLED_BY_HOST),
    ("demo.cancelledstudent@demo.test", "Sid", "college_b", Status.CANCELLED_BY_STUDENT),
]
EARLIER_ROUND = "Earlier demo round"


def next_monday(today: date) -> date:
    """The first Monday after ``today`` (a week on, when today is a Monday)."""
    return today + timedelta(days=(7 - today.weekday()) % 7 or 7)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@dataclass
class Answers:
    """The student's answers that differ between demo students (see ``_pages`` for the rest)."""

    choices: list[str]
    available_from: date
    available_to: date
    age: int = 17
    areas: list[str] = field(default_factory=lambda: ["nursing", "social_care"])
    consider_other_placements: bool = False
    dbs_status: str = "none"
    vaccinations: list[str] = field(default_factory=list)
    stop_after: str = ""  # the last page answered, for a draft; every page when empty
    widening: dict[str, str] = field(default_factory=dict)  # the optional widening-participation page


def _date(prefix: str, day: date) -> dict[str, str]:
    return {f"{prefix}_day": str(day.day), f"{prefix}_month": str(day.month), f"{prefix}_year": str(day.year)}


def _pages(application: Application, answers: Answers, today: date) -> dict[str, dict]:
    """What the student types on each page of the application, keyed by the page's slug."""
    birthday = date(today.year - answers.age, today.month, 1) - timedelta(days=120)
    return {
        "about-you": {
            "first_name": application.first_name,
            "last_name": application.last_name,
            **_date("date_of_birth", birthday),
            "phone": "07700 900123",
            "home_postcode": "SE5 9RS",
        },
        "guardian": {"guardian_email": GUARDIAN_EMAIL},
        "education": {
            "college_choice": str(application.college_id),
            "course": "Health and Social Care, level 3",
            "year_of_study": "Year 12" if answers.age < 18 else "Year 13",
        },
        "interests": {
            "profession_areas": answers.areas,
            "max_travel_km": "10",
            **({"consider_other_placements": "on"} if answers.consider_other_placements else {}),
        },
        "dates": {**_date("available_from", answers.available_from), **_date("available_to", answers.available_to)},
        "checks": {"dbs_status": answers.dbs_status, "vaccinations": answers.vaccinations},
        "statement": {
            "supporting_statement": STATEMENT,
            **{f"skill_{key}": level for key, level in DIGITAL_SKILLS.items()},
        },
        "widening-participation": answers.widening,
        "declarations": {"declaration_true": "on", "declaration_share": "on"},
    }


def _save_page(step, application: Application, answers: dict) -> None:
    """Submit one page's form as the student's browser would: the same validation, the same save."""
    data = MultiValueDict({key: value if isinstance(value, list) else [value] for key, value in answers.items()})
    form = step.form_class(data, instance=application_steps.form_instance(step, application))
    if not form.is_valid():
        raise ValueError(f"The demo answers to '{step.title}' do not pass its form: {form.errors.as_text()}")
    form.save()
    Application.objects.filter(pk=application.pk).update(last_step=step.slug)


class Demo:
    """The people, places and clock of one seeding."""

    def __init__(self, organisations: dict[str, Organisation], round_: Round):
        self.organisations = organisations
        self.round = round_
        self.today = timezone.localdate()
        self.monday = next_monday(self.today)
        self.trust = User.objects.get(email="coordinator@demo.test")
        self.care = User.objects.get(email="coordinator.b@demo.test")
        self.tutors = {"college_a": User.objects.get(email="tutor@demo.test")}
        self.students = {row[1]: self._student(*row) for row in DEMO_APPLICANTS}

    # --- people -------------------------------------------------------------------------------------------------

    def _student(self, email: str, first_name: str, college_key: str, _status) -> User:
        college = self.organisations[college_key]
        student, created = User.objects.get_or_create(
            email=email,
            defaults={"role": Role.STUDENT, "organisation": college, "first_name": first_name, "last_name": "Demo"},
        )
        if created or not student.password:
            student.password = demo_password_hash()
        student.organisation = college
        student.email_verified_at = student.email_verified_at or timezone.now()
        student.save()
        return student

    def application(self, name: str, round_: Round | None = None) -> Application:
        return Application.objects.select_related("round", "student").get(
            student=self.students[name], round=round_ or self.round
        )

    def placement(self, name: str):
        return offers.current_placement(self.application(name))

    def day(self, days_ago: int, hour: int, minute: int = 0) -> datetime:
        return _at(self.today - timedelta(days=days_ago), hour, minute)

    @staticmethod
    def opportunity(title: str) -> Opportunity:
        return Opportunity.objects.get(title=title)

    def first_cohort(self, title: str) -> Cohort:
        """The opportunity's first cohort of the coming weeks (see placements.demo.seed_capacity)."""
        return self.opportunity(title).cohorts.filter(start_date__gt=self.today).order_by("start_date").first()

    # --- what students, guardians, hosts and the nightly job do --------------------------------------------------

    def apply(self, name: str, answers: Answers, when: datetime, *, round_: Round | None = None, submit=True):
        """Start, fill in each page through its form (as the page would), choose, and (unless ``submit`` is False)
        submit. Pages after ``answers.stop_after`` are left for later."""
        student = self.students[name]
        with demo_clock(when):
            application = application_services.application_start(student=student, round_=round_ or self.round)
            pages = _pages(application, answers, timezone.localdate())
            for step in application_steps.STEPS:
                application.refresh_from_db()
                if not step.applies_to(application):
                    continue
                _save_page(step, application, pages.get(step.slug, {}))
                if step.slug == answers.stop_after:
                    break
            application.refresh_from_db()
            for title in answers.choices:
                application_services.choice_add(
                    actor=student, application=application, opportunity=self.opportunity(title)
                )
            if submit:
                application_services.application_submit(actor=student, application=application)
        return application

    def consent(self, name: str, when: datetime, *, round_: Round | None = None) -> None:
        """The guardian opens the link in their consent email and gives consent."""
        application = self.application(name, round_)
        email = (
            OutboundEmail.objects.filter(
                template="guardian_consent_request",
                dedupe_key__startswith=f"guardian_consent_request:application:{application.pk}:",
            )
            .order_by("-created_at", "-pk")
            .first()
        )
        token = re.search(r"/consent/([A-Za-z0-9_-]+)/", email.body_text).group(1)
        with demo_clock(when):
            application_services.guardian_consent_give(token=token, guardian_name=GUARDIAN[0], relationship=GUARDIAN[1])

    def nightly_run(self, when: datetime, round_: Round | None = None) -> MatchingRun:
        with demo_clock(when):
            run = matching_run_create(actor=None, round_=round_ or self.round, kind=RunKind.NIGHTLY)
            return matching_run_execute(run_id=run.pk)

    def run_backfills(self) -> None:
        """What the worker does with the backfill runs a release queued."""
        for run_id in MatchingRun.objects.filter(status=RunStatus.PENDING).order_by("pk").values_list("pk", flat=True):
            matching_run_execute(run_id=run_id)

    def approve(self, name: str, host: User, when: datetime) -> None:
        with demo_clock(when):
            placement_approve(actor=host, placement=self.placement(name))

    def accept(self, name: str, when: datetime) -> None:
        with demo_clock(when):
            offers.offer_accept(
                actor=self.students[name],
                application=self.application(name),
                emergency_contact_name=EMERGENCY_CONTACT[0],
                emergency_contact_phone=EMERGENCY_CONTACT[1],
            )

    def check_and_confirm(self, name: str, host: User, when: datetime) -> None:
        with demo_clock(when):
            placement = self.placement(name)
            pre_placement.placement_update_checks(
                actor=host,
                placement=placement,
                ticked=set(pre_placement.required_items(placement)),
                joining_instructions=JOINING_INSTRUCTIONS,
            )
            pre_placement.placement_confirm(actor=host, placement=placement)

    def attend(self, name: str, host: User, attended: bool) -> None:
        placement = self.placement(name)
        with demo_clock(_at(placement.cohort.start_date, 9, 30)):
            pre_placement.placement_record_attendance(actor=host, placement=placement, attended=attended)

    def complete(self, name: str, host: User, feedback: str) -> None:
        placement = self.placement(name)
        with demo_clock(_at(placement.cohort.end_date, 16, 0)):
            pre_placement.placement_complete(actor=host, placement=placement, feedback=feedback)

    def withdraw(self, name: str, reason: str, when: datetime) -> None:
        with demo_clock(when):
            application_services.application_withdraw(
                actor=self.students[name], application=self.application(name), reason=reason
            )
            self.run_backfills()

    def deliver_emails(self) -> None:
        """The worker sends each email a minute after it was written, as it would have at the time. Demo addresses
        (@demo.test) lead nowhere, so the messages are discarded rather than printed or sent to a mail server."""
        discard = DiscardingBackend()
        pending = OutboundEmail.objects.filter(status=EmailStatus.PENDING, to_email__endswith="@demo.test")
        for pk, created_at in pending.order_by("created_at", "pk").values_list("pk", "created_at"):
            with demo_clock(created_at + timedelta(minutes=1)):
                email_deliver(email_id=pk, connection=discard)

    # --- the story ------------------------------------------------------------------------------------------------

    def earlier_round(self, earlier: Round) -> None:
        """Uma, in a round that has ended: matched, declined by the host, nothing else fits, not placed."""
        activities = self.opportunity("Activities coordinator assistant")
        start = earlier.placements_from + timedelta(weeks=2)
        with demo_clock(_at(earlier.applications_open_on, 10)):
            opportunity_create_weekly_cohorts(
                actor=self.care,
                opportunity=activities,
                first_start=start,
                last_start=start,
                length_days=3,
                places=2,
                deadline_days_before=14,
            )
        answers = Answers(["Activities coordinator assistant"], earlier.placements_from, earlier.placements_to)
        self.apply("Uma", answers, _at(earlier.applications_open_on + timedelta(days=5), 16), round_=earlier)
        self.consent("Uma", _at(earlier.applications_open_on + timedelta(days=6), 19), round_=earlier)
        self.nightly_run(_at(earlier.matching_on, 22), round_=earlier)
        with demo_clock(_at(earlier.matching_on + timedelta(days=2), 11)):
            placement_decline(
                actor=self.care,
                placement=offers.current_placement(self.application("Uma", earlier)),
                reason=HostDeclineReason.DATES_UNAVAILABLE,
            )
            self.run_backfills()
        with demo_clock(_at(earlier.outcomes_by, 9)):
            reminders.round_send_outcomes(round_=earlier)

    def past_placements(self) -> None:
        """Cora and Dev's placement was four weeks ago; Ines's started this week."""
        first, this_week = self.monday - timedelta(weeks=5), self.monday - timedelta(weeks=1)
        with demo_clock(self.day(70, 10)):
            opportunity_create_weekly_cohorts(
                actor=self.trust,
                opportunity=self.opportunity(WARD),
                first_start=first,
                last_start=this_week,
                length_days=5,
                places=4,
                deadline_days_before=14,
            )
        self.apply("Cora", Answers([WARD], first, first + timedelta(days=6)), self.day(58, 16))
        self.apply("Dev", Answers([WARD], first, first + timedelta(days=6)), self.day(58, 17))
        self.apply("Ines", Answers([WARD], this_week, this_week + timedelta(days=6), age=18), self.day(58, 18))
        self.consent("Cora", self.day(57, 19))
        self.consent("Dev", self.day(57, 20))
        self.nightly_run(self.day(56, 22))
        for minute, name in enumerate(["Cora", "Dev", "Ines"]):
            self.approve(name, self.trust, self.day(55, 10, minute))
            self.accept(name, self.day(54, 18, minute))
            self.check_and_confirm(name, self.trust, self.day(50, 11, minute))
        self.attend("Cora", self.trust, attended=True)
        self.attend("Dev", self.trust, attended=False)
        self.complete("Cora", self.trust, "Curious, kind and always on time. Cora asked good questions.")
        self.attend("Ines", self.trust, attended=True)

    def recent_offers(self) -> None:
        """Six students matched a fortnight ago, and what each did with their match."""
        f1 = self.monday + timedelta(weeks=4)
        until = f1 + timedelta(weeks=8)
        self.apply("Ada", Answers(["Hospital pharmacy placement"], f1, until, areas=["pharmacy"]), self.day(18, 16))
        self.apply("Cal", Answers(["Activities coordinator assistant"], f1, until), self.day(18, 17))
        self.apply("Sid", Answers(["Pharmacy technician taster day"], f1, until, areas=["pharmacy"]), self.day(18, 18))
        self.apply("Hana", Answers(["Careers in social care insight day"], f1, until), self.day(18, 19))
        self.apply("Dan", Answers(["Careers in social care insight day"], f1, until, age=18), self.day(18, 20))
        self.apply("Eve", Answers(["Junior doctor insight day"], f1, until, areas=["medicine"]), self.day(17, 16))
        for minute, name in enumerate(["Ada", "Cal", "Sid", "Hana", "Eve"]):
            self.consent(name, self.day(17, 19, minute))
        self.nightly_run(self.day(14, 22))
        self.approve("Ada", self.trust, self.day(13, 10))
        self.approve("Sid", self.trust, self.day(13, 10, 5))
        self.approve("Cal", self.care, self.day(13, 11))
        self.approve("Hana", self.care, self.day(13, 11, 5))
        self.approve("Dan", self.care, self.day(13, 11, 10))
        for minute, name in enumerate(["Ada", "Cal", "Sid", "Hana"]):
            self.accept(name, self.day(12, 18, minute))
        with demo_clock(self.day(11, 12)):
            offers.offer_decline(
                actor=self.students["Dan"],
                application=self.application("Dan"),
                reason="I have found a part-time job on those days",
            )
        self.check_and_confirm("Cal", self.care, self.day(10, 11))
        self.approve("Eve", self.trust, self.day(9, 10))
        with demo_clock(self.day(8, 15)):
            placement_cancel_by_host(
                actor=self.care, placement=self.placement("Hana"), reason=HostCancelReason.STAFFING
            )
            self.run_backfills()
        self.withdraw("Sid", "I have exams that week after all", self.day(6, 20))
        with demo_clock(self.day(4, 11)):
            reminders.offers_expire()
            self.run_backfills()

    def current_applicants(self) -> None:
        """This week: matched and offered, waiting for the host, waiting for a guardian, a draft, a new one."""
        f1 = self.monday + timedelta(weeks=4)
        until = f1 + timedelta(weeks=12)
        self.apply("Amara", Answers([WARD], f1, until, consider_other_placements=True), self.day(6, 17))
        self.apply("Mo", Answers([WARD], f1, until), self.day(6, 18))
        self.apply("Will", Answers([WARD], f1, until), self.day(6, 19))
        for minute, name in enumerate(["Amara", "Mo", "Will"]):
            self.consent(name, self.day(4, 19, minute))
        self.withdraw("Will", "My family is moving away in the new year", self.day(4, 21))
        self.nightly_run(self.day(3, 22))
        with demo_clock(self.day(2, 12)):
            endorsement_save(
                actor=self.tutors["college_a"],
                application=self.application("Mo"),
                strength=2,
                note="Reliable and caring; has volunteered at a care home.",
            )
        self.approve("Amara", self.trust, self.day(1, 10))
        self.apply("Cleo", Answers([WARD], f1, until), self.day(2, 16))
        self.apply("Dara", Answers([WARD], f1, until, stop_after="dates"), self.day(1, 18), submit=False)
        now = timezone.now()
        self.apply(
            "Bilal",
            Answers(
                ["Occupational therapy placement"], f1, until, areas=["allied_health"], consider_other_placements=True
            ),
            now - timedelta(hours=3),
        )
        self.consent("Bilal", now - timedelta(hours=1))


def seed_earlier_round() -> Round:
    """A round that ended months ago, with its outcomes sent."""
    today = timezone.localdate()
    opens = today - timedelta(days=210)
    placements_from = next_monday(opens + timedelta(weeks=8))
    round_, _ = Round.objects.get_or_create(
        name=EARLIER_ROUND,
        defaults={
            "applications_open_on": opens,
            "applications_close_on": opens + timedelta(weeks=5),
            "matching_on": opens + timedelta(weeks=5, days=1),
            "outcomes_by": opens + timedelta(weeks=7),
            "placements_from": placements_from,
            "placements_to": placements_from + timedelta(weeks=10),
        },
    )
    return round_


def seed_applications(
    organisations: dict[str, Organisation],
    round_: Round,
    *,
    after_earlier_round: Callable[[Round], object] | None = None,
) -> int:
    """Tell the whole story once; later runs only refresh the demo logins. Returns how many demo applications.

    ``after_earlier_round`` is called once the earlier round's story is told, before this round's begins (seed_demo
    takes that month's planning snapshot there: placements does not import insights)."""
    earlier = seed_earlier_round()
    demo = Demo(organisations, round_)
    emails = [row[0] for row in DEMO_APPLICANTS]
    if not Application.objects.filter(student__email__in=emails).exists():
        demo.earlier_round(earlier)
        # A past round at a scale the planning reports can show (placements/demo_history.py).
        from placements.demo_history import seed_history

        seed_history(demo, earlier)
        if after_earlier_round is not None:
            after_earlier_round(earlier)
        demo.past_placements()
        demo.recent_offers()
        demo.current_applicants()
        demo.deliver_emails()
    return Application.objects.filter(student__email__in=emails).count()
