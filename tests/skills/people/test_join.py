"""Joining an employer with its join code: an unconfirmed staff account, the same page for a taken address, rate
limits, and the coordinator's join code page (make, remake, switch off, reminder period; 404 to everyone else)."""

import re

import pytest
from django.urls import reverse

from accounts.models import Role, User
from accounts.services import invitation_accept, invitation_create
from notifications.models import OutboundEmail
from skills import services_join
from skills.models import EmployerSkillsPolicy, JoinAttempt
from tests.skills.people.helpers import join_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def code(coordinator, trust):
    return services_join.display_code(services_join.join_code_rotate(actor=coordinator, employer=trust).join_code)


def test_a_person_joins_with_the_code_confirms_their_email_and_reaches_the_skills_page(client, code, trust):
    response = client.post(reverse("skills:join"), join_data(code.lower().replace("-", " ")))
    assert response.status_code == 302 and response.url == reverse("accounts:signup-done")
    person = User.objects.get(email="new.starter@trust.example")
    assert (person.role, person.organisation, person.email_verified) == (Role.STAFF, trust, False)
    email = OutboundEmail.objects.get(template="student_verify_email", recipient=person)
    assert "check your digital and data skills" in email.body_text
    # Not confirmed yet: signed in, the skills page asks for the email first and nothing can be started.
    client.force_login(person)
    page = client.get(reverse("skills:start")).content.decode()
    assert "Confirm your email address first" in page and "Start now" not in page
    assert client.post(reverse("skills:assessment-start")).status_code == 302
    assert not person.skills_assessments.exists()
    link = re.search(r"http://[^/]+(/accounts/verify/\S+/)", email.body_text).group(1)
    client.get(link)
    page = client.get(reverse("skills:start")).content.decode()
    assert "Start now" in page


def test_an_address_with_an_account_gets_the_same_page_and_its_owner_a_notice(client, code, staff_member):
    response = client.post(reverse("skills:join"), join_data(code, email="STAFF@example.test"))
    assert response.status_code == 302 and response.url == reverse("accounts:signup-done")
    assert User.objects.filter(email="staff@example.test").count() == 1
    assert OutboundEmail.objects.filter(template="account_exists_notice", recipient=staff_member).count() == 1
    staff_member.refresh_from_db()
    assert staff_member.check_password("not-the-attackers") is False


def test_a_wrong_code_says_so_on_the_code_field_and_creates_nothing(client, code):
    for wrong in ["ABCD-EFGH-JKMN", "x", "𝔸" * 40, code[:-1]]:
        response = client.post(reverse("skills:join"), join_data(wrong))
        assert response.status_code == 200
        assert services_join.CODE_NOT_RIGHT in response.content.decode()
    response = client.post(reverse("skills:join"), join_data("\x00" * 5))
    assert response.status_code == 200 and "There is a problem" in response.content.decode()
    assert not User.objects.filter(email="new.starter@trust.example").exists()


def test_wrong_codes_are_rate_limited_per_address(client, code):
    for _ in range(services_join.JOIN_FAILURES_PER_HOUR):
        client.post(reverse("skills:join"), join_data("WRONG-WRONG-WRNG"))
    response = client.post(reverse("skills:join"), join_data(code))
    assert services_join.TOO_MANY_TRIES in response.content.decode()
    assert not User.objects.filter(email="new.starter@trust.example").exists()
    # Another address is not held back by this one.
    response = client.post(reverse("skills:join"), join_data(code), REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 302
    assert JoinAttempt.objects.filter(code_matched=False).count() == services_join.JOIN_FAILURES_PER_HOUR


def test_form_errors_and_signed_in_visitors(client, code, staff_member):
    response = client.post(reverse("skills:join"), {"code": code})
    page = response.content.decode()
    assert response.status_code == 200 and "Enter your work email address" in page and "Enter your first name" in page
    client.force_login(staff_member)
    assert client.get(reverse("skills:join")).status_code == 302


def test_a_remade_code_stops_the_old_one_and_a_switched_off_code_works_for_nobody(client, code, coordinator, trust):
    new = services_join.display_code(services_join.join_code_rotate(actor=coordinator, employer=trust).join_code)
    assert new != code
    assert services_join.employer_for_code(code) is None and services_join.employer_for_code(new) == trust
    services_join.join_code_switch_off(actor=coordinator, employer=trust)
    assert services_join.employer_for_code(new) is None
    assert services_join.employer_for_code("") is None


def test_an_unconfirmed_staff_account_does_not_block_an_invitation(client, code, coordinator, trust):
    client.post(reverse("skills:join"), join_data(code))
    invitation = invitation_create(
        actor=coordinator, email="new.starter@trust.example", organisation=trust, role=Role.STAFF
    )
    person = invitation_accept(token=invitation.token, first_name="Real", last_name="Person", password="a-long-pass-9")
    assert person.email_verified and person.first_name == "Real"


def test_an_invited_person_lands_on_the_staff_home_which_links_to_the_skills_page(client, coordinator, trust):
    invitation = invitation_create(
        actor=coordinator, email="invited@trust.example", organisation=trust, role=Role.STAFF
    )
    assert "check your digital and data skills" in OutboundEmail.objects.get(template="staff_invitation").body_text
    response = client.post(
        reverse("accounts:invitation-accept", args=[invitation.token]),
        {"first_name": "Ina", "last_name": "Vite", "password1": "a-long-pass-9", "password2": "a-long-pass-9"},
    )
    assert response.status_code == 302 and response.url == reverse("accounts:staff-home")
    person = User.objects.get(email="invited@trust.example")
    client.force_login(person)  # and the second factor (ADR 0015)
    home = client.get(reverse("accounts:staff-home")).content.decode()
    assert f'href="{reverse("skills:start")}"' in home and "is coming" not in home
    assert client.get(reverse("skills:start")).status_code == 200


# --- The coordinator's join code page --------------------------------------------------------------------------


def test_coordinator_makes_remakes_and_switches_off_the_code_and_sets_the_period(client, coordinator, trust):
    client.force_login(coordinator)
    url = reverse("skills:join-code")
    page = client.get(url).content.decode()
    assert "You do not have a join code" in page
    client.post(url, {"action": "rotate"})
    first = EmployerSkillsPolicy.objects.get(employer=trust).join_code
    page = client.get(url).content.decode()
    assert services_join.display_code(first) in page and "/skills/join/" in page
    client.post(url, {"action": "rotate"})
    assert EmployerSkillsPolicy.objects.get(employer=trust).join_code not in ("", first)
    client.post(url, {"action": "switch_off"})
    assert EmployerSkillsPolicy.objects.get(employer=trust).join_code == ""
    response = client.post(url, {"action": "period", "reassess_after_months": "12"})
    assert response.status_code == 302
    assert EmployerSkillsPolicy.objects.get(employer=trust).reassess_after_months == 12


@pytest.mark.parametrize(
    "data",
    [
        {"action": "period", "reassess_after_months": "7"},
        {"action": "period", "reassess_after_months": "-1"},
        {"action": "period", "reassess_after_months": "9" * 40},
        {"action": "period", "reassess_after_months": "six"},
        {"action": "period"},
        {"action": "nonsense"},
        {},
        {"action": "rotate\x00"},
    ],
)
def test_hostile_input_on_the_join_code_page_is_a_message(client, coordinator, trust, data):
    client.force_login(coordinator)
    response = client.post(reverse("skills:join-code"), data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert "Choose 3, 6 or 12 months" in response.content.decode()
    assert services_join.policy_for(trust).reassess_after_months == 6


def test_the_service_refuses_a_bad_period_and_other_employers(coordinator, trust, other_trust):
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(ValidationError):
        services_join.reassess_period_set(actor=coordinator, employer=trust, months=5)
    with pytest.raises(PermissionDenied):
        services_join.join_code_rotate(actor=coordinator, employer=other_trust)


@pytest.mark.parametrize("who", ["college_coordinator", "staff_member", "student", "site_admin", "partner"])
def test_the_join_code_page_is_404_to_everyone_but_an_employers_coordinator(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("skills:join-code")).status_code == 404
    assert client.post(reverse("skills:join-code"), {"action": "rotate"}).status_code == 404


def test_a_care_providers_coordinator_has_a_code_for_their_own_employer_only(
    client, care_provider_coordinator, care_provider, trust
):
    client.force_login(care_provider_coordinator)
    client.post(reverse("skills:join-code"), {"action": "rotate"})
    assert EmployerSkillsPolicy.objects.get(employer=care_provider).join_code
    assert not EmployerSkillsPolicy.objects.filter(employer=trust).exists()
