"""Trap code for the pitfalls: what you get without this demo's fixes. Tests only."""

from contextlib import contextmanager

from rest_framework.authentication import TokenAuthentication

from . import receivers
from .views import SecureView


def secure_view_under_drf_tokens():
    """Pitfall 1's trap: the secure page authenticated by DRF's own TokenAuthentication.

    DRF's Token records when it was created, but TokenAuthentication never looks: a key
    issued years ago (copied from an old laptop, a log, a backup) opens the page today.
    """
    return SecureView.as_view(authentication_classes=[TokenAuthentication])


@contextmanager
def drf_tokens_alone():
    """Pitfall 4's trap: DRF's ``rest_framework.authtoken`` with no password receivers.

    A ``Token`` row knows nothing about the password: changing it (shell, admin, reset)
    leaves every key issued before working, so whoever copied a key keeps the account.
    Inside this block the demo's pre_save/post_save receivers are disconnected.
    """
    receivers.disconnect_password_change_receivers()
    try:
        yield
    finally:
        receivers.connect()
