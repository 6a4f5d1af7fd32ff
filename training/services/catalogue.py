"""The public catalogue's one write: where a suite is, from its postcode (for sorting sessions by distance)."""

from __future__ import annotations

from placements import geography
from training.models import Suite


def suite_locate(*, suite: Suite, save: bool = True) -> Suite:
    """Set the suite's latitude and longitude from its postcode's district (None when unknown); saving is idempotent.

    ``Suite.save()`` already does this; call it for a suite written without ``save()``, or after changing the
    postcode with ``update()``.
    """
    point = geography.locate(suite.postcode) if suite.postcode else None
    suite.latitude, suite.longitude = (point.latitude, point.longitude) if point else (None, None)
    if save and suite.pk:
        Suite.objects.filter(pk=suite.pk).update(latitude=suite.latitude, longitude=suite.longitude)
    return suite


def suites_locate_missing() -> int:
    """Locate suites that have a postcode but no position yet (written by bulk_create or update); returns how many.

    One query when there are none (the usual case), so the catalogue can call it before sorting by distance.
    """
    located = 0
    for suite in Suite.objects.filter(latitude__isnull=True).exclude(postcode="").only("pk", "postcode"):
        # A postcode we cannot place stays unlocated without a write, so a page view never writes for it.
        if suite_locate(suite=suite, save=False).latitude is not None:
            Suite.objects.filter(pk=suite.pk).update(latitude=suite.latitude, longitude=suite.longitude)
            located += 1
    return located
