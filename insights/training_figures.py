"""From simulation-training facts (sessions, seats, attendance; no people) to the counts a snapshot stores. Pure
Python: no database here. (Being built this session.)"""

from __future__ import annotations

from insights.figures import Period


def training_document(**facts) -> tuple[list[Period], dict]:
    return [], {}
