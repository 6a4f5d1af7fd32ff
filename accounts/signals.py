"""Receivers for other apps' signals: kept here so importing a model never sends an email."""

from axes.signals import user_locked_out
from django.dispatch import receiver

from accounts import services


@receiver(user_locked_out, dispatch_uid="accounts.tell_owner_of_sign_in_lock")
def tell_owner_of_sign_in_lock(sender, request=None, username=None, ip_address=None, **kwargs):
    """Axes locked one account at one address: its owner gets a link that lifts the lock at once.

    A lock of a whole address (sender "accounts.signin") emails nobody: it names no account in particular, and
    emailing every address tried from it would let a guesser flood inboxes. The lockout page offers a link there.
    """
    if sender == "axes" and username:
        services.sign_in_unlock_link_send(username=username, noticed=True)
