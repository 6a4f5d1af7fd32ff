"""The digital-skills theme: levels per domain worked out by hand on a small May 2026 (staff of an NHS trust and a
care provider, college students on the same scale), a person counted once with their latest check, suppression
across every table of the page, the CSV is the table, bounded queries, hostile filters."""

import csv
import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from insights import skills_figures
from insights.models import Snapshot
from insights.selectors.skills_facts import skills_facts
from insights.services.snapshots import snapshot_take_monthly
from placements.models import Application
from placements.workflow import Status
from skills.framework import framework_files, framework_load
from skills.models import Assessment, FrameworkVersion
from skills.selectors import domains_of
from skills.services import assessment_about_work, assessment_answer_domain, assessment_start, assessment_submit
from tests import factories
from tests.insights.conftest import application, past_round
from tests.insights.test_training_theme import HOSTILE, cells_of, text_of

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
MAY = "month:2026-05"
YEAR = "year:2025"
KEYS = ("identity", "communication", "learning", "technical", "information", "creation")
ASKED = ("identity", "communication", "technical", "information")


def sitting(person, when, levels, group):
    """A submitted sitting with its levels cached, as ``assessment_submit`` leaves it."""
    return Assessment.objects.create(
        person=person,
        framework_version=FrameworkVersion.objects.get(version=1),
        submitted_at=when,
        staff_group=group,
        levels=levels,
    )


def everywhere(level, **overrides):
    return {key: overrides.get(key, level) for key in KEYS}


@pytest.fixture
def may():
    return build_may()


def build_may():
    """May 2026 (academic year 2025 to 2026).

    Lambeth Trust (NHS): 10 nurses and 2 admin staff. 7 nurses are at level 2 in every domain; one of them checked
    earlier in May at level 0 and again on 20 May (the latest counts, once), another checked in February too (the
    year counts her once). 3 nurses and the 2 admin staff are at level 1 everywhere.
    Lewisham Care (care provider): 10 care workers at level 1 everywhere, except 2 of them starting out in identity.
    Greenwich College: 6 students sent the check with an application on 12 May: 4 "I can do this" to everything
    (level 1 in the four domains asked), 2 "Not yet" to email (starting out in communication, level 1 elsewhere).
    Learning and creation are not asked of students.
    """
    # Migration 0002 loads the framework; a database flushed since (a browser test's live server) has none.
    for path in framework_files():
        framework_load(path)
    trust = factories.OrganisationFactory(name="Lambeth Trust", borough="Lambeth")
    care = factories.CareProviderFactory(name="Lewisham Care", borough="Lewisham")

    def people(prefix, employer, count):
        return [
            factories.StaffMemberFactory(email=f"{prefix}{n}@skills.test", organisation=employer) for n in range(count)
        ]

    nurses, admins, carers = people("nurse", trust, 10), people("admin", trust, 2), people("carer", care, 10)
    may_20 = datetime(2026, 5, 20, 10, tzinfo=LONDON)
    sitting(nurses[0], datetime(2026, 5, 2, 10, tzinfo=LONDON), everywhere(0), "nurses_midwives")
    sitting(nurses[1], datetime(2026, 2, 2, 10, tzinfo=LONDON), everywhere(0), "nurses_midwives")
    for nurse in nurses[:7]:
        sitting(nurse, may_20, everywhere(2), "nurses_midwives")
    for nurse in nurses[7:]:
        sitting(nurse, may_20, everywhere(1), "nurses_midwives")
    for admin in admins:
        sitting(admin, may_20, everywhere(1), "admin_clerical")
    for n, carer in enumerate(carers):
        sitting(carer, may_20, everywhere(1, identity=0) if n < 2 else everywhere(1), "social_care")
    college = factories.CollegeFactory(name="Greenwich College", borough="Greenwich")
    round_ = past_round()
    confident = dict.fromkeys(("email", "video_call", "health_information", "online_forms", "data_safety"), "confident")
    for n in range(6):
        app = application(round_, Status.SUBMITTED, college, ["nursing"])
        answers = confident | ({"email": "not_yet"} if n < 2 else {})
        Application.objects.filter(pk=app.pk).update(
            digital_skills=answers, submitted_at=datetime(2026, 5, 12, 9, tzinfo=LONDON)
        )


# The same May by hand: [starting out, level 1, 2, 3, 4] per group, per domain.
NHS, CARE, STUDENTS = "NHS trust staff", "Social-care provider staff", "College students"
NURSES, ADMIN, CARERS = "Nurses and midwives", "Admin and clerical", "Care workers and support workers (social care)"
BY_HAND = {
    "employer_kind": {
        key: {
            NHS: [0, 5, 7, 0, 0],
            CARE: [2, 8, 0, 0, 0] if key == "identity" else [0, 10, 0, 0, 0],
            **({STUDENTS: [2, 4, 0, 0, 0] if key == "communication" else [0, 6, 0, 0, 0]} if key in ASKED else {}),
        }
        for key in KEYS
    },
    "staff_group": {
        key: {
            NURSES: [0, 3, 7, 0, 0],
            CARERS: [2, 8, 0, 0, 0] if key == "identity" else [0, 10, 0, 0, 0],
            ADMIN: [0, 2, 0, 0, 0],
            **({STUDENTS: [2, 4, 0, 0, 0] if key == "communication" else [0, 6, 0, 0, 0]} if key in ASKED else {}),
        }
        for key in KEYS
    },
}


def agrees(cell: str, count: int) -> bool:
    """A cell as shown agrees with the count worked out by hand: the count itself, or the right kind of hidden."""
    if cell == "fewer than 5":
        return 0 <= count < 5
    if cell == "hidden":
        return count >= 5
    return cell == str(count)


@pytest.fixture
def snapshot(may):
    return snapshot_take_monthly()


def _csv(client, table, **query):
    response = client.get(reverse("insights:skills-csv", args=[table]), query)
    assert response.status_code == 200, table
    return list(csv.reader(io.StringIO(text_of(response))))


def test_the_document_counts_may_by_hand(may):
    periods, document = skills_figures.skills_document(**skills_facts())
    assert [p.key for p in periods] == [YEAR, "month:2026-05", "month:2026-02"]
    # The nurse's earlier level-0 check in May does not count; students are not in learning and creation.
    assert document["levels"][MAY] == BY_HAND
    assert document["people"][MAY] == {
        "employer_kind": {NHS: 12, CARE: 10, STUDENTS: 6},
        "staff_group": {NURSES: 10, ADMIN: 2, CARERS: 10, STUDENTS: 6},
    }
    # Checks completed: the nurse's two May checks count twice; the year has the February one too.
    assert document["sittings"][MAY]["employer_kind"] == {NHS: 13, CARE: 10, STUDENTS: 6}
    assert document["sittings"][YEAR]["employer_kind"][NHS] == 14
    # The year counts each person once, with their latest check: the same people as May.
    assert document["levels"][YEAR] == BY_HAND
    assert document["people"]["month:2026-02"]["employer_kind"] == {NHS: 1}


@pytest.mark.parametrize("breakdown", ["employer_kind", "staff_group"])
def test_every_shown_figure_is_the_hand_counted_one(client, partner, snapshot, breakdown):
    client.force_login(partner)
    for key in KEYS:
        rows = _csv(client, key, period=MAY, breakdown=breakdown)
        assert (
            rows[0][1:3] == ["People", "Starting out (not yet level 1)"] and rows[0][-1] == "Share at level 1 or above"
        )
        by_hand = BY_HAND[breakdown][key]
        assert [row[0] for row in rows[1:-1]] == list(by_hand)  # the fixed order: kinds, then staff groups, students
        every = [sum(column) for column in zip(*by_hand.values(), strict=True)]
        for row in rows[1:]:
            counts = every if row[0] == "All people" else by_hand[row[0]]
            assert agrees(row[1], sum(counts)), (key, row)
            for cell, count in zip(row[2:7], counts, strict=True):
                assert agrees(cell, count), (key, row)
        assert rows[-1][0] == "All people" and rows[-1][1] == str(sum(every))  # 28, or 22 without the students
    # Learning: every one of the 22 staff is at level 1 or above, and nobody is starting out: 100%.
    assert _csv(client, "learning", period=MAY, breakdown=breakdown)[-1][-1] == "100%"
    overview = _csv(client, "domains", period=MAY, breakdown=breakdown)
    assert overview[0] == [
        "Domain",
        "People",
        "Starting out (not yet level 1)",
        "At level 1 or above",
        "Share at level 1 or above",
    ]
    assert [row[1] for row in overview[1:]] == ["28", "28", "22", "28", "28", "22"]
    assert overview[3][1:] == ["22", "0", "22", "100%"]
    # Identity: 2 care workers are starting out, so that figure and the share are not shown.
    assert overview[1][2:] == ["fewer than 5", "not shown", "not shown"]


def test_the_people_table_by_hand(client, partner, snapshot):
    client.force_login(partner)
    by_kind = _csv(client, "people", period=MAY, breakdown="employer_kind")
    assert by_kind[0] == [
        "Kind of employer (or college students)",
        "People counted (latest check in the period)",
        "Checks completed",
    ]
    # 12 NHS staff (13 checks: one nurse checked twice), 10 care workers, 6 students: 28 people, 29 checks. The 2 admin
    # staff are hidden under staff group, and so is a second group, so that 28 minus the rest cannot give them: the
    # students' 6 is hidden under both breakdowns (it is the same figure), and with it the checks beside it.
    hand = {NHS: (12, 13), CARE: (10, 10), STUDENTS: (6, 6), "All people": (28, 29)}
    for label, people, checks in by_kind[1:-1]:
        assert agrees(people, hand[label][0]) and checks in (str(hand[label][1]), "not shown"), label
        assert (people == "hidden") == (checks == "not shown"), label
    # The total of checks only when every group's is shown (else the total minus the others gives a hidden one).
    every_shown = all(row[1] != "hidden" for row in by_kind[1:-1])
    assert by_kind[-1] == ["All people", "28", "29" if every_shown else "not shown"]
    by_group = {row[0]: row[1:] for row in _csv(client, "people", period=MAY, breakdown="staff_group")[1:]}
    assert by_group[ADMIN] == ["fewer than 5", "not shown"]
    assert by_group["All people"][0] == "28"


def test_no_figure_of_1_to_4_and_every_shared_figure_is_hidden_alike(client, partner, snapshot):
    client.force_login(partner)
    tables = ("domains", "people", *KEYS)
    for period in (MAY, YEAR, "month:2026-02"):
        seen: dict[tuple, set] = {}
        for breakdown in ("employer_kind", "staff_group"):
            query = {"period": period, "breakdown": breakdown}
            page = client.get(reverse("insights:skills"), query)
            assert page.status_code == 200
            small = [cell for cell in cells_of(page) if cell in {"1", "2", "3", "4"}]
            assert not small, (period, breakdown, small)
            for table in tables:
                rows = _csv(client, table, **query)
                assert not [cell for row in rows for cell in row if cell in {"1", "2", "3", "4"}], (table, rows)
                # College students are the same row under both breakdowns, and so is the "All people" line.
                for row in rows[1:]:
                    if row[0] in ("College students", "All people"):
                        seen.setdefault((table, row[0]), set()).add(tuple(row[1:]))
        for where, versions in seen.items():
            assert len(versions) == 1, (period, where, versions)
    # February: one nurse. Her count is hidden everywhere; no share is given.
    february = _csv(client, "people", period="month:2026-02", breakdown="staff_group")
    assert february[1:] == [
        ["Nurses and midwives", "fewer than 5", "not shown"],
        ["All people", "fewer than 5", "not shown"],
    ]
    identity = _csv(client, "identity", period="month:2026-02", breakdown="staff_group")
    # Her line's total reads "fewer than 5", so its zeros do too: nobody learns at which level she is.
    assert identity[1][1:] == ["fewer than 5"] * 6 + ["not shown"]


def test_the_csv_is_the_table_on_the_page(client, partner, snapshot):
    client.force_login(partner)
    query = {"period": YEAR, "breakdown": "staff_group"}
    page = client.get(reverse("insights:skills"), query)
    cells = cells_of(page)
    text = text_of(page)
    for table in ("domains", "people", *KEYS):
        rows = _csv(client, table, **query)
        for row in rows:
            for cell in row:
                assert cell in cells, (table, cell)
        assert f'href="{reverse("insights:skills-csv", args=[table])}?' in text
    assert "28 people counted." in text and "<svg" in text
    # Identity and communication hide their starting-out figure (2 people), so they give no share.
    assert "is 100% in every domain shown. 2 domains are not shown as a share" in text


def test_a_check_sent_through_the_skills_service_counts_in_its_month(client, partner, db):
    nurse = factories.StaffMemberFactory(email="nurse@example.test", organisation=factories.OrganisationFactory())
    assessment = assessment_start(actor=nurse)
    for domain in domains_of(assessment.framework_version):
        answers = {statement.pk: "confidently" for statement in domain.statements.all()}
        assessment_answer_domain(actor=nurse, assessment=assessment, domain=domain, answers=answers)
    assessment_about_work(actor=nurse, assessment=assessment, staff_group="nurses_midwives", department="Ward 7")
    assessment_submit(actor=nurse, assessment=assessment)
    periods, document = skills_figures.skills_document(**skills_facts())
    month = f"month:{timezone.localdate():%Y-%m}"
    assert document["levels"][month]["staff_group"]["identity"] == {"Nurses and midwives": [0, 0, 0, 0, 1]}


def test_unknown_tables_404_and_hostile_filters_are_200(client, partner, snapshot):
    client.force_login(partner)
    for table in ("passwords", "levels", "answers"):
        assert client.get(reverse("insights:skills-csv", args=[table])).status_code == 404
    for query in HOSTILE:
        for url in (reverse("insights:skills"), reverse("insights:skills-csv", args=["identity"])):
            response = client.get(url, query)
            assert response.status_code == 200, (url, query)
            assert "<script>alert" not in text_of(response)


def test_without_a_snapshot_the_page_says_so(client, partner, db):
    client.force_login(partner)
    assert "There are no figures yet" in client.get(reverse("insights:skills")).content.decode()
    assert client.get(reverse("insights:skills-csv", args=["domains"])).status_code == 404


def test_the_page_answers_in_a_bounded_number_of_queries(client, partner, snapshot, django_assert_max_num_queries):
    for _ in range(30):
        # Older snapshots with no documents: the page still reads the newest, in the same number of queries.
        Snapshot.objects.create(
            kind="on_demand", status="succeeded", taken_at=snapshot.taken_at - timedelta(days=1), periods=[]
        )
    client.force_login(partner)
    client.get(reverse("insights:skills"))
    for url in (reverse("insights:skills"), reverse("insights:skills-csv", args=["identity"])):
        with django_assert_max_num_queries(8):
            response = client.get(url, {"breakdown": "staff_group"})
        assert response.status_code == 200 and "Nurses and midwives" in text_of(response)


def test_the_snapshot_reads_skills_in_a_few_queries(may, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        skills_figures.skills_document(**skills_facts())
