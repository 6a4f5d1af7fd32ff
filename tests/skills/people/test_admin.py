"""Site admin for skills models: every page opens, framework and assessments are read-only, no answers are shown,
and hostile input on the lists is a message or the list's error page, never a 500."""

import pytest
from django.contrib import admin

from accounts.admin_guards import GuardedAdminMixin
from skills import services_join
from skills.models import Assessment, Domain, EmployerSkillsPolicy, FrameworkVersion, JoinAttempt, Response, Statement
from tests.skills.people.helpers import sit

pytestmark = pytest.mark.django_db

MODELS = [
    "frameworkversion",
    "level",
    "domain",
    "statement",
    "resource",
    "assessment",
    "response",
    "employerskillspolicy",
    "joinattempt",
]
HOSTILE = [
    "?q=%00",
    "?q=" + "9" * 30,
    "?q=a%00b",
    "?started_at__year=99999999999",
    "?started_at__year=9999&started_at__month=12&started_at__day=31",
    "?attempted_at__year=-1",
    "?framework_version__id__exact=abc",
    "?shared_with_employer__exact=%00",
    "?level=" + "9" * 25,
    "?o=99",
    "?p=99999999999999999999",
    "?_to_field=",
]


@pytest.fixture
def data(staff_member, coordinator, trust, v1):
    services_join.join_code_rotate(actor=coordinator, employer=trust)
    JoinAttempt.objects.create(ip_address="192.0.2.1", code_matched=False)
    return sit(staff_member, overrides={"email": "not_yet"})


def test_every_skills_model_admin_is_guarded():
    for model in (FrameworkVersion, Domain, Statement, Assessment, Response, EmployerSkillsPolicy, JoinAttempt):
        assert isinstance(admin.site._registry[model], GuardedAdminMixin), model


@pytest.mark.parametrize("model", MODELS)
def test_every_list_and_page_opens_and_hostile_input_is_never_a_500(client, site_admin, data, model):
    client.force_login(site_admin)
    url = f"/admin/skills/{model}/"
    assert client.get(url).status_code == 200
    for query in HOSTILE:
        response = client.get(url + query)
        assert response.status_code in (200, 302), (query, response.status_code)
    obj = admin.site._registry[
        next(m for m in admin.site._registry if m._meta.model_name == model)
    ].model.objects.first()
    assert client.get(f"{url}{obj.pk}/change/").status_code == 200
    for bad in ["abc", "9" * 30, "%00"]:
        assert client.get(f"{url}{bad}/change/").status_code in (302, 404)
    response = client.post(url, {"action": "delete_selected", "index": "0", "_selected_action": ["x", "½"]})
    assert response.status_code in (200, 302)


def test_framework_and_assessments_are_read_only_and_answers_are_not_shown(client, site_admin, data):
    client.force_login(site_admin)
    assert client.get("/admin/skills/statement/add/").status_code == 403
    assert client.get("/admin/skills/assessment/add/").status_code == 403
    statement = Statement.objects.first()
    client.raise_request_exception = False
    response = client.post(f"/admin/skills/statement/{statement.pk}/change/", {"text": "changed"})
    assert response.status_code == 403
    client.raise_request_exception = True
    statement.refresh_from_db()
    assert statement.text != "changed"
    page = client.get(f"/admin/skills/assessment/{data.pk}/change/").content.decode()
    assert "questions answered" in page.lower() and "Not yet" not in page and "with_help" not in page
    responses = client.get("/admin/skills/response/").content.decode()
    assert "Yes, with some help" not in responses and "with_help" not in responses
    one = Response.objects.filter(assessment=data).first()
    assert "with_help" not in client.get(f"/admin/skills/response/{one.pk}/change/").content.decode()


def test_site_admin_changes_an_employers_reminder_period_but_not_its_code(client, site_admin, data, trust):
    client.force_login(site_admin)
    policy = EmployerSkillsPolicy.objects.get(employer=trust)
    url = f"/admin/skills/employerskillspolicy/{policy.pk}/change/"
    for bad in ["7", "-1", "9" * 30, "x\x00"]:
        assert client.post(url, {"reassess_after_months": bad}).status_code == 200
    response = client.post(url, {"reassess_after_months": "12", "join_code": "HACKED"})
    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.reassess_after_months == 12 and policy.join_code != "HACKED"


@pytest.mark.parametrize("who", ["coordinator", "staff_member", "student"])
def test_nobody_else_reaches_the_skills_admin(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get("/admin/skills/assessment/").status_code in (302, 404)
