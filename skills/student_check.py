"""The students' five-question digital skills check (placements/digital_skills.py) as the short form of the framework.

Each student question is a level-1 question of one framework domain (by its key, which every version keeps), and
the students' three answers are the staff answers they mean, so a student's answers are scored by the same rule
(skills/scoring.py) and counted on the same scale as staff: per domain, level 1 when every level-1 question of
that domain was "I can do this" or "With some help", else 0 ("Starting out"); ``None`` for a domain the short
form does not ask about. Placements never imports skills: skills reads the answers through
``placements.selectors.applications.digital_skills_answers`` (ADR 0018).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from skills import scoring

STAFF_ANSWER = {"confident": "confidently", "some_help": "with_help", "not_yet": "not_yet"}


@dataclass(frozen=True)
class ShortFormQuestion:
    key: str  # placements.digital_skills.Skill.key
    domain: str  # skills Domain.key
    level: int
    statement: str  # the nearest staff statement's key in framework v1, for reading the two side by side


SHORT_FORM = (
    ShortFormQuestion("email", "communication", 1, "email"),
    ShortFormQuestion("video_call", "communication", 1, "video-call"),
    ShortFormQuestion("health_information", "information", 1, "trusted-sources"),
    ShortFormQuestion("online_forms", "technical", 1, "type-and-save"),
    ShortFormQuestion("data_safety", "identity", 1, "passwords"),
)
# Domains the short form asks about; "learning" and "creation" are not asked of students.
DOMAINS_ASKED = tuple(dict.fromkeys(q.domain for q in SHORT_FORM))
DOMAIN_KEYS = ("identity", "communication", "learning", "technical", "information", "creation")


def student_levels(answers: dict) -> dict[str, int | None]:
    """domain key -> level (0 or 1), or None where the short form does not ask, from one student's answers."""
    answers = answers or {}
    levels: dict[str, int | None] = dict.fromkeys(DOMAIN_KEYS)
    for domain in DOMAINS_ASKED:
        scored = [
            scoring.StatementAnswer(q.key, q.level, STAFF_ANSWER.get(answers.get(q.key)))
            for q in SHORT_FORM
            if q.domain == domain
        ]
        levels[domain] = scoring.domain_level(scored)
    return levels


def student_level_counts(answer_sets) -> dict[str, Counter]:
    """domain key -> Counter(level -> number of students), over many students' answers; domains not asked are
    empty. The same shape as staff counts per domain, for step 11's reports (counts still go through
    ``disclosure.suppression`` before anyone sees them)."""
    counts: dict[str, Counter] = {key: Counter() for key in DOMAIN_KEYS}
    for answers in answer_sets:
        for domain, level in student_levels(answers).items():
            if level is not None:
                counts[domain][level] += 1
    return counts


def students_level_counts(*, college_id: int | None = None, round_id: int | None = None) -> dict[str, Counter]:
    """Students' levels per domain (their latest sent application's check), through placements' own selector."""
    from placements.selectors.applications import digital_skills_answers

    return student_level_counts(
        answers for _, answers in digital_skills_answers(college_id=college_id, round_id=round_id)
    )
