# Placeholder created by the lead so that parallel work does not collide on migration numbers.
# Owner: operations work of issue 11 (health, beat heartbeat) and retention.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [('accounts', '0002_sign_in_security')]

    operations = []
