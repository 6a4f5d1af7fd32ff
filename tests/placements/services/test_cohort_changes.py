"""Changes that reach students: who is affected, confirmation, one email each, and a cohort's round."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.utils import timezone

from notifications.models import OutboundEmail
from placements.models import Cohort, OpportunityStatus, Placement
from placements.services.capacity import cohort_set_capacity, opportunity_create_weekly_cohorts
from placements.services.cohort_changes import (
    ChangeNeedsConfirmation,
    cohort_check_round,
    cohort_update,
    opportunity_close,
    parse_confirmed,
)
from placements.workflow import Status
from tests import factories
from tests.factories import StudentFactory
from tests.placements.helpers import make_application

TODAY = timezone.localdate()
TEMPLATE = "student_placement_changed"


@pytest.fixture
def round_(db):
    return factories.RoundFactory(
        placements_from=TODAY + dt.timedelta(days=28), placements_to=TODAY + dt.timedelta(days=120)
    )


@pytest.fixture
def cohort(trust, round_):
    opportunity = factories.OpportunityFactory(site=factories.SiteFactory(organisation=trust), title="Ward nurse")
    start = TODAY + dt.timedelta(days=42)
    return factories.CohortFactory(
        opportunity=opportunity,
        start_date=start,
        end_date=start + dt.timedelta(days=4),
        application_deadline=start - dt.timedelta(days=7),
        capacity=6,
    )


def place(cohort, round_, status, first_name, *, booked=None, released=False, **fields):
    """A student with a placement in ``cohort`` whose application is in ``status``."""
    application = make_application(StudentFactory(), round_=round_, first_name=first_name, last_name="Doe", **fields)
    application.status = status
    application.save(update_fields=["status"])
    holds = status in (Status.ACCEPTED, Status.CONFIRMED, Status.IN_PROGRESS) if booked is None else booked
    placement = factories.PlacementFactory(
        cohort=cohort,
        application=application,
        booked_seat=holds,
        released_at=timezone.now() if released else None,
    )
    if holds:
        Cohort.objects.filter(pk=cohort.pk).update(booked=F("booked") + 1)
        cohort.refresh_from_db()
    return placement


def move(cohort, actor, *, days=7, confirmed=(), **changes):
    values = {
        "opportunity": cohort.opportunity,
        "start_date": cohort.start_date + dt.timedelta(days=days),
        "end_date": cohort.end_date + dt.timedelta(days=days),
        "application_deadline": cohort.application_deadline,
        "capacity": cohort.capacity,
        **changes,
    }
    return cohort_update(actor=actor, cohort=cohort, confirmed=confirmed, **values)


def test_moving_dates_lists_every_student_with_a_current_placement_and_changes_nothing(coordinator, cohort, round_):
    held = [
        place(cohort, round_, status, name)
        for status, name in [
            (Status.MATCHED, "Mo"),
            (Status.OFFERED, "Olu"),
            (Status.ACCEPTED, "Ada"),
            (Status.CONFIRMED, "Cy"),
        ]
    ]
    place(cohort, round_, Status.DECLINED, "Dee", released=True)
    place(cohort, round_, Status.WITHDRAWN, "Wes", released=True)
    before = (cohort.start_date, cohort.end_date)

    with pytest.raises(ChangeNeedsConfirmation) as raised:
        move(Cohort.objects.get(pk=cohort.pk), coordinator)

    people = {(a.name, a.status) for a in raised.value.affected}
    assert people == {
        ("Mo Doe", "Matched: waiting for the host to approve"),
        ("Olu Doe", "Offered"),
        ("Ada Doe", "Accepted"),
        ("Cy Doe", "Confirmed"),
    }
    assert parse_confirmed(raised.value.token) == {p.pk for p in held}
    cohort.refresh_from_db()
    assert (cohort.start_date, cohort.end_date) == before
    assert not OutboundEmail.objects.filter(template=TEMPLATE).exists()


def test_confirmed_move_saves_keeps_the_places_and_emails_each_student_once(coordinator, cohort, round_):
    held = [place(cohort, round_, Status.CONFIRMED, "Cy"), place(cohort, round_, Status.OFFERED, "Olu")]
    old_start = cohort.start_date
    confirmed = {p.pk for p in held}

    move(Cohort.objects.get(pk=cohort.pk), coordinator, confirmed=confirmed)

    cohort.refresh_from_db()
    assert cohort.start_date == old_start + dt.timedelta(days=7)
    assert Placement.objects.filter(cohort=cohort, released_at__isnull=True).count() == 2
    emails = OutboundEmail.objects.filter(template=TEMPLATE).order_by("to_email")
    assert sorted(e.to_email for e in emails) == sorted(p.application.student.email for p in held)
    confirmed_email = emails.get(to_email=held[0].application.student.email)
    assert "New dates for your placement: Ward nurse" in confirmed_email.subject
    assert f"Old dates: {old_start:%A %-d %B}" in confirmed_email.body_text
    assert f"New dates: {cohort.start_date:%A %-d %B}" in confirmed_email.body_text
    assert "you can cancel your place" in confirmed_email.body_text
    offered_email = emails.get(to_email=held[1].application.student.email)
    assert "Accept or decline it by" in offered_email.body_text

    # Saving again with the same dates is not a change: nobody is asked or emailed twice.
    move(Cohort.objects.get(pk=cohort.pk), coordinator, days=0)
    assert OutboundEmail.objects.filter(template=TEMPLATE).count() == 2


def test_a_student_matched_after_the_list_was_shown_stops_the_change(coordinator, cohort, round_):
    shown = place(cohort, round_, Status.CONFIRMED, "Cy")
    late = place(cohort, round_, Status.MATCHED, "Lee")

    with pytest.raises(ChangeNeedsConfirmation) as raised:
        move(Cohort.objects.get(pk=cohort.pk), coordinator, confirmed={shown.pk})

    assert [a.placement_id for a in raised.value.affected if a.name == "Lee Doe"] == [late.pk]
    assert not OutboundEmail.objects.filter(template=TEMPLATE).exists()


def test_new_dates_outside_the_students_availability_are_flagged(coordinator, cohort, round_):
    place(cohort, round_, Status.ACCEPTED, "Ada", available_to=cohort.end_date)

    with pytest.raises(ChangeNeedsConfirmation) as raised:
        move(Cohort.objects.get(pk=cohort.pk), coordinator)

    assert "outside the dates they said they are free" in raised.value.affected[0].consequence


def test_changing_only_the_deadline_or_adding_places_asks_nobody(coordinator, cohort, round_):
    place(cohort, round_, Status.CONFIRMED, "Cy")

    move(
        Cohort.objects.get(pk=cohort.pk),
        coordinator,
        days=0,
        capacity=8,
        application_deadline=cohort.application_deadline - dt.timedelta(days=1),
    )

    cohort.refresh_from_db()
    assert cohort.capacity == 8
    assert not OutboundEmail.objects.filter(template=TEMPLATE).exists()


def test_a_cohort_cannot_leave_the_round_its_students_applied_in(coordinator, cohort, round_):
    place(cohort, round_, Status.CONFIRMED, "Cy")
    beyond = (round_.placements_to - cohort.end_date).days + 3

    with pytest.raises(ValidationError) as raised:
        move(Cohort.objects.get(pk=cohort.pk), coordinator, days=beyond, confirmed=parse_confirmed("1,2,3,4"))

    assert raised.value.message_dict["end_date"] == [
        f"These dates are outside {round_.name}, which this cohort belongs to: its placements run from "
        f"{round_.placements_from:%-d %B %Y} to {round_.placements_to:%-d %B %Y}. Choose dates in that window, "
        "or add new dates for another round."
    ]


def test_a_cohort_in_a_round_stays_in_it_even_with_nobody_placed(coordinator, cohort, round_):
    with pytest.raises(ValidationError) as raised:
        move(Cohort.objects.get(pk=cohort.pk), coordinator, days=-30)

    assert "start_date" in raised.value.message_dict


def test_new_dates_must_not_straddle_the_edge_of_a_round(round_):
    with pytest.raises(ValidationError) as raised:
        cohort_check_round(
            cohort_pk=None,
            start_date=round_.placements_to - dt.timedelta(days=1),
            end_date=round_.placements_to + dt.timedelta(days=3),
        )
    assert "run over the edge of" in raised.value.message_dict["end_date"][0]
    # Wholly outside any round (a later round not set up yet) is fine.
    cohort_check_round(
        cohort_pk=None,
        start_date=round_.placements_to + dt.timedelta(days=10),
        end_date=round_.placements_to + dt.timedelta(days=14),
    )


def test_weekly_cohorts_running_over_a_round_edge_are_refused(coordinator, cohort, round_):
    first = round_.placements_to - dt.timedelta(days=round_.placements_to.weekday() + 7)  # a Monday in the round

    with pytest.raises(ValidationError) as raised:
        opportunity_create_weekly_cohorts(
            actor=coordinator,
            opportunity=cohort.opportunity,
            first_start=first,
            last_start=first + dt.timedelta(weeks=2),
            length_days=5,
            places=2,
            deadline_days_before=14,
        )

    assert "run over the edge of" in raised.value.messages[0]
    assert Cohort.objects.filter(opportunity=cohort.opportunity).count() == 1


def test_places_never_go_below_booked_plus_unanswered_offers(coordinator, cohort, round_):
    place(cohort, round_, Status.ACCEPTED, "Ada")
    place(cohort, round_, Status.OFFERED, "Olu")
    place(cohort, round_, Status.OFFERED, "Oz")

    with pytest.raises(ValidationError) as raised:
        cohort_set_capacity(actor=coordinator, cohort=Cohort.objects.get(pk=cohort.pk), capacity=2)

    assert raised.value.message_dict["capacity"] == [
        "1 booked and 2 students have an offer they have not answered yet. Places cannot be fewer than 3 "
        "until they answer or their offers end."
    ]
    cohort_set_capacity(actor=coordinator, cohort=Cohort.objects.get(pk=cohort.pk), capacity=3)
    assert Cohort.objects.get(pk=cohort.pk).capacity == 3


def test_fewer_places_than_matches_waiting_asks_and_tells_the_matched_students(coordinator, cohort, round_):
    place(cohort, round_, Status.ACCEPTED, "Ada")
    matched = [place(cohort, round_, Status.MATCHED, "Mo"), place(cohort, round_, Status.MATCHED, "Mia")]

    with pytest.raises(ChangeNeedsConfirmation) as raised:
        move(Cohort.objects.get(pk=cohort.pk), coordinator, days=0, capacity=2)

    assert {a.name for a in raised.value.affected} == {"Mo Doe", "Mia Doe"}
    move(Cohort.objects.get(pk=cohort.pk), coordinator, days=0, capacity=2, confirmed={p.pk for p in matched})
    assert Cohort.objects.get(pk=cohort.pk).capacity == 2
    emails = OutboundEmail.objects.filter(template=TEMPLATE)
    assert sorted(e.to_email for e in emails) == sorted(p.application.student.email for p in matched)
    assert all(e.subject.endswith("Fewer places on Ward nurse") for e in emails)
    # Enough places for everyone matched: nobody to ask.
    move(Cohort.objects.get(pk=cohort.pk), coordinator, days=0, capacity=3)


def test_a_cohort_with_students_cannot_move_to_another_opportunity(coordinator, trust, cohort, round_):
    place(cohort, round_, Status.DECLINED, "Dee", released=True)
    other = factories.OpportunityFactory(site=cohort.opportunity.site)

    with pytest.raises(ValidationError) as raised:
        move(Cohort.objects.get(pk=cohort.pk), coordinator, days=0, opportunity=other)

    assert "cannot move to another opportunity" in raised.value.message_dict["opportunity"][0]


def test_closing_an_opportunity_asks_about_its_students_then_tells_each(coordinator, cohort, round_):
    held = [place(cohort, round_, Status.CONFIRMED, "Cy"), place(cohort, round_, Status.MATCHED, "Mo")]
    opportunity = cohort.opportunity

    with pytest.raises(ChangeNeedsConfirmation) as raised:
        opportunity_close(actor=coordinator, opportunity=opportunity)
    opportunity.refresh_from_db()
    assert opportunity.status == OpportunityStatus.PUBLISHED
    assert {a.status for a in raised.value.affected} == {"Confirmed", "Matched: waiting for the host to approve"}

    opportunity_close(actor=coordinator, opportunity=opportunity, confirmed={p.pk for p in held})

    opportunity.refresh_from_db()
    assert opportunity.status == OpportunityStatus.CLOSED
    emails = OutboundEmail.objects.filter(template=TEMPLATE)
    assert emails.count() == 2
    assert all("is closed to new applications" in e.subject for e in emails)
    assert Placement.objects.filter(released_at__isnull=True, cohort=cohort).count() == 2


def test_closing_an_opportunity_nobody_holds_needs_no_confirmation(coordinator, cohort):
    opportunity_close(actor=coordinator, opportunity=cohort.opportunity)
    assert cohort.opportunity.status == OpportunityStatus.CLOSED


def test_other_trust_coordinator_can_neither_move_nor_close(other_trust_coordinator, cohort, round_):
    place(cohort, round_, Status.CONFIRMED, "Cy")

    with pytest.raises(PermissionDenied):
        move(Cohort.objects.get(pk=cohort.pk), other_trust_coordinator, confirmed=parse_confirmed("1,2,3"))
    with pytest.raises(PermissionDenied):
        opportunity_close(actor=other_trust_coordinator, opportunity=cohort.opportunity)
    assert not OutboundEmail.objects.filter(template=TEMPLATE).exists()


@pytest.mark.parametrize("value", ["", None, "x,1,,2", "1;2", "９", "99999999999999999999999"])
def test_confirmation_tokens_never_fail(value):
    assert isinstance(parse_confirmed(value), frozenset)


def test_moving_an_opportunity_to_another_site_asks_then_tells_each_student(client, coordinator, cohort, round_):
    from tests.placements.test_cohort_change_pages import repost
    from tests.placements.test_coordinator_admin import admin_url, opportunity_form_data

    held = place(cohort, round_, Status.ACCEPTED, "Ada")
    opportunity = cohort.opportunity
    old_site = opportunity.site
    new_site = factories.SiteFactory(organisation=opportunity.organisation, name="Orpington Hospital")
    client.force_login(coordinator)
    url = admin_url("opportunity", "change", opportunity.pk)

    response = client.post(url, opportunity_form_data(opportunity, site=new_site.pk))

    assert "Check who this change affects" in response.content.decode()
    assert f"Move Ward nurse from {old_site.name} to Orpington Hospital" in response.content.decode()
    opportunity.refresh_from_db()
    assert opportunity.site == old_site

    assert repost(client, response).status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.site == new_site
    email = OutboundEmail.objects.get(template=TEMPLATE)
    assert email.to_email == held.application.student.email
    assert email.subject.endswith("Your placement has moved to Orpington Hospital: Ward nurse")
    assert f"Old site: {old_site.name}" in email.body_text
    assert "New site: Orpington Hospital\n1 Hospital Road" in email.body_text
    assert "your place is kept at the new site" in email.body_text


def test_a_cohort_already_over_a_round_edge_can_still_change_its_places(coordinator, cohort, round_):
    Cohort.objects.filter(pk=cohort.pk).update(end_date=round_.placements_to + dt.timedelta(days=2))

    move(
        Cohort.objects.get(pk=cohort.pk),
        coordinator,
        days=0,
        end_date=Cohort.objects.get(pk=cohort.pk).end_date,
        capacity=9,
    )

    assert Cohort.objects.get(pk=cohort.pk).capacity == 9
