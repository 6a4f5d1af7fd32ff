"""A small, hand-made world with known answers (figures worked out by hand in each test's comments)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from placements.models import Application, Round, WideningParticipation
from placements.workflow import Status
from tests import factories

LONDON = ZoneInfo("Europe/London")


def past_round(name="Summer 2026", year=2026) -> Round:
    return Round.objects.create(
        name=name,
        applications_open_on=date(year, 1, 5),
        applications_close_on=date(year, 2, 1),
        matching_on=date(year, 2, 10),
        outcomes_by=date(year, 3, 1),
        placements_from=date(year, 6, 1),
        placements_to=date(year, 8, 31),
    )


def application(round_, status, college, areas, *, wp=None, submitted=True, age=17):
    """One application in ``status``; ``wp`` = dict of widening-participation answers, or None for none given."""
    student = factories.StudentFactory(organisation=college)
    app = Application.objects.create(
        student=student,
        round=round_,
        status=status,
        college=college,
        profession_areas=areas,
        first_name="Pat",
        last_name="Person",
        date_of_birth=round_.placements_from.replace(year=round_.placements_from.year - age) - timedelta(days=3),
        home_district="SE5",
        submitted_at=datetime(round_.applications_open_on.year, 1, 20, 10, tzinfo=LONDON) if submitted else None,
    )
    WideningParticipation.objects.create(application=app, **(wp or {}))
    return app


@pytest.fixture
def world(db):
    return build_world()


def build_world():
    """Round "Summer 2026" (placements June to August 2026):

    College A (Southwark, South East London): 8 completed in nursing (3 of them with free school meals, the other
    5 answering "no" to everything), 6 not placed in nursing (no answers), 2 declined offers in midwifery.
    College B (Camden, North Central London): 5 completed in midwifery, 1 did not attend in midwifery.
    One draft that was never submitted (not an applicant).
    Places: a nursing cohort at an NHS trust in Southwark, 20 places, 8 taken; a midwifery cohort at a care
    provider in Camden, 10 places, 6 taken.
    """
    round_ = past_round()
    college_a = factories.CollegeFactory(name="Riverside College", borough="Southwark")
    college_b = factories.CollegeFactory(name="Camden College", borough="Camden")
    yes = {"free_school_meals": "yes"}
    no = dict.fromkeys(WideningParticipation.FIELDS, "no")
    apps = []
    apps += [application(round_, Status.COMPLETED, college_a, ["nursing"], wp=yes) for _ in range(3)]
    apps += [application(round_, Status.COMPLETED, college_a, ["nursing", "midwifery"], wp=no) for _ in range(5)]
    apps += [application(round_, Status.UNSUCCESSFUL, college_a, ["nursing"]) for _ in range(6)]
    apps += [application(round_, Status.DECLINED, college_a, ["midwifery"]) for _ in range(2)]
    apps += [application(round_, Status.COMPLETED, college_b, ["midwifery"], wp=no) for _ in range(5)]
    apps += [application(round_, Status.DID_NOT_ATTEND, college_b, ["midwifery"]) for _ in range(1)]
    application(round_, Status.DRAFT, college_a, ["nursing"], submitted=False)
    trust = factories.OrganisationFactory(name="Southwark Trust", borough="Southwark")
    care = factories.CareProviderFactory(name="Camden Care", borough="Camden")
    nursing = factories.OpportunityFactory(
        site=factories.SiteFactory(organisation=trust, borough="Southwark"), profession_area="nursing"
    )
    midwifery = factories.OpportunityFactory(
        site=factories.SiteFactory(organisation=care, borough="Camden", postcode="NW1 2BU"),
        profession_area="midwifery",
    )
    for opportunity, capacity, booked in ((nursing, 20, 8), (midwifery, 10, 6)):
        factories.CohortFactory(
            opportunity=opportunity,
            start_date=date(2026, 6, 8),
            end_date=date(2026, 6, 12),
            application_deadline=date(2026, 5, 1),
            capacity=capacity,
            booked=booked,
        )
    return {"round": round_, "applications": apps, "college_a": college_a, "college_b": college_b}
