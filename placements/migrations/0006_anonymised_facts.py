# Anonymisation keeps each widening-participation answer, the days of submission and outcome, and hosts' days to
# decide, so the planning reports (ADR 0019) count them the same after an erasure. Rows anonymised before this
# have them empty: their answers and dates are gone and cannot be brought back.
from django.db import migrations, models

ANSWER = models.CharField(
    blank=True, choices=[("yes", "Yes"), ("no", "No"), ("prefer_not_to_say", "Prefer not to say")], max_length=20
)


class Migration(migrations.Migration):
    dependencies = [("placements", "0005_audit")]

    operations = [
        *(
            migrations.AddField(model_name="anonymisedapplication", name=name, field=ANSWER.clone())
            for name in (
                "wp_free_school_meals",
                "wp_care_experienced",
                "wp_young_carer",
                "wp_first_in_family",
                "wp_disability",
            )
        ),
        migrations.AddField(
            model_name="anonymisedapplication",
            name="submitted_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="anonymisedapplication",
            name="outcome_on",
            field=models.DateField(blank=True, null=True, verbose_name="day of the first offer or 'not placed'"),
        ),
        migrations.AddField(
            model_name="anonymisedapplication",
            name="host_decision_days",
            field=models.JSONField(blank=True, default=list),
        ),
    ]
