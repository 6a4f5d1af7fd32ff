from datetime import timedelta

import pytest

from placements.models import ApplicationChoice, OpportunityStatus
from placements.services import routing
from placements.taxonomy import OpportunityKind
from tests.factories import CohortFactory, RoundFactory
from tests.placements.helpers import make_application


@pytest.fixture
def round_(db):
    return RoundFactory()


def _cohort(round_, title, *, days=7, postcode="SE5 9RS", area="nursing", **opportunity):
    return CohortFactory(
        start_date=round_.placements_from + timedelta(days=days),
        opportunity__title=title,
        opportunity__site__postcode=postcode,
        opportunity__profession_area=area,
        **{f"opportunity__{k}": v for k, v in opportunity.items()},
    )


def _titles(preferences):
    return [p.cohort.opportunity.title for p in preferences]


@pytest.mark.django_db
def test_explicit_choices_come_first_then_routed_nearest_first(student, round_):
    application = make_application(student, round_=round_, age=19)
    far = _cohort(round_, "Far ward", postcode="E9 6SR")  # about 8 km from SE15
    near = _cohort(round_, "Near ward", postcode="SE15 4AA")
    chosen = _cohort(round_, "My pick", area="pharmacy", postcode="E9 6SR")
    ApplicationChoice.objects.create(application=application, opportunity=chosen.opportunity, rank=1)
    preferences = routing.build_preferences(application)
    assert _titles(preferences) == ["My pick", "Near ward", "Far ward"]
    assert [p.source for p in preferences] == ["choice", "routed", "routed"]
    assert [p.rank for p in preferences] == [1, 2, 3]
    assert preferences[1].distance_km < preferences[2].distance_km
    assert {far.pk, near.pk, chosen.pk} == {p.cohort_id for p in preferences}


@pytest.mark.django_db
def test_routing_respects_distance_interests_eligibility_dates_and_the_off_switch(student, round_):
    application = make_application(student, round_=round_, age=16, max_travel_km=5)
    _cohort(round_, "Too far", postcode="E9 6SR")
    _cohort(round_, "Other area", area="pharmacy", postcode="SE15 4AA")
    _cohort(round_, "Too young", postcode="SE15 4AA", min_age=18)
    _cohort(round_, "Needs DBS", postcode="SE15 4AA", requires_dbs=True)
    _cohort(round_, "Needs Hep B", postcode="SE15 4AA", required_vaccinations=["hep_b"])
    _cohort(round_, "Draft", postcode="SE15 4AA", status=OpportunityStatus.DRAFT)
    _cohort(round_, "After the round", postcode="SE15 4AA", days=400)
    _cohort(round_, "Virtual anywhere", postcode="E9 6SR", kind=OpportunityKind.VIRTUAL)
    _cohort(round_, "Fits", postcode="SE15 4AA")
    assert _titles(routing.build_preferences(application)) == ["Fits", "Virtual anywhere"]
    application.consider_other_placements = False
    assert routing.build_preferences(application) == []


@pytest.mark.django_db
def test_each_opportunity_expands_to_its_cohorts_inside_the_students_dates(student, round_):
    application = make_application(
        student, round_=round_, age=19, available_to=round_.placements_from + timedelta(days=20)
    )
    cohort = _cohort(round_, "Weekly", postcode="SE15 4AA", days=7)
    second = CohortFactory(opportunity=cohort.opportunity, start_date=round_.placements_from + timedelta(days=14))
    CohortFactory(opportunity=cohort.opportunity, start_date=round_.placements_from + timedelta(days=28))
    preferences = routing.build_preferences(application)
    assert [p.cohort_id for p in preferences] == [cohort.pk, second.pk]


@pytest.mark.django_db
def test_routed_opportunities_are_capped(student, round_):
    application = make_application(student, round_=round_, age=19)
    for n in range(routing.ROUTED_OPPORTUNITY_CAP + 3):
        _cohort(round_, f"Ward {n}", postcode="SE15 4AA")
    assert len(routing.build_preferences(application)) == routing.ROUTED_OPPORTUNITY_CAP


@pytest.mark.django_db
def test_check_choices_explains_each_problem(student, round_):
    application = make_application(student, round_=round_, age=16)
    for title, extra in [("Old enough", {}), ("Too young", {"min_age": 17}), ("DBS", {"requires_dbs": True})]:
        cohort = _cohort(round_, title, **extra)
        ApplicationChoice.objects.create(
            application=application, opportunity=cohort.opportunity, rank=application.choices.count() + 1
        )
    late = _cohort(round_, "No dates", days=400)
    ApplicationChoice.objects.create(application=application, opportunity=late.opportunity, rank=4)
    problems = {p.opportunity.title: p.message for p in routing.check_choices(application)}
    assert set(problems) == {"Too young", "DBS", "No dates"}
    assert "you need to be 17 on the first day" in problems["Too young"]
    assert "DBS" in problems["DBS"] and "dates" in problems["No dates"]
