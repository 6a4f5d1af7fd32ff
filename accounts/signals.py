"""Receivers for other apps' signals: kept here so importing a model never sends an email."""

import time

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from accounts import services
from accounts.sessions import LAST_ACTIVITY


@receiver(user_locked_out, dispatch_uid="accounts.tell_owner_of_sign_in_lock")
def tell_owner_of_sign_in_lock(sender, request=None, username=None, ip_address=None, **kwargs):
    """Axes locked one account at one address: its owner gets a link that lifts the lock at once.

    A lock of a whole address (sender "accounts.signin") emails nobody: it names no account in particular, and
    emailing every address tried from it would let a guesser flood inboxes. The lockout page offers a link there.
    """
    if sender == "axes" and username:
        services.sign_in_unlock_link_send(username=username, noticed=True)


@receiver(user_logged_in, dispatch_uid="accounts.start_the_idle_clock")
def start_the_idle_clock(sender, request=None, user=None, **kwargs):
    """Signing in is activity: the staff idle timeout counts from here, and the first page need not write it."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_ACTIVITY] = int(time.time())
