# Joining and reminders (issue 13, skills-people): employers' join codes and reassessment period, and the join
# page's rate-limit log. Written by hand from makemigrations' output so the chain 0001..0005 stays linear.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0005_second_factor'),
        ('skills', '0003_dashboard'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='JoinAttempt',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('ip_address', models.GenericIPAddressField(blank=True, null=True)),
                ('attempted_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('code_matched', models.BooleanField(default=False)),
            ],
            options={
                'indexes': [models.Index(fields=['ip_address', 'attempted_at'], name='skills_joinattempt_ip_at')],
            },
        ),
        migrations.CreateModel(
            name='EmployerSkillsPolicy',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('join_code', models.CharField(blank=True, editable=False, max_length=20)),
                ('join_code_changed_at', models.DateTimeField(blank=True, null=True)),
                ('reassess_after_months', models.PositiveSmallIntegerField(choices=[(3, '3 months'), (6, '6 months'), (12, '12 months')], default=6)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('employer', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='skills_policy', to='accounts.organisation')),
                ('join_code_changed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name_plural': 'employer skills policies',
                'constraints': [models.UniqueConstraint(condition=models.Q(('join_code', ''), _negated=True), fields=('join_code',), name='skills_join_code_unique'), models.CheckConstraint(condition=models.Q(('reassess_after_months__in', [3, 6, 12])), name='skills_policy_reassess_3_6_12')],
            },
        ),
    ]
