from django.apps import AppConfig


class SecondFactorConfig(AppConfig):
    name = "accounts.second_factor"
    label = "second_factor"
    verbose_name = "Two-factor sign-in"
    default_auto_field = "django.db.models.BigAutoField"
