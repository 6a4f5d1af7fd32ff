"""Response headers that every page needs and no view should have to remember.

* ``Permissions-Policy`` on every response: the portal uses no camera, microphone, location, payment or other
  powerful browser feature, so none is granted to it or to anything it might embed.
* ``Cache-Control: no-store`` on every page except a short list of public pages seen by someone signed out.
  Pages show personal data (a student's application, a coordinator's queue, a guardian's consent form reached
  by a private link), and a shared computer in a college library must not keep them in its cache or show them
  again with the Back button after sign-out. A new page is private until it is added to ``PUBLIC_PAGES``.

``RequestSizeLimitMiddleware`` refuses a request body over ``REQUEST_BODY_MAX_BYTES`` before anything reads it.
Django limits form fields (``DATA_UPLOAD_MAX_MEMORY_SIZE``) but not uploaded files, which it streams to disk
whatever their size; and the CSRF check and the sign-in lockout read the body of any POST, signed in or not, so
a stranger could otherwise make the server write gigabytes to disk with one request.
"""

from django.conf import settings
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.cache import add_never_cache_headers

# URL names whose pages are the same for everyone, when nobody is signed in. Anything else is never stored.
PUBLIC_PAGES = frozenset(
    {
        "home",
        "accessibility",
        "privacy",
        "cookies",
        "placements:opportunity-list",
        "placements:opportunity-detail",
        "placements:how-matching-works",
    }
)


def permissions_policy_header(policy: dict[str, list[str]]) -> str:
    """{"camera": []} -> "camera=()"; {"fullscreen": ["self"]} -> "fullscreen=(self)"."""
    return ", ".join(f"{feature}=({' '.join(allow)})" for feature, allow in policy.items())


class SecurityHeadersMiddleware:
    """Sits just inside SecurityMiddleware, so it also sees static files and error pages."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions_policy = permissions_policy_header(settings.PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        if self._is_private(request):
            add_never_cache_headers(response)
        return response

    @staticmethod
    def _is_private(request) -> bool:
        if request.path_info.startswith(settings.STATIC_URL):
            return False  # versioned, public assets: WhiteNoise sets their caching
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return True
        match = getattr(request, "resolver_match", None)
        if match is None:
            try:
                match = resolve(request.path_info)
            except Resolver404:
                return True
        return match.view_name not in PUBLIC_PAGES


class RequestSizeLimitMiddleware:
    """413, with a page saying what to do, for a body larger than ``REQUEST_BODY_MAX_BYTES``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.REQUEST_BODY_MAX_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body at all when the length is not a number
        if length > limit:
            return render(request, "413.html", {"limit_mb": f"{limit / 1_000_000:g}"}, status=413)
        return self.get_response(request)
