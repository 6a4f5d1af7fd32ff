# Reserved this session; its owner fills in the operations.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("placements", "0005_audit")]

    operations = []
