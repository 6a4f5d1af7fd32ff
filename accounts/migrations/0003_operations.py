# Intentionally empty: a link in accounts' migration chain. The work it was reserved for needed no accounts
# change (operations/ and accounts/second_factor/ have their own migrations). Squash before the first deployment.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [('accounts', '0002_sign_in_security')]

    operations = []
