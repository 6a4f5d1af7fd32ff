"""Signal receivers: the finder's stored listing follows every ``save()`` and ``delete()`` of cohorts and
opportunities (the ``update()`` and bulk writers call ``listings_refresh_on_commit`` themselves)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from placements.models import Cohort, Opportunity
from placements.services.finder_listing import listings_refresh_on_commit


@receiver(post_save, sender=Cohort, dispatch_uid="finder_listing_cohort_saved")
@receiver(post_delete, sender=Cohort, dispatch_uid="finder_listing_cohort_deleted")
def cohort_changed(sender, instance: Cohort, raw: bool = False, **kwargs) -> None:
    if not raw:  # fixtures: the rows may not all be there yet; the finder works out rows never worked out
        listings_refresh_on_commit([instance.opportunity_id])


@receiver(post_save, sender=Opportunity, dispatch_uid="finder_listing_opportunity_saved")
def opportunity_saved(sender, instance: Opportunity, raw: bool = False, **kwargs) -> None:
    if not raw:
        listings_refresh_on_commit([instance.pk])
