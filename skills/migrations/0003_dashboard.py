"""About your work (staff group, department) and the per-domain levels stored when an assessment is submitted.

Levels of assessments already submitted are computed here from their responses with the same scoring rule.
"""

from django.db import migrations, models


def backfill_levels(apps, schema_editor):
    from skills.scoring import levels_from_answers

    Assessment = apps.get_model("skills", "Assessment")
    Statement = apps.get_model("skills", "Statement")
    Response = apps.get_model("skills", "Response")
    statements_by_version: dict[int, list[tuple[str, int, int]]] = {}
    for statement in Statement.objects.values("domain__framework_version_id", "domain__key", "pk", "level"):
        statements_by_version.setdefault(statement["domain__framework_version_id"], []).append(
            (statement["domain__key"], statement["pk"], statement["level"])
        )
    submitted = Assessment.objects.filter(submitted_at__isnull=False).only("pk", "framework_version_id")
    for assessment in submitted.iterator(chunk_size=500):
        answers = dict(Response.objects.filter(assessment_id=assessment.pk).values_list("statement_id", "answer"))
        levels = levels_from_answers(statements_by_version.get(assessment.framework_version_id, []), answers)
        Assessment.objects.filter(pk=assessment.pk).update(levels=levels)


class Migration(migrations.Migration):
    dependencies = [("skills", "0002_framework_v1")]

    operations = [
        migrations.AddField(
            model_name="assessment",
            name="staff_group",
            field=models.CharField(
                blank=True,
                choices=[
                    ("nurses_midwives", "Nurses and midwives"),
                    ("doctors", "Doctors"),
                    ("allied_health", "Allied health professionals"),
                    ("healthcare_scientists", "Healthcare scientists"),
                    ("clinical_support", "Support to clinical staff (healthcare assistants, care workers)"),
                    ("social_care", "Care workers and support workers (social care)"),
                    ("managers", "Managers"),
                    ("admin_clerical", "Admin and clerical"),
                    ("estates_facilities", "Estates and facilities"),
                    ("other", "Other"),
                ],
                max_length=30,
            ),
        ),
        migrations.AddField(
            model_name="assessment",
            name="department",
            field=models.CharField(blank=True, max_length=80),
        ),
        migrations.AddField(
            model_name="assessment",
            name="department_key",
            field=models.CharField(blank=True, editable=False, max_length=80),
        ),
        migrations.AddField(
            model_name="assessment",
            name="levels",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddIndex(
            model_name="assessment",
            index=models.Index(fields=["submitted_at"], name="skills_assessment_submitted"),
        ),
        migrations.RunPython(backfill_levels, migrations.RunPython.noop),
    ]
