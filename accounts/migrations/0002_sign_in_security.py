"""``User.sign_in_unlocked_at``: the state an unlock link hashes, so a link works once (ADR 0008)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="sign_in_unlocked_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
    ]
