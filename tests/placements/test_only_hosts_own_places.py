"""Planning partners (integrated care boards, LSIP partnerships, local authorities, the GLA) host nobody: the site
admin's Site, Department and Opportunity forms do not offer them, and the models refuse them with a message."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import OrganisationKind
from placements.admin.forms import NOT_A_HOST_CHOICE
from placements.models import Department, Opportunity, Site
from tests.factories import DepartmentFactory, OpportunityFactory, OrganisationFactory, SiteFactory

PARTNER_KINDS = [OrganisationKind.ICB, OrganisationKind.LSIP, OrganisationKind.LOCAL_AUTHORITY, OrganisationKind.GLA]


@pytest.fixture
def partner_org(db):
    return OrganisationFactory(kind=OrganisationKind.ICB, name="South East London ICB")


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["site", "department", "opportunity"])
def test_the_site_admin_is_offered_only_host_organisations(client, site_admin, partner_org, trust, college, model):
    others = [OrganisationFactory(kind=kind, name=f"Partner {kind}") for kind in PARTNER_KINDS[1:]]
    client.force_login(site_admin)
    page = client.get(reverse(f"admin:placements_{model}_add"))
    assert page.status_code == 200
    choices = {str(pk) for pk, _ in page.context["adminform"].form.fields["organisation"].choices if pk}
    assert str(trust.pk) in choices and str(college.pk) in choices
    assert not choices & {str(o.pk) for o in [partner_org, *others]}


@pytest.mark.django_db
def test_posting_a_partner_as_a_sites_organisation_is_a_clear_error(client, site_admin, partner_org):
    client.force_login(site_admin)
    response = client.post(
        reverse("admin:placements_site_add"),
        {"organisation": partner_org.pk, "name": "ICB offices", "address": "1 Road", "postcode": "SE1 7EH"},
    )
    assert response.status_code == 200
    assert NOT_A_HOST_CHOICE in response.content.decode()
    assert not Site.objects.filter(name="ICB offices").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("kind", PARTNER_KINDS)
def test_the_models_refuse_a_partner_organisation_with_a_message(partner_org, kind):
    partner_org.kind = kind
    partner_org.save()
    site = SiteFactory.build(organisation=partner_org, postcode="SE1 7EH")
    with pytest.raises(ValidationError) as refused:
        site.full_clean()
    assert "does not host placements" in " ".join(refused.value.message_dict["organisation"])

    host_site = SiteFactory()
    department = DepartmentFactory.build(organisation=partner_org, site=None)
    with pytest.raises(ValidationError) as refused:
        department.full_clean()
    assert "does not host placements" in " ".join(refused.value.message_dict["organisation"])

    opportunity = OpportunityFactory.build(organisation=partner_org, site=host_site, department=None)
    with pytest.raises(ValidationError) as refused:
        opportunity.full_clean(exclude=["last_confirmed_on"])
    assert "does not host placements" in " ".join(refused.value.message_dict["organisation"])


@pytest.mark.django_db
def test_the_message_names_the_organisation_and_what_it_is(partner_org):
    from placements.models.capacity import host_organisation_error

    assert host_organisation_error(partner_org) == (
        "South East London ICB is an integrated care board, which does not host placements. Choose an NHS trust, "
        "a social-care provider or a college."
    )
    assert Department.objects.count() == 0 and Opportunity.objects.count() == 0
