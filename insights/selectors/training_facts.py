"""Reads for the snapshot job's simulation-training theme: plain facts, never a name. (Being built this session.)"""


def training_facts() -> dict:
    return {}
