"""The revocation list: ``jti`` values whose tokens must be refused before they expire.

It lives in the cache named by ``settings.JWT_REVOCATION_CACHE``, which must be shared
by every server process (the database cache or Redis; never LocMemCache). Each entry
lives exactly as long as the token it revokes: after that, the token is refused for
being expired anyway, so the list never grows beyond the live tokens.
"""

import time

from django.conf import settings
from django.core.cache import caches

KEY_PREFIX = "jwt:revoked:"


def _cache():
    # Looked up per call, so a changed CACHES setting (tests) is honoured.
    return caches[settings.JWT_REVOCATION_CACHE]


def revoke(jti, expires_at):
    """Revoke ``jti`` until ``expires_at`` (epoch seconds, the token's ``exp``)."""
    remaining = int(expires_at - time.time()) + 1  # +1: never drop it a moment early
    if remaining > 0:
        _cache().set(KEY_PREFIX + jti, True, timeout=remaining)


def is_revoked(*jtis):
    """True when any of ``jtis`` is revoked: ONE cache round trip (get_many) for all."""
    keys = [KEY_PREFIX + jti for jti in jtis if jti]
    return bool(keys) and bool(_cache().get_many(keys))
