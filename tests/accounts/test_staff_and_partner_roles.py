"""Health and care staff (role ``staff``) and planning partners (role ``partner``): where they may belong, who
may invite them, where they land, and that they see nothing they could not see before (ADR 0002, amended)."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.demo import seed_accounts
from accounts.models import (
    EMPLOYER_KINDS,
    ORGANISATION_RULES,
    PARTNER_KINDS,
    Invitation,
    Organisation,
    OrganisationKind,
    Role,
    User,
    organisation_rule_error,
)
from notifications.models import OutboundEmail
from tests.factories import (
    TEST_PASSWORD,
    CareProviderFactory,
    CollegeFactory,
    CoordinatorFactory,
    OrganisationFactory,
    PartnerFactory,
    PartnerOrganisationFactory,
    StaffMemberFactory,
)
from tests.two_factor import complete_second_factor

JOIN = {
    "first_name": "New",
    "last_name": "Person",
    "password1": "a-long-passphrase-9",
    "password2": "a-long-passphrase-9",
}


def _token(invitation: Invitation) -> str:
    email = OutboundEmail.objects.get(template="staff_invitation", dedupe_key__endswith=f":{invitation.pk}")
    return re.search(r"/accounts/invitations/accept/([^/\s]+)/", email.body_text).group(1)


def _csv(text: str, name="staff.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


# --- Where each role may belong: the rule table, the model and the database agree ----------------------------


@pytest.mark.django_db
def test_the_database_refuses_exactly_the_pairings_the_rule_table_refuses():
    organisations = {kind: OrganisationFactory(kind=kind) for kind in OrganisationKind.values}
    wrong = []
    for role in Role.values:
        for kind in ["", *OrganisationKind.values]:
            allowed = organisation_rule_error(role, kind) is None
            try:
                with transaction.atomic():
                    User.objects.create(
                        email=f"{role}.{kind or 'none'}@example.test",
                        role=role,
                        organisation=organisations.get(kind),
                        is_staff=role == Role.ADMIN,
                    )
                stored = True
            except IntegrityError:
                stored = False
            if stored != allowed:
                wrong.append(f"{role} at {kind or 'no organisation'}: rule says {allowed}, database says {stored}")
    assert not wrong, "\n".join(wrong)


def test_staff_belong_to_trusts_and_care_providers_and_partners_to_the_four_planning_kinds():
    assert set(ORGANISATION_RULES[Role.STAFF].kinds) == {OrganisationKind.NHS_TRUST, OrganisationKind.CARE_PROVIDER}
    assert set(ORGANISATION_RULES[Role.PARTNER].kinds) == {
        OrganisationKind.ICB,
        OrganisationKind.LSIP,
        OrganisationKind.LOCAL_AUTHORITY,
        OrganisationKind.GLA,
    }
    assert ORGANISATION_RULES[Role.STAFF].required and ORGANISATION_RULES[Role.PARTNER].required
    # A college runs simulation suites (step 9): its coordinators manage them, as they always could host.
    assert organisation_rule_error(Role.COORDINATOR, OrganisationKind.COLLEGE) is None
    # Nobody hosts, tutors or studies at a planning partner.
    for kind in PARTNER_KINDS:
        for role in (Role.COORDINATOR, Role.TUTOR, Role.STUDENT, Role.STAFF):
            assert organisation_rule_error(role, kind), (role, kind)


@pytest.mark.django_db
def test_a_coordinator_may_work_for_a_college_that_runs_simulation_sessions():
    coordinator = CoordinatorFactory(organisation=CollegeFactory())
    coordinator.refresh_from_db()
    assert coordinator.organisation_kind == OrganisationKind.COLLEGE


@pytest.mark.django_db
def test_model_validation_says_plainly_why_a_pairing_is_refused():
    user = User(email="x@example.test", role=Role.STAFF, organisation=CollegeFactory())
    with pytest.raises(ValidationError) as caught:
        user.full_clean(exclude=["password"])
    assert caught.value.message_dict["organisation"] == [
        "A health and care staff member must belong to their employer: an NHS trust or a social-care provider."
    ]
    user = User(email="y@example.test", role=Role.PARTNER, organisation=None)
    with pytest.raises(ValidationError) as caught:
        user.full_clean(exclude=["password"])
    assert "integrated care board" in caught.value.message_dict["organisation"][0]
    # A good pairing passes, and validating sets the kind the constraints read.
    user = User(email="z@example.test", role=Role.PARTNER, organisation=PartnerOrganisationFactory())
    user.full_clean(exclude=["password"])
    assert user.organisation_kind == OrganisationKind.ICB


@pytest.mark.django_db
def test_create_user_validates_the_pairing_before_saving():
    with pytest.raises(ValidationError):
        User.objects.create_user("a@example.test", "pw-123456789", role=Role.STAFF, organisation=CollegeFactory())
    user = User.objects.create_user(
        "b@example.test", "pw-123456789", role=Role.STAFF, organisation=CareProviderFactory()
    )
    assert user.organisation_kind == OrganisationKind.CARE_PROVIDER


@pytest.mark.django_db
def test_staff_members_and_partners_can_never_be_given_site_admin_access(staff_member, partner):
    for person in (staff_member, partner):
        for flag in ("is_staff", "is_superuser"):
            with pytest.raises(IntegrityError), transaction.atomic():
                User.objects.filter(pk=person.pk).update(**{flag: True})
            person.refresh_from_db()
            setattr(person, flag, True)
            with pytest.raises(ValidationError) as caught:
                person.full_clean(exclude=["password"])
            assert caught.value.message_dict[flag] == [
                "Health and care staff and planning partners cannot sign in to the site admin."
            ]
            setattr(person, flag, False)


# --- The site admin: a bad pairing is a form error, never a server error ---------------------------------------


def _admin_errors(response):
    return response.context["adminform"].form.errors


@pytest.mark.django_db
def test_site_admin_cannot_add_a_staff_member_at_a_college_or_a_partner_at_a_trust(client, site_admin, college, trust):
    client.force_login(site_admin)
    url = reverse("admin:accounts_user_add")
    for role, organisation in ((Role.STAFF, college), (Role.PARTNER, trust), (Role.STAFF, None)):
        response = client.post(
            url,
            {
                "email": f"{role}@example.test",
                "role": role,
                "organisation": organisation.pk if organisation else "",
                "usable_password": "true",
                "password1": "a-long-passphrase-9",
                "password2": "a-long-passphrase-9",
            },
        )
        assert response.status_code == 200, (role, organisation)
        assert _admin_errors(response)["organisation"] == [ORGANISATION_RULES[role].message]
    assert not User.objects.filter(role__in=[Role.STAFF, Role.PARTNER]).exists()

    partner_org = PartnerOrganisationFactory(kind=OrganisationKind.GLA)
    response = client.post(
        url,
        {
            "email": "analyst@example.test",
            "role": Role.PARTNER,
            "organisation": partner_org.pk,
            "usable_password": "true",
            "password1": "a-long-passphrase-9",
            "password2": "a-long-passphrase-9",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(email="analyst@example.test").organisation_kind == OrganisationKind.GLA


@pytest.mark.django_db
def test_site_admin_changing_a_staff_member_into_a_bad_pairing_or_admin_access_gets_form_errors(
    client, site_admin, staff_member, college
):
    client.force_login(site_admin)
    url = reverse("admin:accounts_user_change", args=[staff_member.pk])
    data = {
        "email": staff_member.email,
        "first_name": staff_member.first_name,
        "last_name": staff_member.last_name,
        "role": Role.STAFF,
        "organisation": college.pk,
        "is_active": "on",
        "date_joined_0": timezone.localdate().isoformat(),
        "date_joined_1": "09:00:00",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert _admin_errors(response)["organisation"] == [ORGANISATION_RULES[Role.STAFF].message]

    response = client.post(url, {**data, "organisation": staff_member.organisation_id, "is_staff": "on"})
    assert response.status_code == 200
    assert "cannot sign in to the site admin" in _admin_errors(response)["is_staff"][0]
    staff_member.refresh_from_db()
    assert staff_member.organisation.kind == OrganisationKind.NHS_TRUST and not staff_member.is_staff


@pytest.mark.django_db
def test_an_organisations_kind_is_fixed_while_an_invitation_to_it_is_waiting(client, site_admin):
    icb = PartnerOrganisationFactory()
    client.force_login(site_admin)
    url = reverse("admin:accounts_organisation_change", args=[icb.pk])
    assert 'name="kind"' in client.get(url).content.decode()
    services.invitation_create(actor=site_admin, email="a@icb.nhs.uk", organisation=icb, role=Role.PARTNER)
    assert 'name="kind"' not in client.get(url).content.decode()


# --- Invitations: who may invite whom ---------------------------------------------------------------------


@pytest.mark.django_db
def test_trust_coordinator_invites_a_staff_member_who_joins_and_lands_on_their_own_home(client, coordinator):
    client.force_login(coordinator)
    form = client.get(reverse("accounts:invitation-create")).context["form"]
    # A trust has coordinators and staff, never tutors; partners are invited by site admins only.
    assert [value for value, _ in form.fields["role"].choices] == [Role.COORDINATOR, Role.STAFF]
    response = client.post(
        reverse("accounts:invitation-create"),
        {"email": "Nurse.Lee@nhs.net", "role": Role.STAFF, "organisation": coordinator.organisation_id},
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.role, invitation.organisation, invitation.invited_by) == (
        Role.STAFF,
        coordinator.organisation,
        coordinator,
    )
    body = OutboundEmail.objects.get(template="staff_invitation").body_text
    assert "as a health and care staff member" in body and "check your digital and data skills" in body

    client.logout()
    joined = client.post(reverse("accounts:invitation-accept", kwargs={"token": _token(invitation)}), JOIN)
    assert joined.status_code == 302 and joined.url == reverse("accounts:staff-home")
    user = User.objects.get(email="nurse.lee@nhs.net")
    assert user.role == Role.STAFF and user.organisation == coordinator.organisation and not user.is_staff
    complete_second_factor(client, user)  # a new staff member sets up their app first (ADR 0015)
    page = client.get(joined.url).content.decode()
    assert "Trust X" in page and "Check your digital and data skills" in page  # a link to /skills/


@pytest.mark.django_db
def test_college_coordinator_is_offered_tutors_not_staff(client, college):
    coordinator = CoordinatorFactory(organisation=college)
    client.force_login(coordinator)
    form = client.get(reverse("accounts:invitation-create")).context["form"]
    assert [value for value, _ in form.fields["role"].choices] == [Role.COORDINATOR, Role.TUTOR]
    response = client.post(
        reverse("accounts:invitation-create"),
        {"email": "x@college.ac.uk", "role": Role.STAFF, "organisation": college.pk},
    )
    assert "Select a role from the list" in response.content.decode()
    with pytest.raises(PermissionDenied):
        services.invitation_create(actor=coordinator, email="x@college.ac.uk", organisation=college, role=Role.STAFF)
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_a_coordinator_cannot_invite_partners_admins_or_anyone_to_another_organisation(
    client, coordinator, other_trust, partner_organisation
):
    attempts = [
        (coordinator.organisation, Role.PARTNER),
        (coordinator.organisation, Role.ADMIN),
        (other_trust, Role.STAFF),
        (partner_organisation, Role.PARTNER),
    ]
    for organisation, role in attempts:
        with pytest.raises(PermissionDenied):
            services.invitation_create(actor=coordinator, email="x@nhs.net", organisation=organisation, role=role)
    client.force_login(coordinator)
    response = client.post(
        reverse("accounts:invitation-create"),
        {"email": "x@nhs.net", "role": Role.PARTNER, "organisation": coordinator.organisation_id},
    )
    assert "Select a role from the list" in response.content.decode()
    response = client.post(
        reverse("accounts:invitation-create"),
        {"email": "x@nhs.net", "role": Role.STAFF, "organisation": other_trust.pk},
    )
    assert "Select an organisation from the list" in response.content.decode()
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_staff_members_partners_and_tutors_invite_nobody(staff_member, partner, tutor, trust, partner_organisation):
    for actor in (staff_member, partner, tutor):
        for organisation, role in ((trust, Role.STAFF), (partner_organisation, Role.PARTNER)):
            with pytest.raises(PermissionDenied):
                services.invitation_create(actor=actor, email="x@nhs.net", organisation=organisation, role=role)
            with pytest.raises(PermissionDenied):
                services.staff_invite_from_list(actor=actor, organisation=trust, text="x@nhs.net\n")


@pytest.mark.django_db
def test_site_admin_invites_a_partner_who_joins_read_only(client, site_admin, partner_organisation, trust):
    client.force_login(site_admin)
    response = client.post(
        reverse("accounts:invitation-create"),
        {"email": "analyst@nhs.net", "role": Role.PARTNER, "organisation": trust.pk},
    )
    assert (
        "Only integrated care boards, the LSIP partnership, local authorities and the GLA have planning partners"
        in (response.content.decode())
    )
    response = client.post(
        reverse("accounts:invitation-create"),
        {"email": "analyst@nhs.net", "role": Role.PARTNER, "organisation": partner_organisation.pk},
    )
    assert response.status_code == 302
    client.logout()
    joined = client.post(
        reverse("accounts:invitation-accept", kwargs={"token": _token(Invitation.objects.get())}), JOIN
    )
    assert joined.url == reverse("insights:summary")
    complete_second_factor(client, User.objects.get(email="analyst@nhs.net"))
    page = client.get(joined.url).content.decode()
    assert "Planning reports" in page and "no page here shows a person" in page and "ICB Z" in page


@pytest.mark.django_db
def test_an_invitation_whose_organisation_changed_kind_no_longer_works(client, site_admin, partner_organisation):
    invitation = services.invitation_create(
        actor=site_admin, email="a@icb.nhs.uk", organisation=partner_organisation, role=Role.PARTNER
    )
    Organisation.objects.filter(pk=partner_organisation.pk).update(kind=OrganisationKind.NHS_TRUST)
    url = reverse("accounts:invitation-accept", kwargs={"token": invitation.token})
    assert client.get(url).status_code == 404
    assert client.post(url, JOIN).status_code == 404
    with pytest.raises(ValidationError):
        services.invitation_accept(token=invitation.token, first_name="A", last_name="B", password="a-long-pass-9")
    assert not User.objects.filter(email="a@icb.nhs.uk").exists()


# --- Inviting staff from a CSV list -----------------------------------------------------------------------


@pytest.mark.django_db
def test_coordinator_invites_staff_from_a_list_with_bad_rows_reported_and_nobody_invited_twice(client, coordinator):
    client.force_login(coordinator)
    url = reverse("accounts:invitation-upload")
    text = "email\nA.Nurse@nhs.net\nnot-an-address\n\nb.porter@nhs.net\na.nurse@nhs.net\n"
    response = client.post(url, {"organisation": coordinator.organisation_id, "file": _csv(text)})
    assert response.status_code == 200
    report = response.context["report"]
    assert report.sent == ["a.nurse@nhs.net", "b.porter@nhs.net"]
    assert report.invalid == [
        (3, "not-an-address", "not an email address"),
        (6, "a.nurse@nhs.net", "appears earlier in the file"),
    ]
    invitations = Invitation.objects.order_by("email")
    assert [(i.email, i.role, i.organisation_id) for i in invitations] == [
        ("a.nurse@nhs.net", Role.STAFF, coordinator.organisation_id),
        ("b.porter@nhs.net", Role.STAFF, coordinator.organisation_id),
    ]
    assert OutboundEmail.objects.filter(template="staff_invitation").count() == 2
    page = response.content.decode()
    assert "2 invitations sent" in page and "Rows we could not use" in page

    again = client.post(
        url, {"organisation": coordinator.organisation_id, "file": _csv("a.nurse@nhs.net\nc@nhs.net\n")}
    )
    assert again.context["report"].already_invited == ["a.nurse@nhs.net"]
    assert again.context["report"].sent == ["c@nhs.net"]
    assert Invitation.objects.count() == 3

    # Each invitation is its own single-use link.
    client.logout()
    token = _token(Invitation.objects.get(email="b.porter@nhs.net"))
    assert client.post(reverse("accounts:invitation-accept", kwargs={"token": token}), JOIN).status_code == 302
    assert User.objects.get(email="b.porter@nhs.net").role == Role.STAFF


@pytest.mark.django_db
def test_a_hostile_staff_list_is_answered_on_the_form(client, coordinator):
    client.force_login(coordinator)
    url = reverse("accounts:invitation-upload")
    org = coordinator.organisation_id
    long_address = "a" * 250 + "@nhs.net"
    response = client.post(url, {"organisation": org, "file": _csv(f"{long_address}\rok@nhs.net\r")})
    assert response.status_code == 200
    assert response.context["report"].sent == ["ok@nhs.net"]
    assert response.context["report"].invalid[0][2] == "longer than 254 characters"
    huge = '"' + "x" * 200_000 + '"\n'
    response = client.post(url, {"organisation": org, "file": _csv(huge)})
    assert response.status_code == 200 and "a cell is longer than" in response.content.decode()
    response = client.post(url, {"organisation": org, "file": _csv("\n".join(f"p{i}@nhs.net" for i in range(1001)))})
    assert "more than 1000 rows" in response.content.decode()
    response = client.post(url, {"organisation": org, "file": SimpleUploadedFile("x.csv", b"\xff\xfe\x00bad")})
    assert "UTF-8" in response.content.decode()
    # A NUL gets Django's own "Null characters are not allowed."; every other bad choice is not on the list.
    for organisation in ("²", "\x00", "-1", "9" * 30):
        response = client.post(url, {"organisation": organisation, "file": _csv("x@nhs.net\n")})
        assert response.status_code == 200 and response.context["form"].errors["organisation"], organisation
    for role in ("admin", "²", "\x00"):
        response = client.post(
            reverse("accounts:invitation-create"), {"email": "x@nhs.net", "role": role, "organisation": org}
        )
        assert response.status_code == 200 and response.context["form"].errors["role"], role
    assert Invitation.objects.count() == 1


@pytest.mark.django_db
def test_a_coordinator_cannot_send_a_staff_list_to_another_employer(client, coordinator, other_trust):
    client.force_login(coordinator)
    response = client.post(
        reverse("accounts:invitation-upload"), {"organisation": other_trust.pk, "file": _csv("x@nhs.net\n")}
    )
    assert "Select an employer from the list" in response.content.decode()
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_a_college_coordinator_is_told_staff_lists_are_for_trusts_and_care_providers(client, college):
    client.force_login(CoordinatorFactory(organisation=college))
    url = reverse("accounts:invitation-upload")
    page = client.get(url).content.decode()
    assert "College A is not one" in page and 'type="file"' not in page
    response = client.post(url, {"organisation": college.pk, "file": _csv("x@college.ac.uk\n")})
    assert response.status_code == 200 and not Invitation.objects.exists()
    assert (
        "Invite health and care staff from a list"
        not in client.get(reverse("accounts:invitation-list")).content.decode()
    )


@pytest.mark.django_db
def test_site_admin_sends_a_staff_list_to_a_care_provider_but_not_to_a_partner(
    client, site_admin, partner_organisation
):
    care = CareProviderFactory()
    client.force_login(site_admin)
    url = reverse("accounts:invitation-upload")
    choices = list(client.get(url).context["form"].fields["organisation"].queryset)
    assert care in choices and partner_organisation not in choices
    response = client.post(url, {"organisation": partner_organisation.pk, "file": _csv("x@icb.nhs.uk\n")})
    assert "Select an employer from the list" in response.content.decode()
    response = client.post(url, {"organisation": care.pk, "file": _csv("carer@care.example\n")})
    assert response.context["report"].sent == ["carer@care.example"]
    assert Invitation.objects.get().organisation == care


# --- Homes and navigation ---------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("factory", "home"), [(StaffMemberFactory, "/accounts/staff/"), (PartnerFactory, "/insights/")]
)
def test_staff_members_and_partners_land_on_their_own_home_after_signing_in(client, factory, home):
    user = factory()
    response = client.post(reverse("accounts:login"), {"username": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302 and response.url == home
    complete_second_factor(client, user)
    page = client.get(home)
    assert page.status_code == 200
    current = [item["label"] for item in page.context["nav_items"] if item["active"]]
    assert current == ["Training and skills" if factory is StaffMemberFactory else "Planning reports"]


@pytest.mark.django_db
def test_other_trust_staff_member_sees_the_same_empty_home_and_no_invitations(client, other_trust_staff_member):
    client.force_login(other_trust_staff_member)
    assert "Trust Y" in client.get(reverse("accounts:staff-home")).content.decode()
    assert client.get(reverse("accounts:invitation-list")).status_code == 404
    assert client.get(reverse("placements:coordinator-home")).status_code == 404


# --- Demo -------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_staff_member_and_partner_joined_through_the_invitation_service():
    seed_accounts()
    seed_accounts()  # a second run invites nobody again
    staff = User.objects.get(email="staff@demo.test")
    partner = User.objects.get(email="partner@demo.test")
    assert staff.role == Role.STAFF and staff.organisation.kind in EMPLOYER_KINDS
    assert partner.role == Role.PARTNER and partner.organisation.kind in PARTNER_KINDS
    for person, inviter in ((staff, "coordinator.b@demo.test"), (partner, "admin@demo.test")):
        invitation = Invitation.objects.get(email=person.email)
        assert invitation.accepted_user == person and invitation.invited_by.email == inviter
        assert invitation.accepted_at is not None
        assert person.check_password("placements-demo") and person.email_verified
    assert Invitation.objects.filter(email__in=["staff@demo.test", "partner@demo.test"]).count() == 2


@pytest.mark.django_db
def test_expired_staff_invitations_can_be_sent_again_from_a_list(coordinator):
    services.staff_invite_from_list(actor=coordinator, organisation=coordinator.organisation, text="a@nhs.net\n")
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    report = services.staff_invite_from_list(
        actor=coordinator, organisation=coordinator.organisation, text="a@nhs.net\n"
    )
    assert report.sent == ["a@nhs.net"] and Invitation.objects.count() == 2


@pytest.mark.django_db
def test_coordinator_withdraws_a_staff_invitation_and_the_other_trust_cannot(
    client, coordinator, other_trust_coordinator
):
    invitation = services.invitation_create(
        actor=coordinator, email="a@nhs.net", organisation=coordinator.organisation, role=Role.STAFF
    )
    url = reverse("accounts:invitation-revoke", args=[invitation.pk])
    client.force_login(other_trust_coordinator)
    assert client.post(url).status_code == 404
    client.force_login(coordinator)
    assert client.post(url).status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert client.get(reverse("accounts:invitation-accept", kwargs={"token": invitation.token})).status_code == 404


@pytest.mark.django_db
def test_site_admin_cannot_move_a_waiting_partner_invitation_to_a_trust(
    client, site_admin, partner_organisation, trust
):
    invitation = services.invitation_create(
        actor=site_admin, email="a@icb.nhs.uk", organisation=partner_organisation, role=Role.PARTNER
    )
    client.force_login(site_admin)
    expires = timezone.localtime(invitation.expires_at)
    response = client.post(
        reverse("admin:accounts_invitation_change", args=[invitation.pk]),
        {
            "email": invitation.email,
            "organisation": trust.pk,
            "role": Role.PARTNER,
            "expires_at_0": expires.date().isoformat(),
            "expires_at_1": expires.strftime("%H:%M:%S"),
        },
    )
    assert response.status_code == 200
    assert _admin_errors(response)["role"] == [ORGANISATION_RULES[Role.PARTNER].message]
    invitation.refresh_from_db()
    assert invitation.organisation == partner_organisation
