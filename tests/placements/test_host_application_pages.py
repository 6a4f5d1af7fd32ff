"""Coordinators and tutors read the application behind a match on a page of its own; offers on /host/; labels."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from placements.models import Application, ApplicationChoice, Endorsement, Placement, WideningParticipation
from placements.services.matching_runs import matching_run_create, matching_run_execute
from placements.templatetags import wording
from placements.workflow import Status
from tests.factories import CohortFactory, OpportunityFactory, PlacementFactory, RoundFactory, StudentFactory
from tests.placements.helpers import make_application, ready_application

STATEMENT = "I volunteered at a care home every Saturday and want to become a nurse."
WP_WORDS = ("free_school_meals", "free school meals", "care_experienced", "been in care", "young carer", "Widening")


@pytest.fixture
def matched(coordinator, college):
    """A 17-year-old at ``college`` matched (by a real run) to a cohort of the coordinator's trust."""
    round_ = RoundFactory()
    cohort = CohortFactory(
        capacity=2,
        start_date=round_.placements_from + timedelta(days=7),
        opportunity__title="Shadow a ward nurse",
        opportunity__site__organisation=coordinator.organisation,
    )
    application = ready_application(
        round_,
        [cohort],
        college=college,
        supporting_statement=STATEMENT,
        access_needs="Step-free access, please",
        occupational_health_notes="Asthma inhaler",
        vaccinations=["flu"],
        course="BTEC Health and Social Care",
    )
    Application.objects.filter(pk=application.pk).update(student=StudentFactory(organisation=college))
    other_host = OpportunityFactory(title="Care home day")
    ApplicationChoice.objects.create(application=application, opportunity=cohort.opportunity, rank=1)
    ApplicationChoice.objects.create(application=application, opportunity=other_host, rank=2)
    WideningParticipation.objects.filter(application=application).update(
        free_school_meals="yes", care_experienced="yes", young_carer="yes"
    )
    Endorsement.objects.create(application=application, strength=3, note="Tutor's private note")
    matching_run_execute(run_id=matching_run_create(actor=None, round_=round_).pk)
    return Placement.objects.get(application=application, released_at__isnull=True)


def _page(client, name, pk):
    return client.get(reverse(name, args=[pk]))


# --- Coordinators ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_coordinator_opens_the_application_from_the_queue_and_reads_what_they_need(client, coordinator, matched):
    client.force_login(coordinator)
    url = reverse("placements:coordinator-application", args=[matched.application_id])
    assert url in client.get(reverse("placements:coordinator-home")).content.decode()
    page = client.get(url).content.decode()
    application = matched.application
    age = application.age_on(matched.cohort.start_date)
    for expected in (
        STATEMENT,  # why health or care
        "Shadow a ward nurse",  # choices
        "Care home day",
        wording.day_range(application.available_from, application.available_to),  # dates
        "I do not have a DBS check",  # checks answers
        "Seasonal flu",
        "Asthma inhaler",
        "Step-free access, please",  # support needs
        f"{age} (on {matched.cohort.start_date:%-d %B %Y})",  # age on the first day
        "Strength 3 of 3",
        "BTEC Health and Social Care",
        "Approve and send an offer",
        f"{matched.decide_by:%A} {matched.decide_by.day} {matched.decide_by:%B %Y}",
    ):
        assert expected in page, expected
    for hidden in (*WP_WORDS, "Tutor's private note", application.student.email):
        assert hidden not in page, hidden


@pytest.mark.django_db
def test_a_coordinator_approves_from_the_application_page(client, coordinator, matched):
    client.force_login(coordinator)
    client.post(reverse("placements:matches-approve"), {"placement": [matched.pk]})
    assert Application.objects.get(pk=matched.application_id).status == Status.OFFERED
    page = _page(client, "placements:coordinator-application", matched.application_id).content.decode()
    assert "The student answers by" in page and "Approve and send an offer" not in page


@pytest.mark.django_db
def test_another_trusts_coordinator_cannot_open_the_application(client, other_trust_coordinator, matched):
    client.force_login(other_trust_coordinator)
    assert _page(client, "placements:coordinator-application", matched.application_id).status_code == 404


@pytest.mark.django_db
def test_a_coordinator_can_open_an_application_whose_match_with_them_has_ended(client, coordinator, matched):
    Placement.objects.filter(pk=matched.pk).update(
        released_at=timezone.now(), release_reason="declined_by_host", host_decline_reason="fully_booked"
    )
    Application.objects.filter(pk=matched.application_id).update(status=Status.READY_FOR_MATCHING)
    client.force_login(coordinator)
    page = _page(client, "placements:coordinator-application", matched.application_id).content.decode()
    assert "You declined: Fully booked" in page and "Approve and send an offer" not in page


@pytest.mark.django_db
def test_a_coordinator_cannot_open_an_application_never_placed_with_them(client, coordinator, college):
    application = make_application(StudentFactory(organisation=college))
    client.force_login(coordinator)
    assert _page(client, "placements:coordinator-application", application.pk).status_code == 404


@pytest.mark.django_db
def test_the_application_page_does_a_bounded_number_of_queries(
    client, coordinator, matched, django_assert_max_num_queries
):
    for _ in range(10):
        PlacementFactory(
            application=matched.application,
            cohort=CohortFactory(opportunity__site__organisation=coordinator.organisation),
            released_at=timezone.now(),
            release_reason="rematched",
        )
    client.force_login(coordinator)
    with django_assert_max_num_queries(8):
        response = _page(client, "placements:coordinator-application", matched.application_id)
    assert len(response.context["application"].placement_history) == 11


@pytest.mark.django_db
def test_offers_waiting_for_the_student_are_listed_with_their_deadline(client, coordinator, matched):
    client.force_login(coordinator)
    client.post(reverse("placements:matches-approve"), {"placement": [matched.pk]})
    matched.refresh_from_db()
    page = client.get(reverse("placements:coordinator-home")).content.decode()
    assert "Offers waiting for the student's answer" in page
    assert matched.application.reference in page and wording.deadline(matched.offer_expires_at) in page


@pytest.mark.django_db
def test_host_home_stays_bounded_with_many_offers(client, coordinator, django_assert_max_num_queries):
    round_ = RoundFactory()
    cohort = CohortFactory(capacity=60, opportunity__site__organisation=coordinator.organisation)
    for _ in range(40):
        PlacementFactory(application=ready_application(round_, [cohort], status=Status.OFFERED), cohort=cohort)
    client.force_login(coordinator)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("placements:coordinator-home"), {"offers_page": "2"})
    assert response.context["offers"].paginator.count == 40 and len(response.context["offers"]) == 15
    assert "offers_page=1" in response.content.decode()


@pytest.mark.django_db
def test_the_hosts_status_labels_never_say_you_for_the_student(client, coordinator, tutor, matched):
    Application.objects.filter(pk=matched.application_id).update(status=Status.CANCELLED_BY_STUDENT)
    client.force_login(coordinator)
    page = _page(client, "placements:coordinator-application", matched.application_id).content.decode()
    assert "Cancelled by the student" in page and "Cancelled by you" not in page


# --- Pre-placement checks labels ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_checks_page_does_not_call_required_items_optional(client, coordinator, matched):
    Application.objects.filter(pk=matched.application_id).update(status=Status.ACCEPTED)
    client.force_login(coordinator)
    page = _page(client, "placements:placement-checks", matched.pk).content.decode()
    assert "Identity seen" in page and "(optional)" not in page
    assert "Every check is needed before you can confirm" in page


# --- Tutors ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_tutor_opens_their_students_application_from_the_list(client, tutor, matched):
    client.force_login(tutor)
    url = reverse("placements:tutor-application", args=[matched.application_id])
    assert url in client.get(reverse("placements:tutor-home")).content.decode()
    page = client.get(url).content.decode()
    for expected in (STATEMENT, "Shadow a ward nurse", "Care home day", "Step-free access, please", "Seasonal flu"):
        assert expected in page, expected
    assert "Tutor&#x27;s private note" in page  # their own note
    for hidden in (*WP_WORDS, "Asthma inhaler"):
        assert hidden not in page, hidden


@pytest.mark.django_db
def test_another_colleges_tutor_cannot_open_the_application(client, other_college_tutor, matched):
    client.force_login(other_college_tutor)
    assert _page(client, "placements:tutor-application", matched.application_id).status_code == 404


@pytest.mark.django_db
def test_the_tutor_application_page_does_a_bounded_number_of_queries(
    client, tutor, matched, django_assert_max_num_queries
):
    for _ in range(10):
        PlacementFactory(application=matched.application, released_at=timezone.now(), host_decline_reason="age")
    client.force_login(tutor)
    with django_assert_max_num_queries(9):
        response = _page(client, "placements:tutor-application", matched.application_id)
    assert "The host declined: Not suitable for the student&#x27;s age" in response.content.decode()


@pytest.mark.django_db
def test_endorse_is_offered_only_where_it_can_be_done(client, tutor, matched):
    client.force_login(tutor)
    url = reverse("placements:tutor-endorse", args=[matched.application_id])
    assert url in client.get(reverse("placements:tutor-home")).content.decode()
    Application.objects.filter(pk=matched.application_id).update(status=Status.WITHDRAWN)
    assert url not in client.get(reverse("placements:tutor-home")).content.decode()
    assert url not in _page(client, "placements:tutor-application", matched.application_id).content.decode()
    page = client.get(url).content.decode()
    assert "This application has ended" in page and 'name="strength"' not in page
    client.post(url, {"strength": "1"})
    assert Endorsement.objects.get(application_id=matched.application_id).strength == 3
    Endorsement.objects.filter(application_id=matched.application_id).delete()
    needing = client.get(reverse("placements:tutor-home"), {"needs": "endorsement"})
    assert matched.application_id not in {a.pk for a in needing.context["page"]}


@pytest.mark.django_db
def test_approving_a_match_that_is_no_longer_waiting_says_so(client, coordinator, matched):
    client.force_login(coordinator)
    client.post(reverse("placements:matches-approve"), {"placement": [matched.pk]})
    response = client.post(reverse("placements:matches-approve"), {"placement": [matched.pk]}, follow=True)
    assert "1 of the matches you chose is no longer waiting for a decision" in response.content.decode()


@pytest.mark.django_db
def test_tutors_read_cancelled_by_the_student_in_the_filter_list_and_export(client, tutor, matched):
    Application.objects.filter(pk=matched.application_id).update(status=Status.CANCELLED_BY_STUDENT)
    client.force_login(tutor)
    page = client.get(reverse("placements:tutor-home"), {"status": "cancelled_by_student"})
    html = page.content.decode()
    assert [a.pk for a in page.context["page"]] == [matched.application_id]
    assert "Cancelled by the student" in html and "Cancelled by you" not in html
    rows = list(csv.reader(io.StringIO(client.get(reverse("placements:tutor-export")).getvalue().decode())))
    assert rows[1][4] == "Cancelled by the student"


@pytest.mark.django_db
def test_the_tutors_weekly_digest_says_cancelled_by_the_student(tutor, matched):
    from notifications.models import OutboundEmail
    from placements.services import digests

    Application.objects.filter(pk=matched.application_id).update(status=Status.CANCELLED_BY_STUDENT)
    assert digests.tutors_send_weekly_digest() == 1
    body = OutboundEmail.objects.get(template="tutor_weekly_digest", recipient=tutor).body_text
    assert "Cancelled by the student: 1" in body and "Cancelled by you" not in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "placement_change"),
    [
        (Status.READY_FOR_MATCHING, {"released_at": timezone.now, "release_reason": "host_no_reply"}),
        (Status.EXPIRED, {"released_at": timezone.now, "release_reason": "offer_expired"}),
        (Status.CANCELLED_BY_STUDENT, {"released_at": timezone.now, "release_reason": "withdrawn_by_student"}),
        (Status.COMPLETED, {}),
    ],
)
def test_a_host_whose_placement_has_ended_keeps_only_its_records(
    client, coordinator, matched, status, placement_change
):
    Placement.objects.filter(pk=matched.pk).update(
        **{k: v() if callable(v) else v for k, v in placement_change.items()}
    )
    Application.objects.filter(pk=matched.application_id).update(status=status)
    application = Application.objects.get(pk=matched.application_id)
    client.force_login(coordinator)
    page = _page(client, "placements:coordinator-application", matched.application_id).content.decode()
    assert application.first_name in page and application.reference in page
    assert (
        "Shadow a ward nurse" in page and wording.day_range(matched.cohort.start_date, matched.cohort.end_date) in page
    )
    for hidden in (
        "Asthma inhaler",
        "Step-free access, please",
        STATEMENT,
        "BTEC Health and Social Care",
        "Care home day",
    ):
        assert hidden not in page, hidden
    assert "no longer has a match or a place with you" in page


@pytest.mark.django_db
def test_a_host_whose_placement_has_ended_does_not_load_the_answers(coordinator, matched):
    from placements.selectors.application_detail import HIDDEN_FROM_PAST_HOSTS, application_for_host

    Placement.objects.filter(pk=matched.pk).update(released_at=timezone.now(), release_reason="declined_by_host")
    Application.objects.filter(pk=matched.application_id).update(status=Status.READY_FOR_MATCHING)
    application = application_for_host(coordinator, matched.application_id)
    assert not application.host_holds_place
    assert set(HIDDEN_FROM_PAST_HOSTS) <= application.get_deferred_fields()
    assert "Asthma inhaler" not in str(application.__dict__)
