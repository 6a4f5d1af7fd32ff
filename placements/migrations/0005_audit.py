# Placeholder created by the lead so that parallel work does not collide on migration numbers.
# Owner: audit work of issue 11 (endorsement and matching-policy history).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [('placements', '0004_retention')]

    operations = []
