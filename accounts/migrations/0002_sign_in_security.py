# Placeholder created by the lead so that parallel work does not collide on migration numbers.
# Owner: sign-in security work (lockout, throttling).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [('accounts', '0001_initial')]

    operations = []
