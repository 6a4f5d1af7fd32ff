import json

import pytest
from django.db import models
from django.urls import reverse

from accounts.models import User
from notifications.models import OutboundEmail
from placements.models import AgeBand, AnonymisedApplication, AnonymisedReason, Application, WideningParticipation
from placements.services import applications as services
from placements.workflow import Status
from tests.placements.helpers import make_application
from tests.placements.personal_data_scan import assert_nothing_left

PERSONAL_FIELDS = {
    "first_name",
    "last_name",
    "date_of_birth",
    "phone",
    "home_district",
    "college",
    "course",
    "year_of_study",
    "profession_areas",
    "consider_other_placements",
    "max_travel_km",
    "available_from",
    "available_to",
    "dbs_status",
    "vaccinations",
    "occupational_health_notes",
    "access_needs",
    "supporting_statement",
    "digital_skills",
    "guardian_email",
    "declaration_true",
    "declaration_share",
    "emergency_contact_name",
    "emergency_contact_phone",
}


@pytest.fixture
def submitted(student):
    application = make_application(
        student,
        age=16,
        phone="07700 900982",
        occupational_health_notes="Latex allergy",
        access_needs="Step-free access",
        course="T Level Health",
    )
    WideningParticipation.objects.filter(application=application).update(free_school_meals="yes")
    services.application_submit(actor=student, application=application)
    return application


@pytest.mark.django_db
def test_download_contains_every_personal_field(client, student, submitted):
    client.force_login(student)
    response = client.get(reverse("placements:data-export"))
    assert response["Content-Disposition"].startswith('attachment; filename="my-data-')
    data = json.loads(response.content)
    assert data["account"]["email"] == student.email
    exported = data["applications"][0]
    answered = {f.name for f in Application._meta.get_fields() if isinstance(f, models.Field) and f.concrete}
    assert PERSONAL_FIELDS <= set(exported) and PERSONAL_FIELDS <= answered
    assert exported["occupational_health_notes"] == "Latex allergy" and exported["phone"] == "07700 900982"
    assert exported["widening_participation"]["free_school_meals"] == "yes"
    assert exported["guardian_consent"]["guardian_email"] == "parent@example.test"
    assert [t["to"] for t in exported["timeline"]] == [Status.SUBMITTED, Status.AWAITING_CONSENT]
    assert {e["subject"] for e in data["emails_sent_to_you"]} >= {
        OutboundEmail.objects.filter(recipient=student).first().subject
    }


@pytest.mark.django_db
def test_the_model_has_no_personal_field_the_export_forgets():
    bookkeeping = {
        "id",
        "student",
        "round",
        "reference",
        "status",
        "last_step",
        "created_at",
        "updated_at",
        "submitted_at",
        "not_at_college",
    }
    fields = {f.name for f in Application._meta.concrete_fields}
    assert fields - bookkeeping == PERSONAL_FIELDS, "a new personal field must be exported and erased"


@pytest.mark.django_db
def test_the_account_export_forgets_no_field_of_the_account(student):
    from placements.services.personal_data import student_data_export

    # Permissions and flags a site admin sets, the password hash, and the copy of the organisation's kind.
    bookkeeping = {"id", "password", "is_superuser", "is_staff", "is_active", "organisation_kind", "groups"}
    bookkeeping |= {"user_permissions"}
    exported = set(student_data_export(user=student)["account"]) | {"organisation"}  # exported as "college"
    fields = {f.name for f in User._meta.get_fields() if isinstance(f, models.Field) and f.concrete}
    assert fields - bookkeeping <= exported, "a new field of the account must be exported (and erased with it)"


@pytest.mark.django_db
def test_erasure_leaves_no_personal_data_and_keeps_anonymous_counts(client, student, submitted):
    email, reference = student.email, submitted.reference
    client.force_login(student)
    wrong = client.post(reverse("placements:account-delete"), {"confirm_email": "someone@else.test"})
    assert "Enter your email address exactly" in wrong.content.decode()
    response = client.post(reverse("placements:account-delete"), {"confirm_email": email.upper()})
    assert response.status_code == 302 and "_auth_user_id" not in client.session
    assert not User.objects.filter(email=email).exists()
    assert not Application.objects.exists()
    kept = AnonymisedApplication.objects.get()
    assert kept.final_status == Status.WITHDRAWN and kept.submitted and kept.college == submitted.college
    # The counts reports need: postcode district, age band on the round's first placement day, background tier.
    assert (kept.home_district, kept.age_band, kept.wp_tier) == ("SE15", AgeBand.AGE_16_17, 1)
    assert kept.reason == AnonymisedReason.ACCOUNT_DELETED
    assert_nothing_left(email, "parent@example.test", "Latex allergy", "07700 900982", reference)


@pytest.mark.django_db
def test_staff_cannot_use_student_erasure(tutor):
    from placements.services.personal_data import student_erase

    with pytest.raises(ValueError):
        student_erase(user=tutor)


@pytest.mark.django_db
def test_erasing_an_account_that_holds_a_place_gives_the_seat_back_for_backfill(student):
    from placements.models import MatchingRun, Placement, RunKind
    from placements.services.personal_data import student_erase
    from tests.factories import CohortFactory

    application = make_application(student, age=19)
    Application.objects.filter(pk=application.pk).update(status=Status.ACCEPTED)
    cohort = CohortFactory(capacity=2, booked=1)
    Placement.objects.create(application=application, cohort=cohort, booked_seat=True)

    student_erase(user=student)

    cohort.refresh_from_db()
    assert cohort.booked == 0
    assert MatchingRun.objects.filter(round=application.round, kind=RunKind.BACKFILL).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(("status", "had_accepted"), [(Status.ACCEPTED, True), (Status.OFFERED, False)])
def test_erasing_an_account_that_holds_a_place_tells_the_host_without_naming_the_student(
    coordinator, other_trust_coordinator, status, had_accepted
):
    from placements.models import Placement
    from placements.services.personal_data import student_erase
    from tests.factories import CohortFactory, StudentFactory

    student = StudentFactory(email="erased.student@example.test", first_name="Priya", last_name="Zeta")
    application = make_application(
        student, age=19, phone="07700 900555", occupational_health_notes="Nut allergy", first_name="Priya"
    )
    Application.objects.filter(pk=application.pk).update(status=status)
    cohort = CohortFactory(
        capacity=2,
        booked=1 if had_accepted else 0,
        opportunity__title="Shadow a ward nurse",
        opportunity__site__organisation=coordinator.organisation,
    )
    Placement.objects.create(application=application, cohort=cohort, booked_seat=had_accepted)
    reference = application.reference

    student_erase(user=student)

    email = OutboundEmail.objects.get(template="coordinator_place_released_account_deleted")
    assert email.recipient == coordinator and email.to_email == coordinator.email
    assert "Shadow a ward nurse" in email.subject and cohort.opportunity.site.name in email.body_text
    assert f"{cohort.start_date:%B %Y}" in email.body_text
    assert ("had a place on" in email.body_text) is had_accepted
    assert not OutboundEmail.objects.filter(template="coordinator_place_cancelled_by_student").exists()
    assert_nothing_left(
        "erased.student@example.test", reference, "Priya", "Zeta", "07700 900555", "Nut allergy", "parent@example.test"
    )


@pytest.mark.django_db
def test_the_delete_page_says_the_host_is_told_without_the_students_name(client, student):
    client.force_login(student)
    page = client.get(reverse("placements:account-delete")).content.decode()
    assert "we tell the host that the place is free, without saying who you are" in page


@pytest.mark.django_db
def test_erasing_an_account_with_only_a_proposed_match_emails_no_host(coordinator):
    from placements.models import Placement
    from placements.services.personal_data import student_erase
    from tests.factories import CohortFactory, StudentFactory

    application = make_application(StudentFactory(email="matched.only@example.test"), age=19)
    Application.objects.filter(pk=application.pk).update(status=Status.MATCHED)
    Placement.objects.create(
        application=application,
        cohort=CohortFactory(opportunity__site__organisation=coordinator.organisation),
        booked_seat=False,
    )
    student_erase(user=application.student)
    assert not OutboundEmail.objects.filter(template="coordinator_place_released_account_deleted").exists()
