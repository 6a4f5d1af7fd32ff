"""The matching engine: plain data in, the applicant-optimal stable matching out. No Django here.

The Django side builds an `Instance` of `Offer`s and `Applicant`s and calls `solve(instance)`; the CLI
(`python -m placements.matching solve INSTANCE.json`) does the same from the JSON format in MATCHING_FORMAT.md.
"""

from .eligibility import ineligibility_reason
from .engine import solve
from .instance_io import instance_to_dict, parse_instance, read_instance, result_to_dict
from .model import (
    CUTOFF_ABOVE,
    NO_PLACES,
    NOT_ELIGIBLE,
    Applicant,
    Cutoff,
    Explanation,
    Instance,
    InvalidInstance,
    Offer,
    Result,
    Stats,
)

__all__ = [
    "CUTOFF_ABOVE",
    "NOT_ELIGIBLE",
    "NO_PLACES",
    "Applicant",
    "Cutoff",
    "Explanation",
    "Instance",
    "InvalidInstance",
    "Offer",
    "Result",
    "Stats",
    "ineligibility_reason",
    "instance_to_dict",
    "parse_instance",
    "read_instance",
    "result_to_dict",
    "solve",
]
