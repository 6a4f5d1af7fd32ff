import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from notifications.models import OutboundEmail
from placements.models import Application, GuardianConsent, StatusChange
from placements.services import applications as services
from placements.workflow import Status
from tests.factories import CohortFactory, OpportunityFactory, RoundFactory, StudentFactory, TutorFactory
from tests.placements.helpers import make_application


def _consent_token():
    body = OutboundEmail.objects.get(template="guardian_consent_request").body_text
    return re.search(r"/consent/([^/\s]+)/", body).group(1)


@pytest.mark.django_db
def test_start_makes_one_application_per_student_per_round_however_often_it_is_called(student):
    round_ = RoundFactory()
    first = services.application_start(student=student, round_=round_)
    second = services.application_start(student=student, round_=round_)
    assert first.pk == second.pk and Application.objects.count() == 1
    assert first.first_name == student.first_name and first.college == student.organisation
    assert first.status == Status.DRAFT and first.reference.startswith("WE")


@pytest.mark.django_db
def test_start_refuses_unverified_students_closed_rounds_and_staff(student, tutor):
    round_ = RoundFactory()
    with pytest.raises(ValidationError, match="Confirm your email address"):
        services.application_start(student=StudentFactory(email_verified_at=None), round_=round_)
    closed = RoundFactory(
        applications_open_on=timezone.localdate() - timedelta(days=30),
        applications_close_on=timezone.localdate() - timedelta(days=1),
    )
    with pytest.raises(ValidationError, match="closed"):
        services.application_start(student=student, round_=closed)
    with pytest.raises(PermissionDenied):
        services.application_start(student=tutor, round_=round_)


@pytest.mark.django_db
def test_adult_submission_is_ready_for_matching_with_one_confirmation_email(student):
    application = make_application(student, age=19)
    TutorFactory(organisation=student.organisation)
    services.application_submit(actor=student, application=application)
    services.application_submit(actor=student, application=application)  # double click / second tab
    application.refresh_from_db()
    assert application.status == Status.READY_FOR_MATCHING and application.submitted_at
    assert [c.to_status for c in application.status_changes.all()] == [Status.SUBMITTED, Status.READY_FOR_MATCHING]
    assert OutboundEmail.objects.filter(template="student_application_received").count() == 1
    assert application.reference in OutboundEmail.objects.get(template="student_application_received").subject
    assert OutboundEmail.objects.filter(template="tutor_student_submitted").count() == 1
    assert not GuardianConsent.objects.exists()


@pytest.mark.django_db
def test_under_18_waits_for_guardian_consent_given_once_through_the_link(student):
    application = make_application(student, age=16)
    services.application_submit(actor=student, application=application)
    application.refresh_from_db()
    assert application.status == Status.AWAITING_CONSENT
    consent = GuardianConsent.objects.get()
    token = _consent_token()
    assert consent.token_hash != token and consent.guardian_email == "parent@example.test"

    services.guardian_consent_give(token=token, guardian_name="Pat Student", relationship="Mother")
    application.refresh_from_db()
    assert application.status == Status.READY_FOR_MATCHING
    assert "Pat Student" in application.status_changes.last().reason
    assert OutboundEmail.objects.filter(template="student_consent_received").count() == 1
    assert OutboundEmail.objects.filter(template="guardian_consent_confirmed", to_email="parent@example.test").exists()
    with pytest.raises(ValidationError, match="expired or has already been used"):
        services.guardian_consent_give(token=token, guardian_name="Someone", relationship="Other")


@pytest.mark.django_db
def test_expired_consent_link_does_not_work(student):
    application = make_application(student, age=16)
    services.application_submit(actor=student, application=application)
    GuardianConsent.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert services.consent_for_token(_consent_token()) is None
    with pytest.raises(ValidationError):
        services.guardian_consent_give(token=_consent_token(), guardian_name="Pat", relationship="Father")


@pytest.mark.django_db
def test_a_choice_the_student_is_not_eligible_for_is_explained_not_dropped(student):
    application = make_application(student, age=16)
    opportunity = CohortFactory(
        opportunity__title="Theatres",
        opportunity__min_age=18,
        start_date=application.round.placements_from + timedelta(days=3),
    ).opportunity
    services.choice_add(actor=student, application=application, opportunity=opportunity)
    with pytest.raises(ValidationError) as error:
        services.application_submit(actor=student, application=application)
    assert "Theatres: you cannot be placed here because you need to be 18" in error.value.messages[0]
    application.refresh_from_db()
    assert application.status == Status.DRAFT


@pytest.mark.django_db
def test_choices_are_capped_at_five_unique_and_reorderable(student):
    application = make_application(student)
    opportunities = OpportunityFactory.create_batch(6)
    for opportunity in opportunities[:5]:
        services.choice_add(actor=student, application=application, opportunity=opportunity)
    with pytest.raises(ValidationError, match="up to 5"):
        services.choice_add(actor=student, application=application, opportunity=opportunities[5])
    with pytest.raises(ValidationError, match="already one of your choices"):
        services.choice_add(actor=student, application=application, opportunity=opportunities[0])
    third = application.choices.get(rank=3).opportunity_id
    services.choice_move(
        actor=student, application=application, choice_id=application.choices.get(rank=3).pk, direction=-1
    )
    assert application.choices.get(rank=2).opportunity_id == third
    services.choice_remove(actor=student, application=application, choice_id=application.choices.get(rank=1).pk)
    assert list(application.choices.values_list("rank", flat=True)) == [1, 2, 3, 4]


@pytest.mark.django_db
def test_another_student_cannot_touch_my_application(student, other_student):
    application = make_application(student)
    with pytest.raises(PermissionDenied):
        services.application_submit(actor=other_student, application=application)
    with pytest.raises(PermissionDenied):
        services.choice_add(actor=other_student, application=application, opportunity=OpportunityFactory())
    with pytest.raises(PermissionDenied):
        services.application_withdraw(actor=other_student, application=application, reason="no")


@pytest.mark.django_db
def test_withdraw_records_the_reason_and_cannot_be_repeated(student):
    application = make_application(student, age=19)
    services.application_submit(actor=student, application=application)
    services.application_withdraw(actor=student, application=application, reason="Found another placement")
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN
    change = StatusChange.objects.filter(application=application).last()
    assert change.reason == "Found another placement" and change.actor == student
    with pytest.raises(ValidationError, match="already ended"):
        services.application_withdraw(actor=student, application=application, reason="again")


@pytest.mark.django_db
def test_answers_cannot_change_once_matching_has_started(student):
    application = make_application(student)
    Application.objects.filter(pk=application.pk).update(status=Status.MATCHED)
    application.refresh_from_db()
    with pytest.raises(ValidationError, match="can no longer be changed"):
        services.choice_add(actor=student, application=application, opportunity=OpportunityFactory())
