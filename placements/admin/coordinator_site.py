"""The coordinator admin at /coordinator/: Django's admin, for coordinators, scoped to their organisation.

Coordinators are not staff and hold no Django model permissions: access is decided by role here and in
each ModelAdmin (see ``placements.admin.coordinator``). Outsiders get 404, as everywhere else.
"""

from functools import update_wrapper

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from placements.permissions import is_active_coordinator

TITLE = "Manage your placements"


class CoordinatorAdminSite(admin.AdminSite):
    site_header = TITLE
    site_title = TITLE
    index_title = "Your sites, departments, opportunities and dates"
    enable_nav_sidebar = False

    def has_permission(self, request):
        return is_active_coordinator(request.user)

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def guarded(request, *args, **kwargs):
            # Our sign-in page, not the admin's; and 404 (not a sign-in prompt) for people signed in
            # with another role: site admins use /admin/.
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not self.has_permission(request):
                raise Http404
            return inner(request, *args, **kwargs)

        return update_wrapper(never_cache(guarded) if not cacheable else guarded, view)

    def get_urls(self):
        # The "view on site" shortcut redirects to any object's public page, whoever owns it.
        return [url for url in super().get_urls() if getattr(url, "name", None) != "view_on_site"]

    @method_decorator(never_cache)
    def login(self, request, extra_context=None):
        return portal_sign_in(self, request)

    def password_change(self, request, extra_context=None):
        return HttpResponseRedirect(reverse("accounts:password-change"))

    def each_context(self, request):
        context = super().each_context(request)
        organisation = getattr(request.user, "organisation", None)
        if organisation is not None:
            context["site_header"] = context["site_title"] = f"{TITLE} – {organisation.name}"
        return context


def portal_sign_in(site: admin.AdminSite, request):
    """An admin site's "log in" page is the portal's sign-in: one sign-in page, with its lockout, for everyone.

    Signed in already with the right role: on to the page asked for. Signed in with another role: 404, as
    for any page outside one's role. Not signed in: the portal's sign-in page, then back here."""
    if request.user.is_authenticated and not site.has_permission(request):
        raise Http404
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("admin:index", current_app=site.name)
    if site.has_permission(request):
        return HttpResponseRedirect(next_url)
    return redirect_to_login(next_url)


coordinator_site = CoordinatorAdminSite(name="coordinator")

# The site admin at /admin/ is Django's default site: name it too. Django's defaults ("Django
# administration", "Django site admin") mean nothing to the people using it, and its "View site" link
# is not needed under the portal's header, which links home.
admin.site.site_header = admin.site.site_title = "Site administration"
admin.site.index_title = "Everything in the portal"
admin.site.site_url = None
# Django's own admin sign-in form (squeezed under the portal's header) is replaced by the portal's.
admin.site.login = never_cache(lambda request, extra_context=None: portal_sign_in(admin.site, request))
