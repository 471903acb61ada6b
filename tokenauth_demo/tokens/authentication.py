"""Token authentication classes: DRF's, hardened against garbage, plus an expiring one."""

import re

from django.conf import settings
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

# DRF's keys are secrets.token_hex(20): 40 lowercase hex characters.
TOKEN_KEY = re.compile(r"[0-9a-f]{40}")


class StrictTokenAuthentication(TokenAuthentication):
    """DRF's TokenAuthentication that refuses malformed headers before touching the database.

    DRF already turns ``Token``, ``Token a b`` and undecodable bytes into 401. Two inputs
    still reach the database or crash: a str header that is not latin-1 (possible only
    in-process, e.g. the test client) raises UnicodeEncodeError, and a key with a NUL byte
    makes PostgreSQL's driver raise ValueError. Both would be 500s; here they are 401s.
    """

    def authenticate(self, request):
        try:
            return super().authenticate(request)
        except UnicodeError as error:
            raise exceptions.AuthenticationFailed("Invalid token header.") from error

    def authenticate_credentials(self, key):
        if not TOKEN_KEY.fullmatch(key):
            raise exceptions.AuthenticationFailed("Invalid token.")
        return super().authenticate_credentials(key)


def token_expired(token, now=None):
    """True when ``token`` is older than ``settings.TOKEN_LIFETIME`` (read on every call)."""
    return token.created <= (now or timezone.now()) - settings.TOKEN_LIFETIME


class ExpiringTokenAuthentication(StrictTokenAuthentication):
    """Pitfall 1's fix: a token older than ``settings.TOKEN_LIFETIME`` gets 401.

    DRF's token never expires: a key copied from a laptop years ago still works. This
    bounds how long a leaked or forgotten key is useful; logging in again after expiry
    issues a new key (see LoginView). It does not give each device its own token: for
    that, and for keys hashed at rest, use django-rest-knox.
    """

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token_expired(token):
            raise exceptions.AuthenticationFailed("Token has expired.")
        return user, token
