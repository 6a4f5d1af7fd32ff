# Placeholder created by the lead so that parallel work does not collide on migration numbers.
# Owner: coordinator capacity work (department on the opportunity's site, cohort changes).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [('placements', '0002_host_deadlines_and_cancellation')]

    operations = []
