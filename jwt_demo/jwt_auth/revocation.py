"""What makes a validly signed token unacceptable, and how a request checks it cheaply.

Two tables are the truth (jwt_auth/models.py), so that no cache can forget a revocation:

- ``RevokedToken``: a ``jti`` refused until it expires (logout, rotation, one access token);
- ``UserTokenCutoff``: every token of a user issued before a moment (password changed,
  user deactivated or deleted, "log out everywhere").

Every process keeps a **mirror** of both in memory, and a request reads only the mirror.
A revocation made in this process is put in the mirror as soon as its transaction commits;
what other processes revoked arrives at a sync: one query on the clock and, only when it
moved, one per table for the rows newer than the last sync. A sync is due:

- with ``settings.JWT_REVOCATION_CACHE`` (Redis, the default with REDIS_URL), when another
  process committed: each commit publishes a message that every process's subscription
  receives (jwt_auth/channel.py), and a request only looks at its socket for one: no
  query, no cache lookup. Without a working subscription (or with a cache that is not
  Redis), a request reads one key that each commit sets to a new random version, and syncs
  when it holds another version than the one this process synced at, or none (evicted,
  flushed), or the cache fails: a cache that forgets costs a sync, never a revived token;
- and once ``settings.JWT_REVOCATION_SYNC_SECONDS`` have passed: 0 without Redis (a sync
  per request, one primary-key query: every process honours a logout at once), 5 s with
  it (a backstop for a lost write). Above 0 without Redis, no query at all, and another
  process may accept a logged-out token for up to that long (README "Revocation").

The mirror's size: the live rows, nothing else. A sync drops expired entries (once a second), and
``flushexpiredtokens`` deletes expired rows: revoked ``jti`` values live at most
ACCESS_TOKEN_LIFETIME (5 minutes: see services.access_horizon), cutoffs
REFRESH_TOKEN_LIFETIME (1 day), one per user. Both are a few hundred bytes each.
"""

import logging
import threading
import time
from uuid import uuid4

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.utils import datetime_from_epoch

from .channel import channel
from .models import RevocationClock, RevokedToken, UserTokenCutoff
from .tokens import REFRESH_JTI_CLAIM

VERSION_KEY = "jwt:revocations:version"
logger = logging.getLogger("jwt_demo.revocation")


# --- writing: a row, a stamp, and the mirror once the transaction commits ---------------------
def revoke(jti, expires_at):
    """Revoke ``jti`` until ``expires_at`` (epoch seconds, the token's ``exp``)."""
    revoke_many({jti: expires_at})


def revoke_many(expiries):
    """Revoke each ``{jti: expires_at}``: one INSERT; the mirror learns it after the commit."""
    live = {jti: expires_at + 1 for jti, expires_at in expiries.items() if expires_at > time.time()}
    if not live:
        return  # an expired token is refused anyway: nothing to store
    with transaction.atomic():
        stamp = next_stamp()
        rows = [
            RevokedToken(jti=jti, expires_at=datetime_from_epoch(int(until)), stamp=stamp)
            for jti, until in live.items()
        ]
        RevokedToken.objects.bulk_create(rows, ignore_conflicts=True)
    transaction.on_commit(lambda: announce(revoked=live))


def cut_off(user_id):
    """Refuse every token of ``user_id`` issued up to now; tokens issued afterwards pass."""
    with transaction.atomic():
        stamp = next_stamp()
        now = timezone.now()  # once the clock is ours: as close to the commit as it gets
        UserTokenCutoff.objects.update_or_create(
            user_id=str(user_id),
            defaults={"valid_after": now, "expires_at": now + api_settings.REFRESH_TOKEN_LIFETIME, "stamp": stamp},
        )
    transaction.on_commit(lambda: announce(cutoffs={str(user_id): (now.timestamp(), expiry_of(now))}))


def expiry_of(valid_after):
    return (valid_after + api_settings.REFRESH_TOKEN_LIFETIME).timestamp()


def next_stamp():
    """The RevocationClock, plus one. The UPDATE holds the row's lock until the caller's
    transaction commits: the next writer waits, so stamps commit in order."""
    clock, _ = RevocationClock.objects.get_or_create(pk=1)  # a database that was flushed has none
    RevocationClock.objects.filter(pk=clock.pk).update(value=F("value") + 1)
    return RevocationClock.objects.values_list("value", flat=True).get(pk=clock.pk)


def announce(revoked=None, cutoffs=None):
    """After a commit: this process's mirror at once, the others through the version key."""
    mirror.learn(revoked or {}, cutoffs or {})
    cache = _cache()
    if cache is None:
        return
    channel.publish(settings.JWT_REVOCATION_CACHE)
    try:
        cache.set(VERSION_KEY, uuid4().hex, timeout=None)
    except Exception:  # the others must not keep their version: a missing key makes them sync
        logger.exception("revocation cache unavailable; deleting its version")
        try:
            cache.delete(VERSION_KEY)
        except Exception:
            logger.exception("revocation version could not be deleted; other processes sync within the interval")


# --- reading: the mirror, synced when due ------------------------------------------------------
def is_revoked(*jtis):
    """True when any of ``jtis`` is revoked. No query unless a sync is due."""
    sync_if_due()
    return mirror.has_revoked(jtis)


def is_refused(token, *, check_user=True):
    """True when ``token``'s ``jti`` or ``rjti`` is revoked or (``check_user``) its user's
    tokens were cut off after it was issued. One sync check for both."""
    sync_if_due()
    if mirror.has_revoked((token.get(api_settings.JTI_CLAIM), token.get(REFRESH_JTI_CLAIM))):
        return True
    return check_user and mirror.is_cut_off(token.get(api_settings.USER_ID_CLAIM), token.get("iat"))


def sync_if_due():
    """Sync when the interval has passed, or (version cache) another process committed."""
    cache = _cache()
    version = current_version(cache) if cache is not None else None
    stale = cache is not None and (version is None or version != mirror.version)
    if stale or mirror.age() >= settings.JWT_REVOCATION_SYNC_SECONDS:
        mirror.sync(version)
        if cache is not None and version is None:
            _add_version(cache)


def current_version(cache):
    """What the subscription heard (no round trip), or else the version key (one lookup)."""
    heard = channel.heard(settings.JWT_REVOCATION_CACHE)
    return heard if heard is not None else _read_version(cache)


def _read_version(cache):
    try:
        return cache.get(VERSION_KEY)
    except Exception:
        logger.warning("revocation cache unavailable; syncing from the tables")
        return None


def _add_version(cache):
    # add, not set: a version another process wrote meanwhile must stay (it made us sync anyway).
    try:
        cache.add(VERSION_KEY, uuid4().hex, timeout=None)
    except Exception:  # the next check finds no version again and syncs again: slower, never wrong
        logger.warning("revocation cache unavailable; no version stored")


def _cache():
    # Looked up per call, so a changed setting (tests) is honoured; None: no version key.
    alias = settings.JWT_REVOCATION_CACHE
    return caches[alias] if alias else None


class Mirror:
    """This process's copy of both tables: ``{jti: expires_at}`` and ``{user_id: (valid_after,
    expires_at)}``, in epoch seconds, and the highest stamp read so far."""

    def __init__(self):
        # Writers (a sync, a commit of this process) take turns, so that none loses another's
        # entries; readers never wait: a dictionary lookup is safe while another thread writes.
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        """Forget everything: the next check reads both tables from the start."""
        self.revoked, self.cutoffs = {}, {}
        self.stamp = -1  # below every stamp, 0 included (rows from before the clock existed)
        self.synced_at = None
        self.dropped_at = float("-inf")
        self.version = None

    def age(self):
        return float("inf") if self.synced_at is None else time.monotonic() - self.synced_at

    def has_revoked(self, jtis):
        return any(jti in self.revoked for jti in jtis if jti)

    def is_cut_off(self, user_id, issued_at):
        """Issued at or before its user's cutoff (a token without ``iat`` counts as old)."""
        cutoff = self.cutoffs.get(str(user_id))
        return cutoff is not None and (issued_at is None or issued_at <= cutoff[0])

    def learn(self, revoked, cutoffs):
        with self.lock:
            self.merge(revoked, cutoffs)

    def merge(self, revoked, cutoffs):
        """Add entries (under the lock); of two cutoffs of one user the later one stays."""
        self.revoked.update(revoked)
        for user, cutoff in cutoffs.items():
            if cutoff > self.cutoffs.get(user, (float("-inf"),)):
                self.cutoffs[user] = cutoff

    def sync(self, version):
        """Read the rows written since the last sync (stamp above ours, up to the clock)."""
        started = time.monotonic()
        clock = read_clock()
        if clock == self.stamp and started - self.dropped_at < 1:
            # Nothing new, nothing to sweep: the common case (a sync per request without
            # Redis) takes no lock, so a threaded server's requests do not queue here.
            self.synced_at, self.version = started, version
            return
        with self.lock:
            if clock < self.stamp:  # another thread synced further meanwhile, or a restore
                clock = read_clock()
            if clock < self.stamp:  # the database was flushed or restored: start over
                self.reset()
            if clock > self.stamp:
                self.merge(*read_rows(self.stamp, clock))
                self.stamp = clock
            if started - self.dropped_at >= 1:  # sweep expired entries once a second
                self.drop_expired()
                self.dropped_at = started
            self.synced_at, self.version = started, version

    def drop_expired(self):
        """What the mirror's size is bounded by: only live entries stay (called under the lock)."""
        now = time.time()
        for jti in [jti for jti, until in self.revoked.items() if until <= now]:
            del self.revoked[jti]
        for user in [user for user, (_, until) in self.cutoffs.items() if until <= now]:
            del self.cutoffs[user]


def read_clock():
    return RevocationClock.objects.values_list("value", flat=True).filter(pk=1).first() or 0


def read_rows(after, up_to):
    """Both tables' rows stamped in ``(after, up_to]``: what the mirror does not have yet."""
    window = {"stamp__gt": after, "stamp__lte": up_to}
    revoked = {
        jti: until.timestamp() for jti, until in RevokedToken.objects.filter(**window).values_list("jti", "expires_at")
    }
    cutoffs = {
        user: (valid_after.timestamp(), until.timestamp())
        for user, valid_after, until in UserTokenCutoff.objects.filter(**window).values_list(
            "user_id", "valid_after", "expires_at"
        )
    }
    return revoked, cutoffs


mirror = Mirror()  # one per process: every thread of it reads the same dictionaries
