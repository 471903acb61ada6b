import re

from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

# DRF's tokens are 40 lowercase hex characters (binascii.hexlify of 20 random bytes).
TOKEN_KEY = re.compile(r"[0-9a-f]{40}")


class StrictTokenAuthentication(TokenAuthentication):
    """DRF's token authentication that refuses a malformed key before querying for it.

    Any garbage after ``Token `` gets the same 401 as a wrong key, and never reaches the
    database (where e.g. a NUL byte makes PostgreSQL raise, which would be a 500).
    """

    def authenticate_credentials(self, key):
        if not TOKEN_KEY.fullmatch(key):
            raise exceptions.AuthenticationFailed("Invalid token.")
        return super().authenticate_credentials(key)
