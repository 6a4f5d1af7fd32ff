"""The finder's stored listing (issue 15): each opportunity's next open start date and the last day it stays right,
with the indexes the finder reads them by; existing rows filled in (placements/services/finder_listing.py keeps them
afterwards)."""

import datetime

from django.db import migrations, models
from django.db.models import Case, DateField, Exists, ExpressionWrapper, F, Min, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Least
from django.utils import timezone

STALE_AFTER = datetime.timedelta(days=60)


def fill_listing(apps, schema_editor):
    """Today's listing of every opportunity, as placements/services/finder_listing.py works it out (inlined: a
    migration must not depend on code that changes later). A row left wrong is refreshed by the finder anyway."""
    Opportunity = apps.get_model("placements", "Opportunity")
    Cohort = apps.get_model("placements", "Cohort")
    today = timezone.localdate()
    open_cohorts = Cohort.objects.filter(
        opportunity=OuterRef("pk"), application_deadline__gte=today, start_date__gt=today, booked__lt=F("capacity")
    )

    def first(field):
        grouped = open_cohorts.order_by().values("opportunity").annotate(first=Min(field)).values("first")
        return Subquery(grouped, output_field=DateField())

    listed = Q(Exists(open_cohorts), status="published", last_confirmed_on__gte=today - STALE_AFTER)
    until = Least(
        first("application_deadline"),
        ExpressionWrapper(first("start_date") - datetime.timedelta(days=1), output_field=DateField()),
        ExpressionWrapper(F("last_confirmed_on") + STALE_AFTER, output_field=DateField()),
        output_field=DateField(),
    )
    Opportunity.objects.update(
        listed_next_start=Case(When(listed, then=first("start_date")), default=Value(None), output_field=DateField()),
        listed_until=Case(When(listed, then=until), default=Value(None), output_field=DateField()),
    )


class Migration(migrations.Migration):
    dependencies = [("placements", "0007_indexes_for_growth")]

    operations = [
        migrations.AddField(
            model_name="opportunity",
            name="listed_next_start",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        # The default is Django's (new rows start as "never worked out"), not the database's: added without it, as
        # a plain nullable column, so SQLite adds the column instead of rebuilding the table (a rebuild breaks the
        # department/site triggers of 0003). Existing rows are filled by fill_listing below.
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AddField(
                    model_name="opportunity",
                    name="listed_until",
                    field=models.DateField(blank=True, editable=False, null=True),
                ),
            ],
            state_operations=[
                migrations.AddField(
                    model_name="opportunity",
                    name="listed_until",
                    field=models.DateField(blank=True, default=datetime.date(1, 1, 1), editable=False, null=True),
                ),
            ],
        ),
        migrations.AddIndex(
            model_name="opportunity",
            index=models.Index(
                condition=models.Q(("listed_next_start__isnull", False)),
                fields=["listed_next_start", "title", "id"],
                name="opportunity_listed_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="opportunity",
            index=models.Index(
                condition=models.Q(("listed_next_start__isnull", False)),
                fields=["listed_next_start"],
                name="opportunity_listed_count_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="opportunity",
            index=models.Index(fields=["listed_until"], name="opportunity_listed_until_idx"),
        ),
        migrations.RunPython(fill_listing, migrations.RunPython.noop, elidable=True),
    ]
