# Indexes the pages need so their cost does not grow with the data (issue 15; EXPLAIN figures in benchmarks/README.md).
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("placements", "0006_anonymised_facts")]

    operations = [
        migrations.AddIndex(
            model_name="application",
            index=models.Index(fields=["college", "-created_at"], name="application_college_newest_idx"),
        ),
        migrations.AddIndex(
            model_name="placement",
            index=models.Index(
                condition=models.Q(("released_at__isnull", True)),
                fields=["offer_expires_at"],
                name="placement_offer_expiry_idx",
            ),
        ),
    ]
