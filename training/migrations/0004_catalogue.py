# The public catalogue (step 9): suites get the centre of their postcode district, so the catalogue can sort and
# limit by distance in the database (as placements' Site does); existing suites are located here.

from django.db import migrations, models


def locate_suites(apps, schema_editor):
    from placements import geography

    Suite = apps.get_model("training", "Suite")
    for suite in Suite.objects.exclude(postcode="").only("pk", "postcode"):
        point = geography.locate(suite.postcode)
        if point is not None:
            Suite.objects.filter(pk=suite.pk).update(latitude=point.latitude, longitude=point.longitude)


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0003_college"),
    ]

    operations = [
        migrations.AddField(
            model_name="suite",
            name="latitude",
            field=models.FloatField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="suite",
            name="longitude",
            field=models.FloatField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(locate_suites, migrations.RunPython.noop),
        # The catalogue lists live sessions soonest first: an index range instead of sorting every session.
        migrations.AddIndex(
            model_name="session",
            index=models.Index(
                condition=models.Q(("status__in", ["scheduled", "closed"])),
                fields=["starts_at"],
                name="training_session_listed_start",
            ),
        ),
    ]
