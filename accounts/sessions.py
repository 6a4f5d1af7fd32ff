"""Staff sessions end after a spell without activity, as an information-governance lead expects.

Anyone who must use a second factor (every role but students; see ``second_factor_required``) can see other
people's data, so an unattended, signed-in screen on a ward or in a college office is a risk. After
``STAFF_IDLE_TIMEOUT_MINUTES`` without a request, their session is ended and they sign in again (with their
code). The time of the last request is written to the session at most once a minute, so a busy page does not
write the session on every request. Students keep the ordinary session length (``SESSION_COOKIE_AGE``).
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from accounts.second_factor.services import second_factor_required

LAST_ACTIVITY = "last_activity"
WRITE_EVERY_SECONDS = 60
SIGNED_OUT_IDLE = (
    "You were signed out because you had not used the portal for {minutes} minutes. This protects the "
    "information you can see. Sign in again to carry on."
)


def staff_session_expired(request, now: float) -> bool:
    """Has this staff session gone unused for longer than the timeout? Records the activity when it has not."""
    if not second_factor_required(request.user):
        return False
    last = request.session.get(LAST_ACTIVITY)
    timeout = settings.STAFF_IDLE_TIMEOUT_MINUTES * 60
    if isinstance(last, int | float) and now - last > timeout:
        return True
    if not isinstance(last, int | float) or now - last >= WRITE_EVERY_SECONDS:
        request.session[LAST_ACTIVITY] = int(now)
    return False


class StaffIdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if staff_session_expired(request, time.time()):
            logout(request)
            messages.info(request, SIGNED_OUT_IDLE.format(minutes=settings.STAFF_IDLE_TIMEOUT_MINUTES))
            target = reverse("accounts:login")
            if request.method == "GET":
                target = f"{target}?{urlencode({'next': request.get_full_path()})}"
            return redirect(target)
        return self.get_response(request)
