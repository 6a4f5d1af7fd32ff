"""Scheduled emails: each job sends one email per due item, however often or late it runs."""

from datetime import timedelta
from importlib import import_module

import pytest
from django.conf import settings
from django.utils import timezone

from notifications.models import EmailCategory, OutboundEmail
from placements.models import Application, MatchingRun, Placement, RunKind, StatusChange, WideningParticipation
from placements.services import digests, offers, reminders
from placements.services.host_decisions import seats_held
from placements.tasks import send_round_outcomes_task
from placements.workflow import Status
from tests.factories import CohortFactory, CoordinatorFactory, OpportunityFactory, PlacementFactory, RoundFactory
from tests.placements.helpers import make_application, ready_application

WP_AND_HEALTH_WORDS = ("free school meals", "free_school_meals", "care experienced", "young carer", "Asthma inhaler")


def _emails(template: str, **filters):
    return OutboundEmail.objects.filter(template=template, **filters)


def _placement(*, status: Status, cohort=None, round_=None, expires_at=None, **placement_fields) -> Placement:
    """A student's current placement in ``cohort`` with their application at ``status``."""
    round_ = round_ or RoundFactory()
    cohort = cohort or CohortFactory(start_date=round_.placements_from + timedelta(days=7))
    application = ready_application(round_, [cohort], status=status)
    return PlacementFactory(
        application=application,
        cohort=cohort,
        offered_at=expires_at - timedelta(days=5) if expires_at else None,
        offer_expires_at=expires_at,
        **placement_fields,
    )


def _status(placement: Placement) -> str:
    return Application.objects.get(pk=placement.application_id).status


# --- Offer reminders and expiry ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_expiring_offer_is_reminded_once_even_when_the_job_runs_twice_and_late():
    expires = timezone.now() + timedelta(days=3)
    placement = _placement(status=Status.OFFERED, expires_at=expires)

    assert reminders.offers_remind_expiring(now=expires - timedelta(hours=49)) == 0  # not due yet
    assert reminders.offers_remind_expiring(now=expires - timedelta(hours=47)) == 1
    assert reminders.offers_remind_expiring(now=expires - timedelta(hours=47)) == 0
    assert reminders.offers_remind_expiring(now=expires - timedelta(hours=2)) == 0

    email = _emails("student_offer_expiring").get()
    assert email.recipient == placement.application.student
    assert email.category == EmailCategory.TRANSACTIONAL
    assert email.dedupe_key.endswith(f":application:{placement.application_id}")
    assert "Accept or decline" in email.body_text and placement.cohort.opportunity.title in email.body_text


@pytest.mark.django_db
def test_a_reminder_missed_by_earlier_runs_is_still_sent_by_a_late_run():
    expires = timezone.now() + timedelta(days=3)
    _placement(status=Status.OFFERED, expires_at=expires)
    assert reminders.offers_remind_expiring(now=expires - timedelta(hours=2)) == 1
    assert _emails("student_offer_expiring").count() == 1


@pytest.mark.django_db
def test_answered_or_expired_offers_get_no_reminder():
    expires = timezone.now() + timedelta(days=1)
    _placement(status=Status.ACCEPTED, expires_at=expires)
    _placement(status=Status.OFFERED, expires_at=expires, released_at=timezone.now())
    _placement(status=Status.OFFERED, expires_at=timezone.now() - timedelta(minutes=1))
    assert reminders.offers_remind_expiring() == 0
    assert not _emails("student_offer_expiring").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("booked_seat", [False, True])
def test_an_unanswered_offer_expires_once_frees_the_seat_and_queues_one_backfill(
    booked_seat, django_capture_on_commit_callbacks
):
    expires = timezone.now() + timedelta(days=1)
    cohort = CohortFactory(capacity=1, booked=1 if booked_seat else 0)
    placement = _placement(status=Status.OFFERED, cohort=cohort, expires_at=expires, booked_seat=booked_seat)
    assert seats_held(cohort) == 1

    assert reminders.offers_expire(now=expires - timedelta(minutes=1)) == 0  # not due yet
    assert _status(placement) == Status.OFFERED
    with django_capture_on_commit_callbacks() as callbacks:
        assert reminders.offers_expire(now=expires + timedelta(minutes=1)) == 1
        assert reminders.offers_expire(now=expires + timedelta(minutes=20)) == 0

    placement.refresh_from_db()
    cohort.refresh_from_db()
    assert _status(placement) == Status.EXPIRED
    assert placement.released_at is not None and placement.release_reason == "expired"
    assert cohort.booked == 0 and seats_held(cohort) == 0
    assert MatchingRun.objects.filter(round=placement.application.round, kind=RunKind.BACKFILL).count() == 1
    assert StatusChange.objects.filter(application=placement.application, to_status=Status.EXPIRED).count() == 1
    email = _emails("student_offer_expired").get()
    assert email.recipient == placement.application.student
    assert "/training/students/" in email.body_text
    # The backfill run and the email delivery, after commit; and a freed booked seat refreshes the finder's listing.
    assert len(callbacks) == (3 if booked_seat else 2)


@pytest.mark.django_db
def test_an_offer_accepted_before_the_expiry_job_runs_is_not_expired():
    expires = timezone.now() + timedelta(hours=3)
    placement = _placement(status=Status.OFFERED, expires_at=expires)
    offers.offer_accept(actor=placement.application.student, application=placement.application)

    assert reminders.offers_expire(now=expires + timedelta(minutes=1)) == 0

    placement.refresh_from_db()
    placement.cohort.refresh_from_db()
    assert _status(placement) == Status.ACCEPTED and placement.released_at is None
    assert placement.cohort.booked == 1
    assert not _emails("student_offer_expired").exists()
    assert not MatchingRun.objects.exists()


@pytest.mark.django_db
def test_expiry_gives_way_to_an_acceptance_that_lands_between_selecting_and_expiring():
    expires = timezone.now() - timedelta(minutes=1)
    placement = _placement(status=Status.OFFERED, expires_at=expires)
    selected = Placement.objects.select_related("application__round", "application__student").get(pk=placement.pk)
    Application.objects.filter(pk=placement.application_id).update(status=Status.ACCEPTED)  # the student wins

    assert reminders.offer_expire(placement=selected) is False

    placement.refresh_from_db()
    assert _status(placement) == Status.ACCEPTED and placement.released_at is None
    assert not _emails("student_offer_expired").exists() and not MatchingRun.objects.exists()


# --- Joining reminder and feedback request -----------------------------------------------------------------


@pytest.mark.django_db
def test_students_with_a_place_hear_what_to_bring_once_within_two_days_of_the_start():
    cohort = CohortFactory(
        opportunity__dress_code="Smart trousers, flat black shoes", opportunity__site__address="Denmark Hill"
    )
    start = cohort.start_date
    confirmed = _placement(status=Status.CONFIRMED, cohort=cohort)
    accepted = _placement(status=Status.ACCEPTED, cohort=cohort)
    _placement(status=Status.OFFERED, cohort=cohort, expires_at=timezone.now() + timedelta(days=2))
    _placement(status=Status.CONFIRMED, cohort=cohort, released_at=timezone.now())

    assert reminders.placements_remind_start(today=start - timedelta(days=3)) == 0  # not due yet
    assert reminders.placements_remind_start(today=start - timedelta(days=2)) == 2
    assert reminders.placements_remind_start(today=start - timedelta(days=2)) == 0
    assert reminders.placements_remind_start(today=start - timedelta(days=1)) == 0
    assert reminders.placements_remind_start(today=start + timedelta(days=1)) == 0  # already started

    emails = _emails("student_placement_starting")
    assert {e.recipient_id for e in emails} == {confirmed.application.student_id, accepted.application.student_id}
    body = emails.get(recipient=confirmed.application.student).body_text
    assert "Smart trousers, flat black shoes" in body and "Denmark Hill" in body
    assert confirmed.application.reference in body and "finishing its checks" not in body
    assert "finishing its checks" in emails.get(recipient=accepted.application.student).body_text


@pytest.mark.django_db
def test_a_late_joining_reminder_is_still_sent_on_the_first_day():
    placement = _placement(status=Status.CONFIRMED)
    assert reminders.placements_remind_start(today=placement.cohort.start_date) == 1


@pytest.mark.django_db
def test_feedback_is_requested_once_after_the_placement_ends_and_respects_the_opt_out():
    cohort = CohortFactory()
    done = _placement(status=Status.COMPLETED, cohort=cohort)
    in_progress = _placement(status=Status.IN_PROGRESS, cohort=cohort)
    opted_out = _placement(status=Status.COMPLETED, cohort=cohort)
    opted_out.application.student.digest_emails = False
    opted_out.application.student.save()
    _placement(status=Status.CANCELLED_BY_HOST, cohort=cohort)

    assert reminders.placements_request_feedback(today=cohort.end_date) == 0  # last day: not over yet
    assert reminders.placements_request_feedback(today=cohort.end_date + timedelta(days=1)) == 2
    assert reminders.placements_request_feedback(today=cohort.end_date + timedelta(days=5)) == 0

    emails = _emails("student_feedback_request")
    assert {e.recipient_id for e in emails} == {done.application.student_id, in_progress.application.student_id}
    assert {e.category for e in emails} == {EmailCategory.DIGEST}


# --- Round outcomes ----------------------------------------------------------------------------------------


@pytest.fixture
def closing_round():
    """A round whose outcome date is today, with applicants in every state that matters."""
    today = timezone.localdate()
    round_ = RoundFactory(
        applications_open_on=today - timedelta(days=40),
        applications_close_on=today - timedelta(days=20),
        matching_on=today - timedelta(days=10),
        outcomes_by=today,
    )
    cohort = CohortFactory(start_date=round_.placements_from + timedelta(days=7))
    apps = {
        status: ready_application(round_, [cohort], status=status)
        for status in (
            Status.SUBMITTED,
            Status.AWAITING_CONSENT,
            Status.READY_FOR_MATCHING,
            Status.UNSUCCESSFUL,
            Status.ACCEPTED,
            Status.DECLINED,
            Status.WITHDRAWN,
        )
    }
    apps[Status.MATCHED] = _placement(status=Status.MATCHED, cohort=cohort, round_=round_).application
    apps[Status.OFFERED] = _placement(
        status=Status.OFFERED, cohort=cohort, round_=round_, expires_at=timezone.now() + timedelta(days=2)
    ).application
    return round_, apps


@pytest.mark.django_db
def test_every_unplaced_applicant_gets_exactly_one_outcome_and_nobody_placed_gets_one(
    closing_round, django_capture_on_commit_callbacks
):
    round_, apps = closing_round
    assert reminders.round_send_outcomes(round_=round_, today=round_.outcomes_by - timedelta(days=1)) == 0
    assert not _emails("student_round_outcome").exists()

    with django_capture_on_commit_callbacks():
        assert reminders.round_send_outcomes(round_=round_, today=round_.outcomes_by) == 5
    assert reminders.round_send_outcomes(round_=round_, today=round_.outcomes_by) == 0
    assert reminders.round_send_outcomes(round_=round_, today=round_.outcomes_by + timedelta(days=3)) == 0

    told = {Status.SUBMITTED, Status.AWAITING_CONSENT, Status.READY_FOR_MATCHING, Status.MATCHED, Status.UNSUCCESSFUL}
    emails = _emails("student_round_outcome")
    assert sorted(e.recipient_id for e in emails) == sorted(apps[s].student_id for s in told)
    for status, application in apps.items():
        application.refresh_from_db()
        assert application.status == (Status.UNSUCCESSFUL if status in told else status)
    matched = Placement.objects.get(application=apps[Status.MATCHED])
    assert matched.released_at is not None and matched.release_reason == "round_closed"
    assert not MatchingRun.objects.filter(kind=RunKind.BACKFILL).exists()  # the round is over: nobody to move up
    assert matched.application.status_changes.last().from_status == Status.MATCHED  # straight to unsuccessful
    assert Placement.objects.get(application=apps[Status.OFFERED]).released_at is None
    assert not reminders.rounds_awaiting_outcomes(today=round_.outcomes_by).exists()

    body = emails.get(recipient=apps[Status.READY_FOR_MATCHING].student).body_text
    assert "/training/students/" in body and "tutor" in body
    assert "more applicants than places" in body
    assert "consent from your parent" in emails.get(recipient=apps[Status.AWAITING_CONSENT].student).body_text
    assert "could not confirm" in emails.get(recipient=apps[Status.MATCHED].student).body_text
    for status in told:
        assert emails.get(recipient=apps[status].student).dedupe_key.endswith(f":application:{apps[status].pk}")


@pytest.mark.django_db
def test_the_daily_outcome_task_answers_rounds_whose_date_has_arrived_and_leaves_others(closing_round):
    round_, apps = closing_round
    later = RoundFactory()  # outcomes in four weeks
    waiting = ready_application(later, [CohortFactory()])

    assert send_round_outcomes_task() == 5
    assert send_round_outcomes_task() == 0
    waiting.refresh_from_db()
    assert waiting.status == Status.READY_FOR_MATCHING
    assert not _emails("student_round_outcome", recipient=waiting.student).exists()


# --- Digests -----------------------------------------------------------------------------------------------


@pytest.fixture
def matched_at_trust(trust):
    """A match waiting for the trust's decision, from a student with sensitive answers."""
    cohort = CohortFactory(opportunity__site__organisation=trust)
    placement = _placement(status=Status.MATCHED, cohort=cohort)
    application = placement.application
    Application.objects.filter(pk=application.pk).update(
        last_name="Okonkwo", occupational_health_notes="Asthma inhaler"
    )
    WideningParticipation.objects.filter(application=application).update(
        free_school_meals="yes", care_experienced="yes", young_carer="yes"
    )
    application.refresh_from_db()
    return placement


def _assert_no_sensitive_data(email: OutboundEmail, application: Application) -> None:
    for text in (email.subject, email.body_text, email.body_html):
        for word in (*WP_AND_HEALTH_WORDS, application.last_name, application.reference):
            assert word.lower() not in text.lower(), f"{word!r} in {email.template}"


@pytest.mark.django_db
def test_coordinators_get_a_daily_digest_of_their_own_waiting_matches_once_a_day(
    coordinator, other_trust_coordinator, matched_at_trust
):
    today = timezone.localdate()
    assert digests.coordinators_send_daily_digest(today=today) == 1
    assert digests.coordinators_send_daily_digest(today=today) == 0
    assert digests.coordinators_send_daily_digest(today=today + timedelta(days=1)) == 1

    emails = _emails("coordinator_daily_digest")
    assert {e.recipient for e in emails} == {coordinator}
    email = emails.first()
    assert email.category == EmailCategory.DIGEST
    assert "1 proposed match for Trust X is waiting" in email.body_text
    assert f"{settings.SITE_URL}/host/" in email.body_text
    _assert_no_sensitive_data(email, matched_at_trust.application)


@pytest.mark.django_db
def test_no_daily_digest_when_nothing_is_waiting(coordinator, matched_at_trust):
    Application.objects.filter(pk=matched_at_trust.application_id).update(status=Status.OFFERED)
    assert digests.coordinators_send_daily_digest() == 0


@pytest.mark.django_db
def test_digests_respect_the_opt_out(coordinator, tutor, student, matched_at_trust):
    coordinator.digest_emails = tutor.digest_emails = False
    coordinator.save()
    tutor.save()
    make_application(student)
    OpportunityFactory(
        site__organisation=coordinator.organisation, last_confirmed_on=timezone.localdate() - timedelta(days=45)
    )
    assert digests.coordinators_send_daily_digest() == 0
    assert digests.tutors_send_weekly_digest() == 0
    assert digests.coordinators_send_capacity_nudge() == 0
    assert not OutboundEmail.objects.filter(category=EmailCategory.DIGEST).exists()


@pytest.mark.django_db
def test_tutors_get_a_weekly_digest_of_their_own_college_only_once_a_week(
    tutor, other_college_tutor, student, other_student
):
    round_ = RoundFactory()
    mine = [
        make_application(student, round_=round_, last_name="Okonkwo"),
        make_application(_classmate(student), round_=round_, last_name="Adeyemi"),
    ]
    Application.objects.filter(pk=mine[1].pk).update(status=Status.READY_FOR_MATCHING)
    WideningParticipation.objects.filter(application__in=mine).update(free_school_meals="yes", young_carer="yes")
    Application.objects.filter(pk__in=[a.pk for a in mine]).update(occupational_health_notes="Asthma inhaler")
    theirs = make_application(other_student, round_=round_)

    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    assert digests.tutors_send_weekly_digest(today=monday) == 2
    assert digests.tutors_send_weekly_digest(today=monday + timedelta(days=3)) == 0
    assert digests.tutors_send_weekly_digest(today=monday + timedelta(days=7)) == 2

    email = _emails("tutor_weekly_digest", recipient=tutor).first()
    assert email.category == EmailCategory.DIGEST
    assert f"{round_.name}: 2 applications" in email.body_text
    assert "- Draft: 1" in email.body_text and "- Ready for matching: 1" in email.body_text
    assert "1 submitted application is not endorsed yet" in email.body_text
    for application in mine:
        _assert_no_sensitive_data(email, application)
    other = _emails("tutor_weekly_digest", recipient=other_college_tutor).first()
    assert f"{round_.name}: 1 application" in other.body_text and "College A" not in other.body_text
    assert theirs.reference not in email.body_text


def _classmate(student):
    from tests.factories import StudentFactory

    return StudentFactory(organisation=student.organisation)


@pytest.mark.django_db
def test_a_tutor_whose_college_has_no_applications_gets_no_digest(tutor, other_college_tutor, student):
    make_application(student)
    assert digests.tutors_send_weekly_digest() == 1
    assert not _emails("tutor_weekly_digest", recipient=other_college_tutor).exists()


@pytest.mark.django_db
def test_coordinators_are_nudged_monthly_about_their_own_unconfirmed_opportunities(
    coordinator, other_trust_coordinator
):
    first = timezone.localdate().replace(day=1)
    stale = OpportunityFactory(
        site__organisation=coordinator.organisation,
        title="Ward shadowing",
        last_confirmed_on=first - timedelta(days=30),
    )
    OpportunityFactory(
        site__organisation=coordinator.organisation, title="Fresh one", last_confirmed_on=first - timedelta(days=29)
    )
    OpportunityFactory(
        site__organisation=coordinator.organisation,
        title="Draft one",
        status="draft",
        last_confirmed_on=first - timedelta(days=90),
    )
    second_coordinator = CoordinatorFactory(organisation=coordinator.organisation)

    assert digests.coordinators_send_capacity_nudge(today=first) == 2
    assert digests.coordinators_send_capacity_nudge(today=first + timedelta(days=1)) == 0
    assert digests.coordinators_send_capacity_nudge(today=first + timedelta(days=20)) == 0
    next_month = (first + timedelta(days=32)).replace(day=1)
    assert digests.coordinators_send_capacity_nudge(today=next_month) == 2

    emails = _emails("coordinator_capacity_nudge")
    assert {e.recipient for e in emails} == {coordinator, second_coordinator}
    body = emails.filter(recipient=coordinator).order_by("created_at").first().body_text
    assert stale.title in body and "Fresh one" not in body and "Draft one" not in body
    assert f"{settings.SITE_URL}/coordinator/" in body


# --- Wiring ------------------------------------------------------------------------------------------------


def test_every_scheduled_job_is_a_late_acking_task():
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        module, attribute = entry["task"].rsplit(".", 1)
        task = getattr(import_module(module), attribute)
        assert task.name == entry["task"] and task.acks_late, name
