"""London's boroughs to their integrated care boards, and vacancy staff groups to profession areas: data files in
``insights/data/`` so a boundary change or a new staff group is a one-line edit, not code."""

import csv
from functools import cache
from pathlib import Path

from placements.taxonomy import ProfessionArea

DATA = Path(__file__).resolve().parent / "data"
NO_BOROUGH = "Borough not known"
OUTSIDE_LONDON = "Outside London or not known"


@cache
def borough_icbs() -> dict[str, str]:
    with (DATA / "borough-icb.csv").open(newline="") as handle:
        return {row["borough"]: row["icb"] for row in csv.DictReader(handle)}


def icb_for(borough: str) -> str:
    return borough_icbs().get(borough, OUTSIDE_LONDON)


def icbs() -> list[str]:
    return sorted(set(borough_icbs().values()))


@cache
def staff_group_areas() -> dict[str, str]:
    """Staff group (as the vacancy files write it, compared case-insensitively) -> placements profession area."""
    with (DATA / "staff-groups.csv").open(newline="") as handle:
        areas = {row["staff_group"].casefold(): row["profession_area"] for row in csv.DictReader(handle)}
    unknown = set(areas.values()) - set(ProfessionArea.values)
    if unknown:  # a typo in the data file must fail loudly, not drop vacancies silently
        raise ValueError(f"staff-groups.csv names unknown profession areas: {sorted(unknown)}")
    return areas


@cache
def staff_groups() -> list[str]:
    with (DATA / "staff-groups.csv").open(newline="") as handle:
        return [row["staff_group"] for row in csv.DictReader(handle)]
