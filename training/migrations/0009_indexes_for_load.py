# Reserved this session; its owner fills in the operations.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("training", "0008_after")]

    operations = []
