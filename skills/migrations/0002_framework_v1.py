"""Loads version 1 of the skills framework (skills/data/framework-v1.toml) with the models of this point."""

from pathlib import Path
from types import SimpleNamespace

from django.db import migrations

V1 = Path(__file__).resolve().parent.parent / "data" / "framework-v1.toml"


def load_v1(apps, schema_editor):
    from skills.framework import framework_load

    names = ("FrameworkVersion", "Level", "Domain", "Statement", "Resource")
    framework_load(V1, models=SimpleNamespace(**{name: apps.get_model("skills", name) for name in names}))


class Migration(migrations.Migration):
    dependencies = [("skills", "0001_initial")]

    operations = [migrations.RunPython(load_v1, migrations.RunPython.noop)]
