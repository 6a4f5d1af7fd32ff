# Placeholder created by the lead so that parallel work does not collide on migration numbers.
# Owner: retention work of issue 11 (anonymised closed rounds).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [('placements', '0003_department_site_and_cohort_changes')]

    operations = []
