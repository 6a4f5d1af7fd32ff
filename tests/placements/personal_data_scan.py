"""The erasure scan of step 3, shared: every text column of every model, searched for what must be gone."""

import json

from django.apps import apps
from django.db import models

TEXT_FIELDS = models.CharField | models.TextField | models.EmailField | models.JSONField | models.BinaryField


def _as_text(value) -> str:
    return bytes(value).decode(errors="replace") if isinstance(value, bytes | memoryview) else str(value)


def assert_nothing_left(*secrets: str) -> None:
    """Fail naming the model if any of ``secrets`` survives in any row of any table."""
    for model in apps.get_models():
        text_fields = [f.name for f in model._meta.concrete_fields if isinstance(f, TEXT_FIELDS)]
        for row in model.objects.values(*text_fields) if text_fields else []:
            dump = json.dumps(row, default=_as_text)
            for secret in secrets:
                assert secret not in dump, f"{secret!r} survives in {model.__name__}"
