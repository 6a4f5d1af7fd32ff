"""The employer's digital skills dashboard: own organisation only, small numbers never shown, no one's answers."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from skills.dashboard import Quarter, dashboard_for
from skills.models import Assessment, Response, Statement
from tests import factories
from tests.skills.dashboard.conftest import BEFORE, KEYS, NOW, sitting, staff
from training.services.sessions import session_create

pytestmark = pytest.mark.django_db
URL = reverse("skills:employer-dashboard")
COUNT = re.compile(r"data-count>([^<]*)<")


def counts_on(page: str) -> list[str]:
    return COUNT.findall(page)


def assert_no_small_number(page: str) -> None:
    figures = counts_on(page)
    assert figures
    for text in figures:
        assert text in ("fewer than 5", "hidden") or text == "0" or int(text) >= 5, text


@pytest.mark.parametrize("visitor", ["college_coordinator", "staff_member", "partner", "student", "tutor"])
def test_everyone_but_an_employers_coordinator_gets_404(client, request, visitor):
    client.force_login(request.getfixturevalue(visitor))
    assert client.get(URL).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response.url


def test_another_employers_coordinator_sees_only_their_own_figures(
    client, coordinator, other_trust_coordinator, trust, v1
):
    for person in staff(trust, 6):
        sitting(person, v1, team="Ward Secret")
    client.force_login(other_trust_coordinator)
    page = client.get(URL).content.decode()
    assert "Ward Secret" not in page and "has sent a self-assessment yet" in page
    client.force_login(coordinator)
    assert "Ward Secret" in client.get(URL).content.decode()


def test_a_care_providers_coordinator_reads_their_own_dashboard(client, care_provider_coordinator):
    client.force_login(care_provider_coordinator)
    response = client.get(URL)
    assert response.status_code == 200 and "Digital skills of your staff" in response.content.decode()


def test_one_person_completed_shows_fewer_than_5_everywhere_and_not_their_levels(client, coordinator, trust, v1):
    (person,) = staff(trust, 1)
    sitting(person, v1, levels=dict(zip(KEYS, [4, 0, 3, 1, 2, 0], strict=True)), team="Ward 9")
    client.force_login(coordinator)
    page = client.get(URL).content.decode()
    figures = counts_on(page)
    assert figures and set(figures) <= {"fewer than 5", "0"}
    # Every line about the one person reads "fewer than 5": no 0 beside them says where they are.
    for summary in dashboard_for(trust).summaries:
        assert {cell.text for cell in summary.all_staff.cells} == {"fewer than 5"}
    assert "Ward 9" not in page and person.first_name not in page
    assert "Shared with you" in page and "No one has shared their result" in page


def test_no_count_of_1_to_4_is_shown_with_mixed_groups(client, coordinator, trust, v1):
    people = staff(trust, 23)
    groups = ["nurses_midwives"] * 12 + ["admin_clerical"] * 8 + ["doctors"] * 3
    teams = ["Ward 7"] * 10 + ["ward 7 "] * 2 + ["Outpatients"] * 6 + ["Pharmacy"] * 5
    for n, (person, group, team) in enumerate(zip(people, groups, teams, strict=True)):
        levels = {key: (n + i) % 5 for i, key in enumerate(KEYS)}
        sitting(person, v1, levels=levels, group=group, team=team)
    client.force_login(coordinator)
    page = client.get(URL).content.decode()
    assert_no_small_number(page)
    assert "Smaller groups combined" in page  # doctors (3) are not named on their own
    assert "Ward 7" in page and "ward 7" not in page  # one team, however it was typed
    board = dashboard_for(trust)
    assert board.completed.text == "23"
    ward = next(row for row in board.by_team[0].rows if row.label.casefold() == "ward 7")
    assert ward.total.text == "12"


def test_a_persons_result_shows_only_when_they_share_it(client, coordinator, trust, v1):
    people = staff(trust, 6)
    for person in people[:5]:
        sitting(person, v1)
    sitting(people[5], v1, shared=True, levels=dict.fromkeys(KEYS, 3))
    client.force_login(coordinator)
    page = client.get(URL).content.decode()
    assert page.count("data-shared") == 1
    assert people[5].get_full_name() in page
    for person in people[:5]:
        assert person.get_full_name() not in page


def test_change_since_the_previous_quarter(trust, v1):
    people = staff(trust, 20)
    # Before: 10 people, 5 at level 1 and 5 at level 3 in identity (50%).
    for n, person in enumerate(people[:10]):
        sitting(person, v1, when=BEFORE, levels=dict.fromkeys(KEYS, 1 if n < 5 else 3))
    # Now: 20 people, 15 at level 2 or above in identity (75%); the same people count once, latest sitting.
    for n, person in enumerate(people):
        sitting(person, v1, when=NOW, levels=dict.fromkeys(KEYS, 0 if n < 5 else 2))
    sitting(people[0], v1, when=NOW - timedelta(days=3), levels=dict.fromkeys(KEYS, 4))  # earlier the same quarter
    board = dashboard_for(trust)
    assert board.period == Quarter(2026, 2) and board.previous == Quarter(2026, 1)
    identity = board.summaries[0]
    assert (identity.share_before, identity.share_now, identity.change) == (50, 75, 25)
    assert board.completed.text == "20"
    assert [q.key for q in board.quarters] == ["2026-Q2", "2026-Q1"]
    earlier = dashboard_for(trust, period=Quarter(2026, 1))
    assert earlier.completed.text == "10" and earlier.summaries[0].share_now == 50


def test_a_share_that_would_say_fewer_than_5_people_is_not_shown(trust, v1):
    for n, person in enumerate(staff(trust, 10)):
        sitting(person, v1, levels=dict.fromkeys(KEYS, 3 if n < 3 else 0))
    assert dashboard_for(trust).summaries[0].share_now is None


@pytest.mark.parametrize(
    "period", ["2026-Q9", "junk", "9999-Q1", "2026-Q1'--", "", "%00", "2026-Q1" * 200, "1999-Q4", "2030-Q1"]
)
def test_a_hostile_period_never_breaks_the_page(client, coordinator, trust, v1, period):
    for person in staff(trust, 5):
        sitting(person, v1)
    client.force_login(coordinator)
    response = client.get(URL, {"period": period})
    assert response.status_code == 200
    client.get(URL + "?period=2026-Q1&period=x")  # a repeated parameter is no problem either


def test_an_empty_quarter_can_be_chosen(client, coordinator, trust, v1):
    for person in staff(trust, 5):
        sitting(person, v1)
    client.force_login(coordinator)
    page = client.get(URL, {"period": "2025-Q3"}).content.decode()
    assert "July to September 2025" in page


def test_invited_started_and_completed(client, coordinator, other_trust, trust, v1):
    from accounts.models import Invitation

    def invite(email, organisation, **extra):
        Invitation.objects.create(
            email=email,
            organisation=organisation,
            role="staff",
            token_hash=Invitation.hash_token(email + str(organisation.pk) + str(extra)),
            expires_at=timezone.now() + timedelta(days=7),
            **extra,
        )

    for n in range(8):
        invite(f"Person{n}@example.test", trust)
    invite("person0@EXAMPLE.test", trust, revoked_at=None, created_at=timezone.now())  # sent twice: one person
    invite("gone@example.test", trust, revoked_at=timezone.now())
    invite("elsewhere@example.test", other_trust)
    people = staff(trust, 7)
    for person in people[:6]:
        sitting(person, v1)
    Assessment.objects.create(person=people[6], framework_version=v1)  # started, not sent
    board = dashboard_for(trust)
    assert (board.invited.text, board.started.text, board.completed.text) == ("8", "7", "6")
    assert board.completion_rate == "75%"
    client.force_login(coordinator)
    assert "75% of staff invited" in client.get(URL).content.decode()


def test_learning_follows_the_largest_gaps(client, coordinator, trust, v1, college_coordinator, room, digital_entry):
    entry = digital_entry
    start = timezone.now() + timedelta(days=30)
    session = session_create(
        actor=college_coordinator,
        entry=entry,
        room=room,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        facilitators=[],
        seats=8,
        booking_cutoff=start - timedelta(days=2),
    )
    people = staff(trust, 20)
    for n, person in enumerate(people):
        levels = dict.fromkeys(KEYS, 3) | {"technical": 0 if n < 10 else 2}
        sitting(person, v1, levels=levels, group="admin_clerical" if n < 10 else "nurses_midwives", when=timezone.now())
    client.force_login(coordinator)
    page = client.get(URL).content.decode()
    board = dashboard_for(trust)
    assert board.gaps[0].domain.key == "technical"
    assert board.gaps[0].weakest_groups[0] == "Admin and clerical"
    assert reverse("training:booking-create", args=[session.pk]) in page
    assert reverse("training:session-detail", args=[session.pk]) in page


def test_the_page_reads_a_bounded_number_of_queries_at_50000_responses(
    client, coordinator, trust, v1, django_assert_max_num_queries
):
    people = [factories.StaffMemberFactory.build(email=f"p{n}@example.test", organisation=trust) for n in range(3000)]
    from accounts.models import User

    for person in people:
        person.organisation_kind = trust.kind
    User.objects.bulk_create(people, batch_size=500)
    people = list(User.objects.filter(organisation=trust, role="staff").order_by("pk"))
    groups = ["nurses_midwives", "admin_clerical", "doctors", "managers", "other"]
    assessments = Assessment.objects.bulk_create(
        [
            Assessment(
                person=person,
                framework_version=v1,
                submitted_at=NOW if n % 3 else BEFORE,
                staff_group=groups[n % 5],
                department=f"Team {n % 40}",
                department_key=f"team {n % 40}",
                levels={key: (n + i) % 5 for i, key in enumerate(KEYS)},
            )
            for n, person in enumerate(people)
        ],
        batch_size=500,
    )
    statements = list(Statement.objects.filter(domain__framework_version=v1).order_by("pk")[:17])
    Response.objects.bulk_create(
        [Response(assessment=a, statement=s, answer="with_help") for a in assessments for s in statements],
        batch_size=2000,
    )
    assert Response.objects.count() >= 50_000
    client.force_login(coordinator)
    client.get(URL)  # warm the session and the framework caches
    with django_assert_max_num_queries(14) as queries:
        response = client.get(URL)
    print(f"dashboard at 50,000 responses: {len(queries)} queries")
    assert response.status_code == 200
    assert_no_small_number(response.content.decode())
