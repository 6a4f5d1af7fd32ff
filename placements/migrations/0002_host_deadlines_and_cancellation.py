# Placeholder created by the lead so that parallel work does not collide on migration numbers.
# Owner: host workflow work (decide-by dates, host cancellation).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [('placements', '0001_initial')]

    operations = []
