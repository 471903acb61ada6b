"""The revocation list: ``jti`` values whose tokens must be refused before they expire.

The source of truth is a table (``jwt_auth.models.RevokedToken``): a revocation survives
cache culling, eviction, ``cache.clear()`` and a restart. Each row lives as long as the
token it revokes; the daily ``flushexpiredtokens`` deletes it afterwards.

With ``settings.JWT_REVOCATION_CACHE`` set (Redis), a cache sits in front, so that a token
that is not revoked costs no query:

- a revocation writes the row, then, once the transaction has committed, ``cache.set``
  "revoked" (``transaction.on_commit``: no reader can see it before the row exists);
- a reader that misses reads the table, and stores "not revoked" with ``cache.add``, which
  never overwrites a "revoked" written meanwhile; then it reads the table once more, so a
  revocation that committed between its first read and its ``add`` is not hidden;
- a miss, or any cache error, falls back to the table. What the cache forgets costs a
  query, never a revived token.
"""

import logging
import time

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.utils import datetime_from_epoch

from .models import RevokedToken

KEY_PREFIX = "jwt:revoked:"
logger = logging.getLogger("jwt_demo.revocation")


def _cache():
    # Looked up per call, so a changed setting (tests) is honoured; None: table only.
    alias = settings.JWT_REVOCATION_CACHE
    return caches[alias] if alias else None


def revoke(jti, expires_at):
    """Revoke ``jti`` until ``expires_at`` (epoch seconds, the token's ``exp``)."""
    revoke_many({jti: expires_at})


def revoke_many(expiries):
    """Revoke each ``{jti: expires_at}``: one INSERT, then the cache after the commit."""
    live = {jti: expires_at + 1 for jti, expires_at in expiries.items() if expires_at > time.time()}
    if not live:
        return  # an expired token is refused anyway: nothing to store
    rows = [RevokedToken(jti=jti, expires_at=datetime_from_epoch(int(until))) for jti, until in live.items()]
    RevokedToken.objects.bulk_create(rows, ignore_conflicts=True)
    cache = _cache()
    if cache is not None:
        transaction.on_commit(lambda: _remember_revoked(cache, live))


def _remember_revoked(cache, live):
    timeout = int(max(live.values()) - time.time()) + 1
    try:
        cache.set_many({KEY_PREFIX + jti: True for jti in live}, timeout=timeout)
    except Exception:  # the table already refuses them; a stale "not revoked" must not stay
        logger.exception("revocation cache unavailable; deleting its entries")
        try:
            cache.delete_many([KEY_PREFIX + jti for jti in live])
        except Exception:
            logger.exception("revocation cache entries could not be deleted")


def is_revoked(*jtis):
    """True when any of ``jtis`` is revoked: at most one table query (none on a cache hit)."""
    jtis = [jti for jti in jtis if jti]
    if not jtis:
        return False
    cache = _cache()
    if cache is None:
        return _in_table(jtis)
    try:
        known = cache.get_many([KEY_PREFIX + jti for jti in jtis])
    except Exception:
        logger.warning("revocation cache unavailable; asking the table")
        return _in_table(jtis)
    if any(value is True for value in known.values()):
        return True
    unknown = [jti for jti in jtis if KEY_PREFIX + jti not in known]
    return bool(unknown) and (_in_table(unknown) or _remember_not_revoked(cache, unknown))


def _remember_not_revoked(cache, jtis):
    """Cache "not revoked" without ever hiding a revocation; True if one turned up."""
    timeout = int(api_settings.ACCESS_TOKEN_LIFETIME.total_seconds())
    try:
        added = [jti for jti in jtis if cache.add(KEY_PREFIX + jti, False, timeout=timeout)]
    except Exception:
        return False  # the table said "not revoked" a moment ago; nothing was cached
    if added and _in_table(added):  # revoked between our first read and our add
        cache.delete_many([KEY_PREFIX + jti for jti in added])
        return True
    return False


def _in_table(jtis):
    return RevokedToken.objects.filter(jti__in=jtis).exists()
