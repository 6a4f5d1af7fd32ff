from django.apps import AppConfig


class PlacementsConfig(AppConfig):
    name = "placements"
    verbose_name = "Placements"

    def ready(self):
        from placements import signals  # noqa: F401 — registers the finder listing's receivers
