"""The students' five questions are the short form of the framework: same domain keys, same scoring rule."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from placements import digital_skills
from skills import scoring, student_check
from skills.models import Domain, FrameworkVersion, Statement
from tests import factories


def test_every_student_question_and_answer_is_mapped():
    assert {q.key for q in student_check.SHORT_FORM} == {s.key for s in digital_skills.SKILLS}
    assert set(student_check.STAFF_ANSWER) == {value for value, _ in digital_skills.LEVELS}


@pytest.mark.django_db
def test_the_mapping_names_domains_and_level_1_statements_of_every_framework_version():
    for version in FrameworkVersion.objects.all():
        keys = set(Domain.objects.filter(framework_version=version).values_list("key", flat=True))
        assert keys == set(student_check.DOMAIN_KEYS)
        for question in student_check.SHORT_FORM:
            statement = Statement.objects.get(domain__framework_version=version, key=question.statement)
            assert (statement.domain.key, statement.level) == (question.domain, question.level)


def test_a_student_is_at_level_1_where_every_question_of_the_domain_is_a_yes():
    answers = {"email": "confident", "video_call": "not_yet", "health_information": "some_help", "data_safety": ""}
    assert student_check.student_levels(answers) == {
        "identity": 0,  # unanswered counts as not yet
        "communication": 0,  # one of its two questions is "not yet"
        "learning": None,  # not asked of students
        "technical": 0,
        "information": 1,
        "creation": None,
    }


@given(
    st.dictionaries(
        st.sampled_from([s.key for s in digital_skills.SKILLS]),
        st.sampled_from(["confident", "some_help", "not_yet", "", "junk"]),
    )
)
def test_student_levels_follow_the_staff_scoring_rule(answers):
    levels = student_check.student_levels(answers)
    for domain in student_check.DOMAINS_ASKED:
        questions = [q for q in student_check.SHORT_FORM if q.domain == domain]
        can = all(student_check.STAFF_ANSWER.get(answers.get(q.key)) in scoring.CAN_DO for q in questions)
        assert levels[domain] == (1 if can else 0)
    assert all(levels[key] is None for key in set(student_check.DOMAIN_KEYS) - set(student_check.DOMAINS_ASKED))


@pytest.mark.django_db
def test_students_are_counted_per_domain_from_their_latest_sent_application(college):
    from django.utils import timezone

    from placements.models import Application

    round_ = factories.RoundFactory()
    yes = dict.fromkeys([s.key for s in digital_skills.SKILLS], "confident")
    for n in range(3):
        Application.objects.create(
            student=factories.StudentFactory(organisation=college),
            round=round_,
            college=college,
            digital_skills=yes if n else {"email": "not_yet"},
            submitted_at=timezone.now(),
        )
    draft = factories.StudentFactory(organisation=college)
    Application.objects.create(student=draft, round=round_, college=college, digital_skills=yes)  # not counted
    counts = student_check.students_level_counts(college_id=college.pk)
    assert counts["communication"] == {1: 2, 0: 1}
    assert counts["learning"] == {}
    assert sum(student_check.students_level_counts()["identity"].values()) == 3
