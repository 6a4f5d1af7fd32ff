from functools import wraps

from django.apps import AppConfig


class SecondFactorConfig(AppConfig):
    name = "accounts.second_factor"
    label = "second_factor"
    verbose_name = "Two-factor sign-in"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Every admin site (/admin/, /coordinator/ and any added later) checks the second factor itself too,
        # so the admin stays closed even if the middleware were left out. Django's admin has run autodiscover
        # by now (it is earlier in INSTALLED_APPS), so every site exists.
        from django.contrib.admin.sites import all_sites

        for site in list(all_sites):
            require_second_factor_in(site)


def require_second_factor_in(site) -> None:
    if getattr(site, "requires_second_factor", False):
        return
    original = site.admin_view

    def admin_view(view, cacheable=False):
        inner = original(view, cacheable)

        @wraps(inner)
        def verified(request, *args, **kwargs):
            from accounts.second_factor.middleware import second_factor_redirect

            return second_factor_redirect(request) or inner(request, *args, **kwargs)

        return verified

    site.admin_view = admin_view
    site.requires_second_factor = True
