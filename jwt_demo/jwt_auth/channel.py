"""A Redis subscription that tells this process, without a round trip, that another one revoked.

With Redis, each commit of a revocation publishes a message on ``CHANNEL``
(``revocation.announce``). Every process subscribes once, and a request checks for messages
with a non-blocking read of that socket (no command is sent: the messages, if any, are
already in this process's receive buffer). ``heard()`` answers with a version of its own
that changes at every message, so that ``revocation.sync_if_due`` treats it as it treats the
version key: a new version, a sync.

What can go wrong, and what happens then (tests/test_revocation_channel.py):

- **The subscription is lost** (Redis restarted, the connection killed, a network cut):
  messages published meanwhile are gone for this process. Every subscription that starts,
  the first one and each one after a loss, counts as a message: the mirror syncs once it
  is confirmed, which covers whatever was committed before. Until then ``heard()`` answers
  None and the request reads the version key, as without a subscription.
- **A publish fails** (the publisher cannot reach Redis): the other processes learn of the
  revocation at their next ``JWT_REVOCATION_SYNC_SECONDS`` sync (5 s with Redis), or sooner
  if their own subscription dropped too. The failure is logged.
- **Redis forgets keys** (eviction, a flush): pub/sub holds no key; nothing is lost.

Pub/sub ignores Redis's database numbers: every process on that server hears every demo's
messages on ``CHANNEL``. One it did not need costs a sync: a query on the clock row.
"""

import contextlib
import logging
import os
import threading
import time
from uuid import uuid4

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

CHANNEL = "jwt_demo:revocations"
RETRY_SECONDS = 1.0  # after a failure, how long requests read the version key before resubscribing
CONFIRM_SECONDS = 0.5  # how long subscribing may wait for Redis's confirmation
# Messages read per check, at most: a backlog (an idle process, a flood from anything that
# can write to this Redis) is read over several requests, each bounded (~10 µs a message).
# Whatever stays unread still counts: the messages read already changed the version.
MAX_MESSAGES_PER_CHECK = 1000
logger = logging.getLogger("jwt_demo.revocation")


def redis_location(alias):
    """The Redis URL of cache ``alias`` (its first server: the one written to), or None
    when that cache is not Redis (the database cache has no pub/sub: the version key only)."""
    if not isinstance(caches[alias], RedisCache):
        return None
    location = settings.CACHES[alias]["LOCATION"]
    servers = location if isinstance(location, (list, tuple)) else location.replace(";", ",").split(",")
    return servers[0].strip()


def client_for(url):
    import redis  # here, not at the top: only a process with Redis pays its ~0.1 s import
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    # No retry: a lost connection must surface as an error here, not be reconnected
    # silently by redis-py (a silent resubscription would hide the messages it missed).
    # RESP2 for the same reason: on RESP3, redis-py 8 acts on a server's maintenance
    # notices (Redis Enterprise's MOVING) by reconnecting on its own, unread messages lost.
    # Short timeouts: a Redis that hangs (paused, blackholed) costs a request half a second
    # here, once per RETRY_SECONDS, not redis-py's default of seconds on every request.
    # The name shows in Redis's CLIENT LIST: which process holds which subscription.
    return redis.Redis.from_url(
        url,
        protocol=2,
        retry=Retry(NoBackoff(), 0),
        socket_connect_timeout=0.5,
        socket_timeout=0.5,
        client_name=f"jwt_demo-revocations-{os.getpid()}",
    )


class RevocationChannel:
    """This process's subscription (one per process; a forked child makes its own)."""

    def __init__(self):
        self.lock = threading.Lock()  # a PubSub object is not thread-safe
        self.subscription = None  # (pid, url, PubSub)
        self.publisher = None  # (pid, url, redis.Redis)
        self.retry_at = 0.0
        self.name = uuid4().hex[:8]  # versions of another subscription never look like ours
        self.messages = 0

    def publish(self, alias):
        """Tell every subscribed process that a revocation committed (after the commit)."""
        url = redis_location(alias)
        if url is None:
            return
        import redis

        try:
            self._publisher(url).publish(CHANNEL, b"")
        except redis.RedisError:
            logger.exception("revocation message not published; other processes sync within the interval")

    def heard(self, alias):
        """A version that changes at every message and every new subscription, or None when
        there is no working subscription (then the caller reads the version key)."""
        url = redis_location(alias)
        if url is None:
            return None
        import redis

        with self.lock:
            try:
                pubsub = self._subscription(url)
                if pubsub is None:
                    return None
                for _ in range(MAX_MESSAGES_PER_CHECK):
                    if pubsub.get_message(timeout=0) is None:
                        break
                    self.messages += 1
                return f"{self.name}:{self.messages}"
            except (redis.RedisError, OSError):  # OSError: no confirmation came (below)
                logger.warning("revocation subscription lost; reading the version key until it is back")
                self._drop()
                return None

    def _subscription(self, url):
        pid = os.getpid()
        if self.subscription is not None and self.subscription[:2] == (pid, url):
            return self.subscription[2]
        self.subscription = None  # another process's (inherited at a fork) or another server's
        if time.monotonic() < self.retry_at:
            return None
        pubsub = client_for(url).pubsub()
        pubsub.subscribe(CHANNEL)
        confirmation = pubsub.get_message(timeout=CONFIRM_SECONDS)
        if confirmation is None or confirmation["type"] != "subscribe":
            pubsub.close()
            raise ConnectionError("no confirmation of the subscription")
        self.messages += 1  # a new subscription: whatever it missed, a sync reads from the tables
        self.subscription = (pid, url, pubsub)
        return pubsub

    def reset(self):
        """No subscription, as in a process that just started (the next check subscribes)."""
        with self.lock:
            self._drop()
            self.retry_at = 0.0

    def _drop(self):
        if self.subscription is not None and self.subscription[0] == os.getpid():
            with contextlib.suppress(Exception):  # it failed already: closing is a courtesy
                self.subscription[2].close()
        self.subscription = None
        self.retry_at = time.monotonic() + RETRY_SECONDS

    def _publisher(self, url):
        pid = os.getpid()
        if self.publisher is None or self.publisher[:2] != (pid, url):
            self.publisher = (pid, url, client_for(url))
        return self.publisher[2]


channel = RevocationChannel()
