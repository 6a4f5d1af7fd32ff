"""A past round at a scale planning reports can show, for ``seed_demo``: made the way real people make it.

The story of placements/demo_journeys.py puts one demo student in every status, which is right for each role's
pages but gives planning reports (insights/) nothing to show: every count there is of fewer than 5 people. So the
earlier demo round also has 60 applicants from both demo colleges, each applying through the application's own
forms (some answering the optional widening-participation questions), a guardian consenting for the under-18s,
the nightly matching run matching them, the hosts approving or declining, students accepting or declining, and
each place confirmed, attended and completed (or not attended), all on the dates they would have happened
(``demo_clock``). Nothing writes a status or a count itself, so the reports count what these people did.
"""

from datetime import timedelta

from placements.demo_clock import demo_clock
from placements.demo_journeys import Answers, Demo, _at
from placements.models import HostDeclineReason, Round
from placements.services import applications as application_services
from placements.services import offers, pre_placement, reminders
from placements.services.capacity import opportunity_create_weekly_cohorts
from placements.services.host_decisions import placement_approve, placement_decline
from placements.workflow import Status

FIRST_NAMES = (
    "Abi Adam Aisha Alex Amir Ana Ayo Bea Ben Bola Cara Chen Chloe Dami Dina Eli Ella Emre Esi Fatima Femi Finn "
    "Gabi Hamza Hugo Ife Iman Isla Jada Jay Jon Kai Kemi Kofi Lara Leo Lina Luca Maya Milo Nadia Nia Noah Olu Omar "
    "Priya Rahul Rosa Ruby Sami Sara Tariq Tia Tomas Vera Yara Yusuf Zain Zara Zoe"
).split()
assert len(FIRST_NAMES) == 60 and len(set(FIRST_NAMES)) == 60

# (opportunity title, host's coordinator ("trust" or "care"), profession area, weekly cohorts, places each, days)
HISTORY_PLACES = (
    ("Healthcare support on an elderly care ward", "trust", "nursing", 4, 4, 5),
    ("Hospital pharmacy placement", "trust", "pharmacy", 2, 3, 3),
    ("Physiotherapy work experience", "trust", "allied_health", 2, 3, 5),
    ("Junior doctor insight day", "trust", "medicine", 1, 12, 1),
    ("Careers in social care insight day", "care", "social_care", 1, 12, 1),
)
AGES = (16, 17, 17, 18, 16, 19, 17, 22)


def _widening(index: int) -> dict[str, str]:
    """Optional answers: most answer, some leave the page blank; about a third have at least one factor."""
    if index % 6 == 5:
        return {}
    answers = dict.fromkeys(
        ("free_school_meals", "care_experienced", "young_carer", "first_in_family", "disability"), "no"
    )
    if index % 3 == 0:
        answers["free_school_meals"] = "yes"
    if index % 5 == 0:
        answers["young_carer"] = "yes"
    if index % 4 == 1:
        answers["first_in_family"] = "yes"
    if index % 11 == 2:
        answers["care_experienced"] = "yes"
    if index % 13 == 3:
        answers["disability"] = "prefer_not_to_say"
    return answers


def seed_history(demo: Demo, earlier: Round) -> int:
    """Sixty applicants of the earlier round, from application to completion. Returns how many applied."""
    hosts = {"trust": demo.trust, "care": demo.care}
    first_week = earlier.placements_from + timedelta(weeks=3)
    with demo_clock(_at(earlier.applications_open_on, 9)):
        for title, host, _area, weeks, places, days in HISTORY_PLACES:
            opportunity_create_weekly_cohorts(
                actor=hosts[host],
                opportunity=demo.opportunity(title),
                first_start=first_week,
                last_start=first_week + timedelta(weeks=weeks - 1),
                length_days=days,
                places=places,
                deadline_days_before=14,
            )

    names = []
    for index, first_name in enumerate(FIRST_NAMES):
        college = "college_a" if index % 2 == 0 else "college_b"
        demo.students[first_name] = demo._student(f"history.{index + 1:02d}@demo.test", first_name, college, None)
        title, _host, area, *_ = HISTORY_PLACES[index % len(HISTORY_PLACES)]
        age = AGES[index % len(AGES)]
        answers = Answers(
            [title],
            earlier.placements_from,
            earlier.placements_to,
            age=age,
            areas=[area],
            widening=_widening(index),
        )
        applied_on = earlier.applications_open_on + timedelta(days=3 + index % 20)
        demo.apply(first_name, answers, _at(applied_on, 16, index % 60), round_=earlier)
        if age < 18:
            demo.consent(first_name, _at(applied_on + timedelta(days=1), 19, index % 60), round_=earlier)
        names.append(first_name)

    # One in fifteen changes their mind before matching.
    withdrawn = {name for index, name in enumerate(names) if index % 15 == 14}
    with demo_clock(_at(earlier.matching_on - timedelta(days=1), 20)):
        for name in withdrawn:
            application_services.application_withdraw(
                actor=demo.students[name],
                application=demo.application(name, earlier),
                reason="I have a part-time job on those days now",
            )
    demo.nightly_run(_at(earlier.matching_on, 22), round_=earlier)

    decide = _at(earlier.matching_on + timedelta(days=2), 10)
    for index, name in enumerate(names):
        application = demo.application(name, earlier)
        if application.status != Status.MATCHED:
            continue
        placement = offers.current_placement(application)
        host = demo.trust if placement.cohort.opportunity.organisation_id == demo.trust.organisation_id else demo.care
        with demo_clock(decide + timedelta(minutes=index)):
            if index % 10 == 9:
                placement_decline(actor=host, placement=placement, reason=HostDeclineReason.DATES_UNAVAILABLE)
                demo.run_backfills()
            else:
                placement_approve(actor=host, placement=placement)

    respond = _at(earlier.matching_on + timedelta(days=4), 18)
    for index, name in enumerate(names):
        application = demo.application(name, earlier)
        if application.status != Status.OFFERED:
            continue
        with demo_clock(respond + timedelta(minutes=index)):
            if index % 7 == 6:
                offers.offer_decline(
                    actor=demo.students[name], application=application, reason="I got a place somewhere else"
                )
                continue
            offers.offer_accept(
                actor=demo.students[name],
                application=application,
                emergency_contact_name="Pat Demo",
                emergency_contact_phone="07700 900000",
            )
        placement = offers.current_placement(application)
        host = demo.trust if placement.cohort.opportunity.organisation_id == demo.trust.organisation_id else demo.care
        with demo_clock(respond + timedelta(days=3, minutes=index)):
            pre_placement.placement_update_checks(
                actor=host,
                placement=placement,
                ticked=set(pre_placement.required_items(placement)),
                joining_instructions="Main reception at 8:45am.",
            )
            pre_placement.placement_confirm(actor=host, placement=placement)
        attended = index % 8 != 7
        with demo_clock(_at(placement.cohort.start_date, 9, 30)):
            pre_placement.placement_record_attendance(actor=host, placement=placement, attended=attended)
        if attended:
            with demo_clock(_at(placement.cohort.end_date, 16)):
                pre_placement.placement_complete(actor=host, placement=placement, feedback="Reliable and curious.")

    with demo_clock(_at(earlier.outcomes_by, 9, 30)):
        reminders.round_send_outcomes(round_=earlier)
    return len(names)
