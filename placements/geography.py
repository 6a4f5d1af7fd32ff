"""Postcodes to approximate locations, offline, from the bundled UK postcode-district centroids.

Only the outward code (district, e.g. "SE5") is used: coarse enough to protect privacy, precise
enough for travel estimates. Distances use an equirectangular projection, accurate to well under
1% across London, and simple enough to compute inside any database with plain arithmetic.
"""

import csv
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "uk-postcode-outcodes.csv"
KM_PER_DEGREE_LAT = 110.574
KM_PER_DEGREE_LON_AT_EQUATOR = 111.320

# A full UK postcode (outward + inward code), or an outward code on its own.
POSTCODE_RE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})?$")
INVALID_POSTCODE = "Enter a real postcode, like SE5 9RS"
UNKNOWN_POSTCODE = "We could not find that postcode. Check it and try again"


@dataclass(frozen=True, slots=True)
class Point:
    latitude: float
    longitude: float


def normalise_postcode(value: str) -> str:
    """'se59rs' -> 'SE5 9RS'; an outward code alone is returned as it is. Raises ValueError if malformed."""
    compact = re.sub(r"\s+", "", (value or "").upper())
    if len(compact) >= 5 and compact[-3].isdigit():
        compact = f"{compact[:-3]} {compact[-3:]}"
    match = POSTCODE_RE.match(compact)
    if not match:
        raise ValueError(INVALID_POSTCODE)
    return compact


def outward_code(postcode: str) -> str:
    return normalise_postcode(postcode).split(" ")[0]


@cache
def _districts() -> dict[str, Point]:
    with DATA_FILE.open(newline="") as handle:
        return {
            row["outcode"]: Point(float(row["latitude"]), float(row["longitude"])) for row in csv.DictReader(handle)
        }


def locate(postcode: str) -> Point | None:
    """The centre of the postcode's district, or None when the district is unknown."""
    try:
        return _districts().get(outward_code(postcode))
    except ValueError:
        return None


def km_per_degree_lon(latitude: float) -> float:
    return KM_PER_DEGREE_LON_AT_EQUATOR * math.cos(math.radians(latitude))


def distance_km(a: Point, b: Point) -> float:
    dx = (a.longitude - b.longitude) * km_per_degree_lon((a.latitude + b.latitude) / 2)
    dy = (a.latitude - b.latitude) * KM_PER_DEGREE_LAT
    return math.hypot(dx, dy)
