# Placeholder created by the lead so that parallel work does not collide on migration numbers.
# Owner: two-factor sign-in work of issue 11 (only if accounts needs its own model changes for it).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [('accounts', '0004_roles_staff_and_partner')]

    operations = []
