"""The five-question digital skills self-check: the questions, and free help for each skill.

Answers are shown back to the student with links to help, and counted (never named) in reports.
"""

from dataclasses import dataclass

LEVELS = [("confident", "I can do this"), ("some_help", "With some help"), ("not_yet", "Not yet")]
LEVEL_LABELS = dict(LEVELS)


@dataclass(frozen=True)
class Skill:
    key: str
    question: str
    help_title: str
    help_url: str


SKILLS = [
    Skill(
        "email",
        "Send an email with an attachment",
        "Learn My Way: email and online basics",
        "https://www.learnmyway.com/",
    ),
    Skill("video_call", "Join a video call", "Learn My Way: video calls", "https://www.learnmyway.com/"),
    Skill(
        "health_information",
        "Find reliable health information online",
        "The NHS website: health A to Z",
        "https://www.nhs.uk/conditions/",
    ),
    Skill(
        "online_forms",
        "Fill in an online form, like this one",
        "Learn My Way: using online services",
        "https://www.learnmyway.com/",
    ),
    Skill(
        "data_safety",
        "Keep your passwords and personal information safe",
        "Cyber Aware (NCSC): staying safe online",
        "https://www.ncsc.gov.uk/cyberaware/home",
    ),
]


@dataclass(frozen=True)
class SkillResult:
    skill: Skill
    level: str

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS.get(self.level, "Not answered")

    @property
    def needs_help(self) -> bool:
        return self.level in ("some_help", "not_yet")


def report(answers: dict) -> list[SkillResult]:
    return [SkillResult(skill, (answers or {}).get(skill.key, "")) for skill in SKILLS]
