from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "operations"
    verbose_name = "Operations"

    def ready(self):
        # Celery task failures and task ids in every worker log line.
        from operations import celery_logging  # noqa: F401
