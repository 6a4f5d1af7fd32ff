"""Routing: turn an application's answers into the ranked list of cohorts it is matched over.

The student's own choices come first, in their order. Then, if they asked for it, other published
opportunities in their areas of interest that they are eligible for, within their travel distance
(virtual sessions at any distance), nearest first, up to ROUTED_OPPORTUNITY_CAP. Each opportunity
expands to its open cohorts that fit the student's dates, earliest first.
"""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from placements import geography
from placements.models import Application, Cohort, DbsStatus, Opportunity, RoutedPreference
from placements.taxonomy import OpportunityKind, Vaccination
from placements.templatetags.wording import day

ROUTED_OPPORTUNITY_CAP = 10
# Nobody under this age can apply at all, so a placement open from this age needs no date of birth to judge.
MIN_AGE_WITHOUT_ASKING = 14


@dataclass(frozen=True)
class Ineligible:
    opportunity: Opportunity
    message: str


def _age_on(application: Application, day: date) -> int | None:
    return application.age_on(day)


@dataclass(frozen=True)
class Unanswered:
    """A chosen opportunity whose requirements the student has not answered the questions about yet."""

    opportunity: Opportunity
    needs: str  # "a DBS check and these vaccinations: MMR"
    step: str  # the application page that asks
    missing: str  # "You have not answered the checks questions yet"
    action: str  # the link's words: "Answer the checks questions"


def _checks_answered(application: Application) -> bool:
    # The checks page cannot be saved without the DBS answer, so a DBS answer means the page was answered.
    return bool(application.dbs_status)


def ineligibility_message(application: Application, opportunity: Opportunity, cohort: Cohort) -> str | None:
    """Why this student cannot do this cohort, judged only on answers given, in words a 16-year-old
    understands; None if they can (or if the answers that decide it are not given yet)."""
    age = _age_on(application, cohort.start_date)
    if age is not None and age < opportunity.min_age:
        return (
            f"you need to be {opportunity.min_age} on the first day ({day(cohort.start_date)}), and you will be {age}"
        )
    if not _checks_answered(application):
        return None
    if opportunity.requires_dbs and application.dbs_status != DbsStatus.HAVE:
        return "it needs a DBS check, and you have told us you do not have one yet"
    missing = set(opportunity.required_vaccinations) - set(application.vaccinations or [])
    if missing:
        labels = dict(Vaccination.choices)
        return "it needs vaccinations you have not confirmed: " + ", ".join(sorted(labels.get(m, m) for m in missing))
    return None


def _fitting_cohorts(application: Application, opportunity_ids, round_, today) -> dict[int, list[Cohort]]:
    cohorts = (
        round_.cohorts()
        .open_for_applications(today)
        .filter(opportunity_id__in=opportunity_ids)
        .order_by("start_date", "pk")
    )
    if application.available_from:
        cohorts = cohorts.filter(start_date__gte=application.available_from)
    if application.available_to:
        cohorts = cohorts.filter(end_date__lte=application.available_to)
    by_opportunity: dict[int, list[Cohort]] = {}
    for cohort in cohorts:
        by_opportunity.setdefault(cohort.opportunity_id, []).append(cohort)
    return by_opportunity


def check_choices(application: Application, *, today: date | None = None) -> list[Ineligible]:
    """Explain each chosen opportunity the student cannot be placed on (never silently dropped)."""
    today = today or timezone.localdate()
    choices = list(application.choices.select_related("opportunity"))
    fitting = _fitting_cohorts(application, [c.opportunity_id for c in choices], application.round, today)
    problems = []
    for choice in choices:
        opportunity = choice.opportunity
        cohorts = fitting.get(opportunity.pk, [])
        if not cohorts:
            gave_dates = application.available_from or application.available_to
            message = (
                "none of its dates with places left fit the dates you gave"
                if gave_dates
                else "it has no dates with places left that you can still apply for"
            )
            problems.append(Ineligible(opportunity, message))
            continue
        reasons = [ineligibility_message(application, opportunity, cohort) for cohort in cohorts]
        if all(reasons):
            problems.append(Ineligible(opportunity, reasons[0]))
    return problems


def unanswered_requirements(application: Application) -> list[Unanswered]:
    """Chosen opportunities with a requirement (age, DBS check, vaccinations) that the student has not yet
    answered the questions about, so the choices page can say what is missing rather than guess."""
    problems = []
    labels = dict(Vaccination.choices)
    for choice in application.choices.select_related("opportunity"):
        opportunity = choice.opportunity
        if not _checks_answered(application) and (opportunity.requires_dbs or opportunity.required_vaccinations):
            needs = []
            if opportunity.requires_dbs:
                needs.append("a DBS check")
            if opportunity.required_vaccinations:
                names = ", ".join(sorted(labels.get(v, v) for v in opportunity.required_vaccinations))
                needs.append(f"these vaccinations: {names}")
            problems.append(
                Unanswered(
                    opportunity,
                    " and ".join(needs),
                    "checks",
                    "You have not answered the checks questions yet",
                    "Answer the checks questions",
                )
            )
        elif application.date_of_birth is None and opportunity.min_age > MIN_AGE_WITHOUT_ASKING:
            problems.append(
                Unanswered(
                    opportunity,
                    f"you to be {opportunity.min_age} or over on the first day",
                    "about-you",
                    "You have not told us your date of birth yet",
                    "Give your date of birth",
                )
            )
    return problems


def build_preferences(application: Application, *, today: date | None = None) -> list[RoutedPreference]:
    """The ranked, unsaved preference rows for ``application`` (see the module docstring for the rules)."""
    today = today or timezone.localdate()
    home = geography.locate(application.home_district) if application.home_district else None
    chosen = [c.opportunity for c in application.choices.select_related("opportunity__site").order_by("rank")]
    routed: list[tuple[float | None, Opportunity]] = []
    if application.consider_other_placements and application.profession_areas:
        candidates = (
            Opportunity.objects.visible_to_students(today)
            .filter(profession_area__in=application.profession_areas)
            .exclude(pk__in=[o.pk for o in chosen])
            .select_related("site")
        )
        for opportunity in candidates:
            distance = _distance(home, opportunity)
            if opportunity.kind != OpportunityKind.VIRTUAL and (
                distance is None or distance > application.max_travel_km
            ):
                continue
            routed.append((distance, opportunity))
        routed.sort(key=lambda item: (item[0] if item[0] is not None else 0.0, item[1].pk))
    ordered = [(o, RoutedPreference.Source.CHOICE) for o in chosen]
    ordered += [(o, RoutedPreference.Source.ROUTED) for _, o in routed]
    fitting = _fitting_cohorts(application, [o.pk for o, _ in ordered], application.round, today)

    preferences: list[RoutedPreference] = []
    routed_taken = 0
    for opportunity, source in ordered:
        eligible = [
            c for c in fitting.get(opportunity.pk, []) if not ineligibility_message(application, opportunity, c)
        ]
        if not eligible:
            continue
        if source == RoutedPreference.Source.ROUTED:
            if routed_taken >= ROUTED_OPPORTUNITY_CAP:
                break
            routed_taken += 1
        for cohort in eligible:
            preferences.append(
                RoutedPreference(
                    application=application,
                    cohort=cohort,
                    rank=len(preferences) + 1,
                    source=source,
                    distance_km=_distance(home, opportunity),
                )
            )
    return preferences


def _distance(home: geography.Point | None, opportunity: Opportunity) -> float | None:
    site = opportunity.site
    if home is None or site.latitude is None:
        return None
    return round(geography.distance_km(home, geography.Point(site.latitude, site.longitude)), 1)
