import pytest

from placements import geography


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("se59rs", "SE5 9RS"), ("SE5 9RS", "SE5 9RS"), (" sw1a  1aa ", "SW1A 1AA"), ("E9", "E9"), ("ec1a1bb", "EC1A 1BB")],
)
def test_postcodes_are_normalised(raw, expected):
    assert geography.normalise_postcode(raw) == expected


@pytest.mark.parametrize("raw", ["", "hello", "12345", "SE5 9R", "Q1 1AA1"])
def test_malformed_postcodes_are_refused(raw):
    with pytest.raises(ValueError, match="Enter a real postcode"):
        geography.normalise_postcode(raw)


def test_locate_uses_the_district_centroid_and_unknown_districts_are_none():
    point = geography.locate("SE5 9RS")
    assert point == geography.locate("SE5") and 51.4 < point.latitude < 51.6
    assert geography.locate("ZZ9 9ZZ") is None and geography.locate("nonsense") is None


def test_distances_are_realistic_across_london():
    camberwell, hackney = geography.locate("SE5"), geography.locate("E9")
    assert 7 < geography.distance_km(camberwell, hackney) < 10  # about 8 km as the crow flies
    assert geography.distance_km(camberwell, camberwell) == 0
