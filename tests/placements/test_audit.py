"""Every change that moves a student is audited (ADR 0013): endorsement and matching-policy history (who, when,
old and new value), and one audit trail per application for site admins."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from notifications.models import EmailStatus, OutboundEmail
from placements.models import Endorsement, MatchingPolicy, Placement
from placements.models.placements import RELEASED_HOST_NO_REPLY
from placements.selectors.audit import (
    CHECK,
    EMAIL,
    ENDORSEMENT,
    HOST_DECISION,
    MATCH,
    STATUS_CHANGE,
    application_audit_trail,
)
from placements.services import endorsements, host_decisions, offers, pre_placement
from placements.services.matching_policy import matching_policy_update
from placements.services.personal_data import student_data_export, student_erase
from placements.services.workflow import application_transition
from placements.workflow import Status
from tests.factories import CohortFactory, RoundFactory, TutorFactory
from tests.placements.helpers import ready_application
from tests.placements.personal_data_scan import assert_nothing_left

pytestmark = pytest.mark.django_db


def _application(college, coordinator, cohorts=1):
    round_ = RoundFactory()
    made = [
        CohortFactory(
            capacity=3,
            start_date=round_.placements_from + timedelta(days=7 * (n + 1)),
            opportunity__site__organisation=coordinator.organisation,
            opportunity__requires_dbs=False,
            opportunity__requires_occupational_health=False,
        )
        for n in range(cohorts)
    ]
    application = ready_application(round_, made, college=college, age=19)
    application.student.organisation = college
    application.student.save()
    return application, made


def _match(application, cohort):
    application_transition(application=application, to=Status.MATCHED, actor=None, reason="Matching run 1")
    return Placement.objects.create(application=application, cohort=cohort)


# --- Endorsement history ------------------------------------------------------------------------------------


def test_endorsement_history_keeps_who_when_and_the_old_and_new_strength(college, coordinator, tutor):
    application, _ = _application(college, coordinator)
    colleague = TutorFactory(organisation=college)
    endorsements.endorsement_save(actor=tutor, application=application, strength=1, note="Keen")
    endorsements.endorsement_save(actor=tutor, application=application, strength=1, note="Keen")  # no change
    endorsements.endorsement_save(actor=colleague, application=application, strength=3, note="Very keen")
    records = list(Endorsement.history.filter(application_id=application.pk).order_by("history_date", "history_id"))
    assert [(r.history_type, r.history_user, r.strength, r.note) for r in records] == [
        ("+", tutor, 1, "Keen"),
        ("~", colleague, 3, "Very keen"),
    ]
    assert records[0].history_date <= records[1].history_date <= timezone.now()
    delta = records[1].diff_against(records[0])
    assert {(c.field, c.old, c.new) for c in delta.changes} >= {("strength", 1, 3), ("note", "Keen", "Very keen")}


def test_an_endorsement_made_on_the_tutors_page_names_the_tutor_in_its_history(client, college, coordinator, tutor):
    application, _ = _application(college, coordinator)
    client.force_login(tutor)
    client.post(reverse("placements:tutor-endorse", args=[application.pk]), {"strength": "2", "note": "Reliable"})
    client.post(reverse("placements:tutor-endorse", args=[application.pk]), {"strength": "0", "note": "Reliable"})
    records = Endorsement.history.filter(application_id=application.pk).order_by("history_date", "history_id")
    assert [(r.history_user, r.strength) for r in records] == [(tutor, 2), (tutor, 0)]


def test_site_admin_sees_an_endorsements_history_but_cannot_change_it(client, site_admin, college, coordinator, tutor):
    application, _ = _application(college, coordinator)
    endorsement = endorsements.endorsement_save(actor=tutor, application=application, strength=1, note="")
    endorsements.endorsement_save(actor=tutor, application=application, strength=2, note="")
    client.force_login(site_admin)
    page = client.get(reverse("admin:placements_endorsement_history", args=[endorsement.pk])).content.decode()
    assert "strength" in page.lower() and str(tutor) in page
    change = client.post(reverse("admin:placements_endorsement_change", args=[endorsement.pk]), {"strength": 0})
    assert change.status_code == 403 and Endorsement.objects.get().strength == 2


# --- Matching-policy history --------------------------------------------------------------------------------


def test_policy_changes_through_the_service_keep_who_when_and_the_old_and_new_weights(coordinator, site_admin):
    policy = MatchingPolicy.objects.create(organisation=coordinator.organisation)
    matching_policy_update(actor=coordinator, policy=policy, endorsement_weight=3)
    matching_policy_update(actor=coordinator, policy=policy, endorsement_weight=3)  # no change, no history
    matching_policy_update(actor=site_admin, policy=policy, distance_weight=0, widening_participation_weight=3)
    records = list(policy.history.order_by("history_date", "history_id"))
    assert [r.history_user for r in records] == [None, coordinator, site_admin]
    assert {(c.field, c.old, c.new) for c in records[1].diff_against(records[0]).changes} == {
        ("endorsement_weight", 1, 3)
    }
    assert {(c.field, c.old, c.new) for c in records[2].diff_against(records[1]).changes} == {
        ("distance_weight", 1, 0),
        ("widening_participation_weight", 2, 3),
    }


def test_a_coordinator_cannot_change_another_hosts_policy(coordinator, other_trust_coordinator):
    policy = MatchingPolicy.objects.create(organisation=coordinator.organisation)
    with pytest.raises(PermissionDenied):
        matching_policy_update(actor=other_trust_coordinator, policy=policy, endorsement_weight=0)
    assert policy.history.count() == 1


def test_policy_changes_in_both_admins_are_kept_and_each_coordinator_sees_only_their_own_history(
    client, coordinator, other_trust_coordinator, site_admin
):
    weights = {"widening_participation_weight": 2, "endorsement_weight": 1, "distance_weight": 1}
    client.force_login(coordinator)
    client.get(reverse("coordinator:placements_matchingpolicy_changelist"))  # made with the defaults on first visit
    policy = MatchingPolicy.objects.get(organisation=coordinator.organisation)
    url = reverse("coordinator:placements_matchingpolicy_change", args=[policy.pk])
    assert client.post(url, {**weights, "endorsement_weight": 3}).status_code == 302
    client.force_login(site_admin)
    admin_url = reverse("admin:placements_matchingpolicy_change", args=[policy.pk])
    assert client.post(admin_url, {"organisation": policy.organisation_id, **weights}).status_code == 302
    records = list(policy.history.order_by("history_date", "history_id"))
    assert [(r.history_user, r.endorsement_weight) for r in records[-2:]] == [(coordinator, 3), (site_admin, 1)]

    history = reverse("coordinator:placements_matchingpolicy_history", args=[policy.pk])
    client.force_login(coordinator)
    page = client.get(history).content.decode()
    assert "Endorsement weight" in page or "endorsement weight" in page.lower()
    assert str(site_admin) in page and "3" in page
    client.force_login(other_trust_coordinator)
    assert client.get(history).status_code == 404
    client.force_login(site_admin)
    assert client.get(reverse("admin:placements_matchingpolicy_history", args=[policy.pk])).status_code == 200


# --- The audit trail ----------------------------------------------------------------------------------------


def _full_story(college, coordinator, tutor):
    """A student endorsed, declined by one host's cohort, offered another, accepted, checked and confirmed."""
    application, (first, second) = _application(college, coordinator, cohorts=2)
    endorsements.endorsement_save(actor=tutor, application=application, strength=1, note="Keen")
    declined = _match(application, first)
    host_decisions.placement_decline(actor=coordinator, placement=declined, reason="dates_unavailable")
    endorsements.endorsement_save(actor=tutor, application=application, strength=3, note="Keen")
    placement = _match(application, second)
    host_decisions.placement_approve(actor=coordinator, placement=placement)
    application.refresh_from_db()
    offers.offer_accept(actor=application.student, application=application)
    placement.refresh_from_db()
    pre_placement.placement_update_checks(
        actor=coordinator, placement=placement, ticked={"identity_seen"}, joining_instructions="Main entrance, 9am."
    )
    placement.refresh_from_db()
    pre_placement.placement_confirm(actor=coordinator, placement=placement)
    OutboundEmail.objects.filter(template="student_offer_made").update(status=EmailStatus.SENT, sent_at=timezone.now())
    return application


def test_the_audit_trail_shows_each_kind_of_event_in_time_order(college, coordinator, tutor):
    application = _full_story(college, coordinator, tutor)
    events = application_audit_trail(application=application)
    assert [e.when for e in events] == sorted(e.when for e in events)
    kinds = [e.kind for e in events]
    assert {STATUS_CHANGE, ENDORSEMENT, MATCH, HOST_DECISION, CHECK, EMAIL} <= set(kinds)
    whats = [e.what for e in events]

    def first(text):
        return next(i for i, what in enumerate(whats) if text in what)

    assert first("Endorsed with strength 1") < first("Declined the match: Dates no longer available")
    assert first("Declined the match") < first("Strength changed from 1 to 3") < first("Approved")
    assert first("Approved") < first("Ticked: Identity seen") < first("Confirmed the placement")
    declined = events[first("Declined the match")]
    assert "dates_unavailable" in declined.what and "(Placement coordinator)" in declined.who
    assert "(Placement coordinator)" in events[first("Approved")].who
    assert "(Placement coordinator)" in events[first("Confirmed the placement")].who
    assert events[first("Matched to")].who == "Automatic"
    endorsed = events[first("Strength changed from 1 to 3")]
    assert tutor.get_full_name() in endorsed.who or tutor.email in endorsed.who
    ticked = events[first("Ticked: Identity seen")]
    assert coordinator.get_full_name() in ticked.who or coordinator.email in ticked.who
    moved = [e for e in events if e.kind == STATUS_CHANGE and "to Offered" in e.what]
    assert len(moved) == 1 and "Placement coordinator" in moved[0].who
    offer_email = next(e for e in events if e.kind == EMAIL and "student_offer_made" in e.detail)
    assert offer_email.what == "To the student: Offer made" and offer_email.detail.startswith("Sent ")
    assert any(e.kind == EMAIL and "student_placement_confirmed" in e.detail for e in events)


def test_the_audit_trail_shows_a_match_released_because_the_host_did_not_decide(college, coordinator):
    application, (cohort,) = _application(college, coordinator)
    placement = _match(application, cohort)
    Placement.objects.filter(pk=placement.pk).update(
        released_at=timezone.now(), release_reason=RELEASED_HOST_NO_REPLY, decision_chased_at=timezone.now()
    )
    whats = [e.what for e in application_audit_trail(application=application)]
    assert any(w.startswith("Released: the host did not decide by") for w in whats)
    assert "Host's coordinators reminded that their decide-by date is near" in whats


def test_the_audit_trail_page_reads_in_plain_english_and_never_shows_email_bodies(
    client, site_admin, college, coordinator, tutor
):
    application = _full_story(college, coordinator, tutor)
    client.force_login(site_admin)
    change = client.get(reverse("admin:placements_application_change", args=[application.pk])).content.decode()
    url = reverse("admin:placements_application_audit_trail", args=[application.pk])
    assert f'href="{url}"' in change
    page = client.get(url).content.decode()
    assert f"Audit trail for application {application.reference}" in page
    for text in ("Declined the match: Dates no longer available", "Ticked: Identity seen", "To the student: Offer"):
        assert text in page
    body = OutboundEmail.objects.get(template="student_offer_made").body_text
    assert body.strip().splitlines()[0] not in page


def test_the_audit_trail_takes_the_same_number_of_queries_however_many_events(
    client, site_admin, college, coordinator, tutor, django_assert_max_num_queries
):
    application = _full_story(college, coordinator, tutor)
    url = reverse("admin:placements_application_audit_trail", args=[application.pk])
    client.force_login(site_admin)
    with django_assert_max_num_queries(14) as before:
        assert client.get(url).status_code == 200
    for strength in (0, 2, 1, 3, 2):
        endorsements.endorsement_save(actor=tutor, application=application, strength=strength, note=f"Round {strength}")
    for _ in range(3):
        Placement.objects.create(
            application=application,
            cohort=CohortFactory(opportunity__site__organisation=coordinator.organisation),
            released_at=timezone.now(),
            release_reason="declined_by_host",
            host_decline_reason="duplicate",
            checks={"identity_seen": {"by": TutorFactory(organisation=college).pk, "at": timezone.now().isoformat()}},
        )
    events = len(application_audit_trail(application=application))
    with django_assert_max_num_queries(len(before.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200 and f"{events} events" in response.content.decode()


def test_only_site_admins_reach_the_audit_trail(client, personas, college, coordinator, tutor, django_user_model):
    application, _ = _application(college, coordinator)
    url = reverse("admin:placements_application_audit_trail", args=[application.pk])
    anonymous = client.get(url, follow=True)
    assert anonymous.redirect_chain[-1][0].startswith(reverse("accounts:login"))
    for name, person in personas.items():
        client.force_login(person)
        response = client.get(url, follow=True)
        assert response.status_code == (200 if name == "admin" else 404), name
        if name != "admin":
            assert "Audit trail" not in response.content.decode()
    # Staff in the admin without permission to view applications: as if it did not exist.
    clerk = django_user_model.objects.create_user(email="clerk@example.test", password="x", is_staff=True)
    clerk.role = "admin"
    clerk.save()
    client.force_login(clerk)
    assert client.get(url).status_code == 404
    client.force_login(personas["admin"])
    assert client.get(reverse("admin:placements_application_audit_trail", args=[999999])).status_code == 404


# --- Retention and the student's own data -------------------------------------------------------------------


def test_erasure_removes_the_endorsement_history_and_the_scan_finds_nothing(college, coordinator, tutor):
    application, _ = _application(college, coordinator)
    endorsements.endorsement_save(actor=tutor, application=application, strength=2, note="Ask Xanthe Quill")
    endorsements.endorsement_save(actor=tutor, application=application, strength=3, note="Xanthe Quill again")
    student = application.student
    student_erase(user=student)
    assert not Endorsement.history.filter(application_id=application.pk).exists()
    assert_nothing_left("Xanthe Quill", application.reference)


def test_the_students_download_includes_their_endorsement_history_without_naming_the_tutor(college, coordinator, tutor):
    application, _ = _application(college, coordinator)
    endorsements.endorsement_save(actor=tutor, application=application, strength=1, note="Keen")
    endorsements.endorsement_save(actor=tutor, application=application, strength=3, note="Very keen")
    exported = student_data_export(user=application.student)["applications"][0]["endorsement_history"]
    assert [(e["strength"], e["note"]) for e in exported] == [(1, "Keen"), (3, "Very keen")]
    assert all(e["by"] == f"A tutor at {college.name}" for e in exported)
    assert tutor.email not in str(exported)


def test_when_a_tutors_account_is_deleted_the_history_stays_without_naming_them(
    client, site_admin, college, coordinator
):
    from placements.services.personal_data import accounts_delete

    application, _ = _application(college, coordinator)
    leaver = TutorFactory(organisation=college, email="leaver@example.test")
    endorsements.endorsement_save(actor=leaver, application=application, strength=2, note="Keen")
    policy = MatchingPolicy.objects.create(organisation=coordinator.organisation)
    matching_policy_update(actor=coordinator, policy=policy, distance_weight=3)
    assert accounts_delete(user_ids=[leaver.pk, coordinator.pk]) == 2
    record = Endorsement.history.get(application_id=application.pk)
    assert (record.history_user, record.strength) == (None, 2)
    assert policy.history.latest().history_user is None and policy.history.latest().distance_weight == 3
    client.force_login(site_admin)
    page = client.get(reverse("admin:placements_application_audit_trail", args=[application.pk])).content.decode()
    assert "Endorsed with strength 2" in page and "leaver@example.test" not in page
    assert client.get(reverse("admin:placements_endorsement_history", args=[record.id])).status_code == 200


def test_anonymising_for_retention_removes_the_endorsement_history_too(college, coordinator, tutor):
    from django.db import transaction

    from placements.models import AnonymisedReason
    from placements.services.personal_data import applications_anonymise

    application, _ = _application(college, coordinator)
    endorsements.endorsement_save(actor=tutor, application=application, strength=1, note="Yusra Mbeki is keen")
    endorsements.endorsement_save(actor=tutor, application=application, strength=2, note="Yusra Mbeki, very keen")
    with transaction.atomic():
        assert applications_anonymise(applications=[application], reason=AnonymisedReason.RETENTION) == 1
    assert not Endorsement.history.exists()
    assert_nothing_left("Yusra Mbeki", application.reference)
