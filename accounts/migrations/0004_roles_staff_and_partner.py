"""Staff (health and care employees) and partner (planning analysts) roles, the four partner organisation kinds,
and the CHECK constraints that keep each role at the kinds of organisation it belongs to (ADR 0002, amended
2026-11-30). Every existing row already satisfies the new constraints: nobody has either new role yet."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_operations")]

    operations = [
        migrations.RemoveConstraint(
            model_name="invitation",
            name="invitation_staff_role",
        ),
        migrations.RemoveConstraint(
            model_name="organisation",
            name="organisation_kind_valid",
        ),
        migrations.RemoveConstraint(
            model_name="user",
            name="user_role_valid",
        ),
        migrations.AlterField(
            model_name="invitation",
            name="role",
            field=models.CharField(
                choices=[
                    ("tutor", "College tutor"),
                    ("coordinator", "Placement coordinator"),
                    ("staff", "Health and care staff member"),
                    ("partner", "Planning partner"),
                ],
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="organisation",
            name="code",
            field=models.CharField(
                blank=True,
                help_text="ODS code for NHS and care organisations and integrated care boards, UKPRN for colleges, GSS code for local authorities. Optional.",
                max_length=20,
                verbose_name="official code",
            ),
        ),
        migrations.AlterField(
            model_name="organisation",
            name="kind",
            field=models.CharField(
                choices=[
                    ("nhs_trust", "NHS trust"),
                    ("care_provider", "Social-care provider"),
                    ("college", "College"),
                    ("icb", "Integrated care board"),
                    ("lsip", "Local Skills Improvement Plan partnership"),
                    ("local_authority", "Local authority"),
                    ("gla", "Greater London Authority"),
                ],
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="user",
            name="organisation",
            field=models.ForeignKey(
                blank=True,
                help_text="Tutors: their college. Coordinators: the organisation they host for. Students: their college, if any. Health and care staff: their NHS trust or care provider. Planning partners: their integrated care board, LSIP partnership, local authority or the GLA.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="members",
                to="accounts.organisation",
            ),
        ),
        migrations.AlterField(
            model_name="user",
            name="organisation_kind",
            field=models.CharField(
                blank=True,
                choices=[
                    ("nhs_trust", "NHS trust"),
                    ("care_provider", "Social-care provider"),
                    ("college", "College"),
                    ("icb", "Integrated care board"),
                    ("lsip", "Local Skills Improvement Plan partnership"),
                    ("local_authority", "Local authority"),
                    ("gla", "Greater London Authority"),
                ],
                editable=False,
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="user",
            name="role",
            field=models.CharField(
                choices=[
                    ("student", "Student"),
                    ("tutor", "College tutor"),
                    ("coordinator", "Placement coordinator"),
                    ("admin", "Site administrator"),
                    ("staff", "Health and care staff member"),
                    ("partner", "Planning partner"),
                ],
                default="student",
                max_length=20,
            ),
        ),
        migrations.AddConstraint(
            model_name="invitation",
            constraint=models.CheckConstraint(
                condition=models.Q(("role__in", ["tutor", "coordinator", "staff", "partner"])),
                name="invitation_invited_role",
            ),
        ),
        migrations.AddConstraint(
            model_name="organisation",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("kind__in", ["nhs_trust", "care_provider", "college", "icb", "lsip", "local_authority", "gla"])
                ),
                name="organisation_kind_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.CheckConstraint(
                condition=models.Q(("role__in", ["student", "tutor", "coordinator", "admin", "staff", "partner"])),
                name="user_role_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("role", "staff"), _negated=True),
                    models.Q(
                        ("organisation__isnull", False), ("organisation_kind__in", ["nhs_trust", "care_provider"])
                    ),
                    _connector="OR",
                ),
                name="user_staff_belongs_to_employer",
                violation_error_message="A health and care staff member must belong to their employer: an NHS trust or a social-care provider.",
            ),
        ),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("role", "partner"), _negated=True),
                    models.Q(
                        ("organisation__isnull", False),
                        ("organisation_kind__in", ["icb", "lsip", "local_authority", "gla"]),
                    ),
                    _connector="OR",
                ),
                name="user_partner_belongs_to_partner_organisation",
                violation_error_message="A planning partner must belong to an integrated care board, the Local Skills Improvement Plan partnership, a local authority or the Greater London Authority.",
            ),
        ),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("role__in", ["staff", "partner"]), _negated=True),
                    models.Q(("is_staff", False), ("is_superuser", False)),
                    _connector="OR",
                ),
                name="user_staff_and_partner_not_admin",
                violation_error_message="Health and care staff and planning partners cannot sign in to the site admin.",
            ),
        ),
        migrations.AlterConstraint(
            model_name="user",
            name="user_tutor_belongs_to_college",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("role", "tutor"), _negated=True),
                    models.Q(("organisation__isnull", False), ("organisation_kind", "college")),
                    _connector="OR",
                ),
                name="user_tutor_belongs_to_college",
                violation_error_message="A college tutor must belong to a college. Choose their college.",
            ),
        ),
        migrations.AlterConstraint(
            model_name="user",
            name="user_coordinator_belongs_to_host",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("role", "coordinator"), _negated=True),
                    models.Q(
                        ("organisation__isnull", False),
                        ("organisation_kind__in", ["nhs_trust", "care_provider", "college"]),
                    ),
                    _connector="OR",
                ),
                name="user_coordinator_belongs_to_host",
                violation_error_message="A placement coordinator must belong to an NHS trust, a social-care provider or a college.",
            ),
        ),
        migrations.AlterConstraint(
            model_name="user",
            name="user_student_college_only",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("role", "student"), _negated=True),
                    ("organisation__isnull", True),
                    ("organisation_kind", "college"),
                    _connector="OR",
                ),
                name="user_student_college_only",
                violation_error_message="A student's organisation can only be their college. Leave it empty or choose a college.",
            ),
        ),
    ]
