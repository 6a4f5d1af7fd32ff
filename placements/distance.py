"""``geography``'s flat-earth distance (its scale taken at the point asked about) as a database expression, for
lists sorted or cut by distance from a point (the finder, the training catalogue). Kept apart from ``geography``,
which is pure Python (the matching engine uses it)."""

from django.db.models import ExpressionWrapper, F, FloatField

from placements import geography


def distance_sq_from(near: geography.Point, *, latitude: str, longitude: str) -> ExpressionWrapper:
    """Squared km from ``near`` to the row's ``latitude``/``longitude`` fields (compare with a radius squared)."""
    dx = (F(longitude) - near.longitude) * geography.km_per_degree_lon(near.latitude)
    dy = (F(latitude) - near.latitude) * geography.KM_PER_DEGREE_LAT
    return ExpressionWrapper(dx * dx + dy * dy, output_field=FloatField())
