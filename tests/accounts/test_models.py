import pytest
from django.db import IntegrityError, transaction

from accounts.models import HOST_KINDS, PARTNER_KINDS, Organisation, OrganisationKind, Role, User
from tests.factories import CollegeFactory, OrganisationFactory


def _insert(**fields):
    with transaction.atomic():
        return User.objects.create(email=fields.pop("email", "x@example.test"), **fields)


@pytest.mark.django_db
def test_tutor_must_belong_to_a_college_even_when_forms_are_bypassed():
    with pytest.raises(IntegrityError):
        _insert(role=Role.TUTOR)
    with pytest.raises(IntegrityError):
        _insert(role=Role.TUTOR, organisation=OrganisationFactory())
    assert _insert(role=Role.TUTOR, organisation=CollegeFactory()).organisation_kind == OrganisationKind.COLLEGE


@pytest.mark.django_db
def test_coordinator_must_belong_to_a_host_organisation():
    with pytest.raises(IntegrityError):
        _insert(role=Role.COORDINATOR)
    # A college hosts simulation sessions, so it has coordinators too.
    for kind in HOST_KINDS:
        org = OrganisationFactory(kind=kind)
        assert _insert(email=f"{kind}@example.test", role=Role.COORDINATOR, organisation=org).pk
    for kind in PARTNER_KINDS:
        with pytest.raises(IntegrityError):
            _insert(email=f"{kind}@example.test", role=Role.COORDINATOR, organisation=OrganisationFactory(kind=kind))


@pytest.mark.django_db
def test_student_may_name_a_college_but_not_a_trust():
    assert _insert(email="a@example.test", role=Role.STUDENT).pk
    assert _insert(email="b@example.test", role=Role.STUDENT, organisation=CollegeFactory()).pk
    with pytest.raises(IntegrityError):
        _insert(email="c@example.test", role=Role.STUDENT, organisation=OrganisationFactory())


@pytest.mark.django_db
def test_organisation_kind_copy_cannot_drift_from_null_organisation():
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=_insert(role=Role.STUDENT).pk).update(organisation_kind=OrganisationKind.COLLEGE)


@pytest.mark.django_db
def test_email_is_stored_lower_case_and_unique_whatever_the_case():
    user = User.objects.create_user("Person@Example.TEST", "pw-123456789")
    assert user.email == "person@example.test"
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email="PERSON@example.test")  # save() lower-cases, so the unique index catches it
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.bulk_create([User(email="Mixed@Example.test")])  # bypasses save(): the CHECK catches it


@pytest.mark.django_db
def test_login_lookup_ignores_case():
    User.objects.create_user("case@example.test", "pw-123456789")
    assert User.objects.get_by_natural_key("CASE@example.test").email == "case@example.test"


@pytest.mark.django_db
def test_official_code_is_unique_only_when_given():
    Organisation.objects.create(kind="college", name="One", postcode="E1 1AA")
    Organisation.objects.create(kind="college", name="Two", postcode="E1 1AA")
    Organisation.objects.create(kind="college", name="Three", postcode="E1 1AA", code="123")
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(kind="college", name="Four", postcode="E1 1AA", code="123")


@pytest.mark.django_db
def test_site_admin_role_implies_staff_access():
    admin = _insert(email="boss@example.test", role=Role.ADMIN)
    assert admin.is_staff
