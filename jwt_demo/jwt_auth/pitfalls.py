"""Trap code: what the pitfalls in README.md look like when done naively.

Nothing here is used by the demo itself; tests/test_pitfalls.py shows each trap's harm
next to the demo's fix.
"""

import time

import jwt
from django.contrib.auth import get_user_model
from django.core.cache import caches
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken
from rest_framework_simplejwt.serializers import TokenRefreshSerializer
from rest_framework_simplejwt.settings import api_settings

from .tokens import REFRESH_JTI_CLAIM


# --- 2. two concurrent refreshes both succeed ---------------------------------------------
def stock_rotation(refresh):
    """What SimpleJWT's TokenRefreshSerializer does once the token passed its checks: its
    ``blacklist()`` is a get_or_create, so a second request racing the first rotates too."""
    access = str(refresh.access_token)
    refresh.blacklist()
    refresh.set_jti()
    refresh.set_exp()
    refresh.set_iat()
    refresh.outstand()
    return {"access": access, "refresh": str(refresh), "jti": refresh["jti"]}


# --- 4. old tokens survive a password change ----------------------------------------------
def change_password_naively(user, new_password):
    """A password change as the admin, the shell or a naive change-password view makes it:
    the password only, no token blacklisted."""
    user.set_password(new_password)
    user.save()


def stock_refresh(raw_refresh):
    """Stock SimpleJWT's TokenRefreshSerializer asked for new tokens: what it hands out."""
    serializer = TokenRefreshSerializer(data={"refresh": raw_refresh})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# --- 6. forged tokens -----------------------------------------------------------------------
class UnverifiedJWTAuthentication(BaseAuthentication):
    """Authentication that reads the Bearer token's claims without verifying the token (as
    code that only "decodes the JWT" does): no signature, no exp, no token type checked.
    Whoever writes the payload picks the user."""

    def authenticate(self, request):
        words = get_authorization_header(request).split()
        if len(words) != 2 or words[0].lower() != b"bearer":
            return None
        claims = jwt.decode(words[1], options={"verify_signature": False})
        user = get_user_model().objects.filter(pk=claims.get(api_settings.USER_ID_CLAIM)).first()
        if user is None:
            raise AuthenticationFailed("No such user.")
        return user, claims


# --- 7. a revocation list in a cache that can forget --------------------------------------
class CacheOnlyRevocationList:
    """Revoked ``jti`` values kept only as cache entries, with no table behind them.

    Django's database cache culls a third of its rows, the first by key, whenever it
    passes MAX_ENTRIES (300 by default); Redis evicts under memory pressure; anyone may
    run ``cache.clear()``. Each of those silently un-revokes a logged-out token.
    """

    prefix = "jwt:revoked:"

    def __init__(self, alias="default"):
        self.cache = caches[alias]

    def revoke(self, jti, expires_at):
        self.cache.set(self.prefix + jti, True, timeout=int(expires_at - time.time()) + 1)

    def is_revoked(self, *jtis):
        return bool(self.cache.get_many([self.prefix + jti for jti in jtis if jti]))


class CacheOnlyRevocationAuthentication(JWTAuthentication):
    """SimpleJWT's JWTAuthentication that also refuses what a CacheOnlyRevocationList holds."""

    revocations = None  # a CacheOnlyRevocationList, set by whoever uses the trap

    def get_validated_token(self, raw_token):
        token = super().get_validated_token(raw_token)
        if self.revocations.is_revoked(token.get(api_settings.JTI_CLAIM), token.get(REFRESH_JTI_CLAIM)):
            raise InvalidToken("Token has been revoked")
        return token


# --- 8. SQLite's default DEFERRED transactions ----------------------------------------------
# A settings module for a server started with the SQLite default: a transaction takes the
# write lock only at its first write. Two refreshes that both read, then both try to
# write, cannot both upgrade: SQLite answers the loser "database is locked" at once (the
# busy timeout does not apply to a read that turns into a write), Django raises
# OperationalError, the client gets a 500. Start a server with it by putting a file with
# this text on PYTHONPATH and DJANGO_SETTINGS_MODULE naming it (tests/test_served.py).
DEFERRED_SQLITE_SETTINGS = """\
from config.settings import *  # noqa: F403

DATABASES["default"]["OPTIONS"]["transaction_mode"] = "DEFERRED"  # noqa: F405
"""


# --- 9. a sender built at run time ---------------------------------------------------------
def connect_with_a_built_sender(signal, handler):
    """Connect ``handler`` for the sender "GetTokensView", spelled at run time.

    Django matches senders by identity (``id(sender)``). The literal "GetTokensView" in two
    modules is one object only because CPython interns identifier-like literals; a string
    built at run time (read from settings, joined, decoded) is another object with equal
    text, and the handler never runs.
    """
    sender = "".join(["Get", "Tokens", "View"])
    signal.connect(handler, sender=sender, weak=False)
    return sender


# --- 10. a trap test that passes whatever the library does ----------------------------------
def stock_behaviour_unchecked(check):
    """How a trap test about a library goes wrong: run ``check`` (which asserts the stock
    library's harm) and treat any failure as "nothing to show". When the library changes,
    it keeps passing and the README's pitfall text silently becomes wrong."""
    try:
        check()
    except Exception:  # noqa: BLE001 - the trap is exactly this
        return False
    return True


# The SimpleJWT release whose stock behaviour the trap tests document (requirements.txt
# pins the range the tests prove). SimpleJWT's main branch (PR #928, "Revoke refresh token
# on password change") already refuses deleted users and changed passwords on refresh.
DOCUMENTED_SIMPLEJWT = "5.5.1"
