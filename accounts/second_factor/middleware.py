"""Send a signed-in person who must use a second factor to set it up or enter a code, before any other page.

Runs after django-otp's ``OTPMiddleware`` (which reads the verified device from the session). Allowed without
a verified second factor: entering a code, setting up a first app, signing out, static files and the public pages
(home, privacy, accessibility, cookies, health). Everything else, including every staff area present and
future, redirects; a request that is not a GET gets the same redirect, so nothing is changed unverified.
"""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from accounts.second_factor.services import has_second_factor, second_factor_required, session_is_verified

# Named URLs a person may open before verifying. Managing recovery codes or the app is not among them.
ALLOWED_URL_NAMES = (
    "accounts:second_factor:verify",
    "accounts:second_factor:set-up",
    "home",
    "accessibility",
    "privacy",
    "cookies",
    "healthz",
    "health",
    "health-beat",
    "accounts:logout",
    "accounts:login",
)


class SecondFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._allowed_paths = None

    def allowed_paths(self) -> frozenset[str]:
        if self._allowed_paths is None:
            self._allowed_paths = frozenset(reverse(name) for name in ALLOWED_URL_NAMES)
        return self._allowed_paths

    def __call__(self, request):
        redirect_to = self.redirect_for(request)
        if redirect_to:
            return redirect_to
        return self.get_response(request)

    def redirect_for(self, request):
        path = request.path_info
        if path.startswith(settings.STATIC_URL):
            return None
        if path in self.allowed_paths():
            return None
        return second_factor_redirect(request)


def second_factor_redirect(request):
    """Where a signed-in person who must verify, and has not in this session, goes first; None if they may pass.

    Fails closed: without django-otp's middleware nobody counts as verified.
    """
    user = request.user
    if not second_factor_required(user) or session_is_verified(request):
        return None
    target = reverse("accounts:second_factor:" + ("verify" if has_second_factor(user) else "set-up"))
    next_url = request.get_full_path()
    if request.method == "GET" and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        target = f"{target}?{urlencode({'next': next_url})}"
    return redirect(target)
