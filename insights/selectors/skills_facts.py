"""Reads for the snapshot job's digital-skills theme: plain facts, never a name. (Being built this session.)"""


def skills_facts() -> dict:
    return {}
