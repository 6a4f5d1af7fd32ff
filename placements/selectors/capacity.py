"""Reads for managing capacity: what each person may see, and per-opportunity totals in one query."""

from datetime import date

from django.db.models import IntegerField, Min, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Role, User
from placements.models import Cohort, Department, Opportunity, Site
from placements.permissions import is_active_coordinator


def _organisation_filter(user: User, queryset: QuerySet, lookup: str) -> QuerySet:
    """Site admins see everything; an active coordinator their own organisation's rows; anyone else nothing."""
    if user.is_authenticated and user.is_active and user.role == Role.ADMIN:
        return queryset
    if is_active_coordinator(user):
        return queryset.filter(**{lookup: user.organisation_id})
    return queryset.none()


def sites_visible_to(user: User) -> QuerySet[Site]:
    return _organisation_filter(user, Site.objects.all(), "organisation_id")


def departments_visible_to(user: User) -> QuerySet[Department]:
    return _organisation_filter(user, Department.objects.all(), "organisation_id")


def opportunities_visible_to(user: User) -> QuerySet[Opportunity]:
    return _organisation_filter(user, Opportunity.objects.all(), "organisation_id")


def cohorts_visible_to(user: User) -> QuerySet[Cohort]:
    return _organisation_filter(user, Cohort.objects.all(), "opportunity__organisation_id")


def with_capacity_summary(queryset: QuerySet[Opportunity], today: date | None = None) -> QuerySet[Opportunity]:
    """Annotate total places, places booked and the next start date.

    Correlated subqueries rather than a JOIN with GROUP BY, so filters and searches that add joins can
    never multiply the sums.
    """
    today = today or timezone.localdate()
    cohorts = Cohort.objects.filter(opportunity=OuterRef("pk")).order_by().values("opportunity")
    return queryset.annotate(
        total_places=Coalesce(
            Subquery(cohorts.annotate(total=Sum("capacity")).values("total")), Value(0), output_field=IntegerField()
        ),
        booked_places=Coalesce(
            Subquery(cohorts.annotate(total=Sum("booked")).values("total")), Value(0), output_field=IntegerField()
        ),
        next_start_date=Subquery(
            cohorts.filter(start_date__gte=today).annotate(first=Min("start_date")).values("first")
        ),
    )
