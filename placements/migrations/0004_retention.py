#
# The anonymised counts kept when an application is anonymised (erasure, or its round's retention period ending)
# gain what reports need: postcode district, age band, widening-participation tier, and why it was anonymised.
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [('placements', '0003_department_site_and_cohort_changes')]

    operations = [
        migrations.AddField(
            model_name='anonymisedapplication',
            name='age_band',
            field=models.CharField(
                blank=True,
                choices=[
                    ('under_16', 'Under 16'),
                    ('16_17', '16 to 17'),
                    ('18_19', '18 to 19'),
                    ('20_24', '20 to 24'),
                    ('25_plus', '25 or over'),
                ],
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name='anonymisedapplication',
            name='home_district',
            field=models.CharField(blank=True, max_length=4, verbose_name='postcode district'),
        ),
        migrations.AddField(
            model_name='anonymisedapplication',
            name='reason',
            field=models.CharField(
                choices=[
                    ('account_deleted', 'The student deleted their account, or it was deleted'),
                    ('retention', "The round's retention period ended"),
                ],
                default='account_deleted',
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name='anonymisedapplication',
            name='wp_tier',
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='widening-participation tier'),
        ),
        migrations.AlterField(
            model_name='anonymisedapplication',
            name='erased_on',
            field=models.DateField(default=django.utils.timezone.localdate, verbose_name='anonymised on'),
        ),
        migrations.AddConstraint(
            model_name='anonymisedapplication',
            constraint=models.CheckConstraint(
                condition=models.Q(('wp_tier__isnull', True), ('wp_tier__lte', 5), _connector='OR'),
                name='anonymised_wp_tier_0_to_5',
            ),
        ),
    ]
