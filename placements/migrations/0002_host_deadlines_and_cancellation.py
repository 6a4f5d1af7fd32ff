from django.db import migrations, models
from django.db.models import Q


def fill_decide_by(apps, schema_editor):
    """Give placements made before this migration a decide-by date, so none waits on a silent host for ever."""
    from placements.models.placements import decide_by_for

    Placement = apps.get_model("placements", "Placement")
    for placement in Placement.objects.filter(decide_by__isnull=True).select_related("application__round"):
        placement.decide_by = decide_by_for(placement.created_at, placement.application.round)
        placement.save(update_fields=["decide_by"])


class Migration(migrations.Migration):
    dependencies = [('placements', '0001_initial')]

    operations = [
        migrations.AddField(
            model_name="placement",
            name="decide_by",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="placement",
            name="decision_chased_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="placement",
            name="host_cancel_note",
            field=models.CharField(blank=True, max_length=500),
        ),
        migrations.AddField(
            model_name="placement",
            name="host_cancel_reason",
            field=models.CharField(
                blank=True,
                choices=[
                    ("staffing", "Not enough staff to supervise the placement"),
                    ("service_pressures", "Pressures on the service (for example, an outbreak or a major incident)"),
                    ("dates_changed", "The placement's dates or arrangements have changed"),
                    ("checks_incomplete", "The pre-placement checks could not be completed in time"),
                    ("other", "Other"),
                ],
                max_length=30,
            ),
        ),
        migrations.AddIndex(
            model_name="placement",
            index=models.Index(
                condition=Q(released_at__isnull=True), fields=["decide_by"], name="placement_decide_by_idx"
            ),
        ),
        migrations.RunPython(fill_decide_by, migrations.RunPython.noop, elidable=True),
    ]
