"""Trap code for the pitfalls: what you get without this demo's fixes. Tests only."""

from contextlib import contextmanager

from . import receivers


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
