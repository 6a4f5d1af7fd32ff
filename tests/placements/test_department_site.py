"""An opportunity's department is at the opportunity's site (or organisation-wide): form and database agree."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from placements.admin.forms import DepartmentForm, OpportunityForm
from placements.models import Department, Opportunity
from tests import factories
from tests.placements.test_coordinator_admin import opportunity_form_data


@pytest.fixture
def sites(trust):
    denmark_hill = factories.SiteFactory(organisation=trust, name="Denmark Hill")
    orpington = factories.SiteFactory(organisation=trust, name="Orpington")
    return {
        "denmark_hill": denmark_hill,
        "orpington": orpington,
        "ed": factories.DepartmentFactory(site=denmark_hill, name="Emergency Department"),
        "theatres": factories.DepartmentFactory(site=orpington, name="Theatres"),
        "pharmacy": factories.DepartmentFactory(site=None, organisation=trust, name="Pharmacy"),
        "opportunity": factories.OpportunityFactory(site=denmark_hill, title="Shadow a nurse"),
    }


def bound_opportunity_form(opportunity, **changes):
    data = opportunity_form_data(opportunity, organisation=opportunity.organisation_id, **changes)
    form_class = type("Form", (OpportunityForm,), {"owner": opportunity.organisation})
    return form_class(data=data, instance=opportunity)


def test_form_refuses_a_department_at_another_site(sites):
    form = bound_opportunity_form(sites["opportunity"], department=sites["theatres"].pk)

    assert not form.is_valid()
    assert form.errors["department"] == [
        "Theatres is at Orpington, not Denmark Hill. Choose a department at Denmark Hill, "
        "or one that is not tied to a site."
    ]


def test_form_accepts_a_department_at_the_same_site_or_organisation_wide(sites):
    for department in (sites["ed"], sites["pharmacy"]):
        form = bound_opportunity_form(sites["opportunity"], department=department.pk)
        assert form.is_valid(), form.errors


def test_form_refuses_moving_the_opportunity_away_from_its_departments_site(sites):
    opportunity = sites["opportunity"]
    Opportunity.objects.filter(pk=opportunity.pk).update(department=sites["ed"])
    opportunity.refresh_from_db()

    form = bound_opportunity_form(opportunity, site=sites["orpington"].pk)

    assert not form.is_valid()
    assert "Emergency Department is at Denmark Hill, not Orpington" in form.errors["department"][0]


def test_coordinator_page_shows_the_message_and_saves_nothing(client, coordinator, sites):
    client.force_login(coordinator)
    opportunity = sites["opportunity"]
    url = reverse("coordinator:placements_opportunity_change", args=[opportunity.pk])

    response = client.post(url, opportunity_form_data(opportunity, department=sites["theatres"].pk))

    assert response.status_code == 200
    assert "Theatres is at Orpington, not Denmark Hill" in response.content.decode()
    opportunity.refresh_from_db()
    assert opportunity.department_id is None


def test_department_cannot_move_to_another_site_while_opportunities_elsewhere_use_it(sites):
    Opportunity.objects.filter(pk=sites["opportunity"].pk).update(department=sites["pharmacy"])
    pharmacy = sites["pharmacy"]
    form_class = type("Form", (DepartmentForm,), {"owner": pharmacy.organisation})

    form = form_class(
        data={
            "organisation": pharmacy.organisation_id,
            "name": "Pharmacy",
            "site": sites["orpington"].pk,
            "setting": pharmacy.setting,
        },
        instance=pharmacy,
    )

    assert not form.is_valid()
    assert form.errors["site"][0].startswith("Opportunities at other sites use this department (Shadow a nurse).")


def _refused(action):
    with pytest.raises(IntegrityError), transaction.atomic():
        action()


def test_database_refuses_a_department_from_another_site_on_insert_and_update(sites):
    opportunity = sites["opportunity"]

    _refused(lambda: Opportunity.objects.filter(pk=opportunity.pk).update(department=sites["theatres"]))
    opportunity.department = sites["theatres"]
    _refused(lambda: opportunity.save())
    _refused(lambda: factories.OpportunityFactory(site=sites["denmark_hill"], department=sites["theatres"]))
    # A change of site that leaves the department behind is refused too.
    Opportunity.objects.filter(pk=opportunity.pk).update(department=sites["ed"])
    _refused(lambda: Opportunity.objects.filter(pk=opportunity.pk).update(site=sites["orpington"]))


def test_database_refuses_a_department_of_another_organisation(sites, other_trust):
    theirs = factories.DepartmentFactory(site=None, organisation=other_trust)

    _refused(lambda: Opportunity.objects.filter(pk=sites["opportunity"].pk).update(department=theirs))


def test_database_refuses_moving_a_department_away_from_its_opportunities(sites):
    Opportunity.objects.filter(pk=sites["opportunity"].pk).update(department=sites["pharmacy"])

    _refused(lambda: Department.objects.filter(pk=sites["pharmacy"].pk).update(site=sites["orpington"]))
    Department.objects.filter(pk=sites["pharmacy"].pk).update(site=sites["denmark_hill"])


def test_database_accepts_same_site_and_organisation_wide_departments(sites):
    opportunity = sites["opportunity"]
    for department in (sites["ed"], sites["pharmacy"], None):
        Opportunity.objects.filter(pk=opportunity.pk).update(department=department)
    factories.OpportunityFactory(site=sites["orpington"], department=sites["pharmacy"])
    factories.OpportunityFactory(site=sites["orpington"], department=sites["theatres"])


@pytest.mark.postgres
def test_database_refuses_a_department_from_another_site_on_postgresql(sites):
    _refused(lambda: Opportunity.objects.filter(pk=sites["opportunity"].pk).update(department=sites["theatres"]))


def test_site_admin_cannot_move_a_department_in_use_to_another_organisation(client, site_admin, sites, other_trust):
    Opportunity.objects.filter(pk=sites["opportunity"].pk).update(department=sites["pharmacy"])
    client.force_login(site_admin)
    pharmacy = sites["pharmacy"]
    url = reverse("admin:placements_department_change", args=[pharmacy.pk])

    response = client.post(
        url, {"organisation": other_trust.pk, "name": "Pharmacy", "site": "", "setting": pharmacy.setting}
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["organisation"] == ["Another organisation's opportunities use this department, so it cannot move."]
    pharmacy.refresh_from_db()
    assert pharmacy.organisation_id == sites["opportunity"].organisation_id
