# Placeholder created by the lead so that parallel work does not collide on migration numbers.
# Owner: roles work of issue 11 (staff and partner roles, new organisation kinds).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [('accounts', '0003_operations')]

    operations = []
