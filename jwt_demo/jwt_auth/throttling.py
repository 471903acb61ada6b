"""jwt_demo's throttles: the plumbing's AccountThrottle, counted one request at a time,
and per identifier (username, email or phone) as well as per client address or user.

config.plumbing.throttling.AccountThrottle already counts per client address (an IPv6
/64) or, for an authenticated request, per user; in CACHES["throttle"]; at the rate
configured now. What it leaves to this file is below, each with its reason.
"""

import hashlib
import logging
import sys
from collections.abc import Mapping
from contextlib import contextmanager

from django.db import DatabaseError, connection, transaction
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.throttling import ScopedRateThrottle

from accounts.backends import UsernameEmailPhoneBackend
from config.plumbing.throttling import AccountThrottle

IDENTIFIERS = ("username", "email", "phone")
logger = logging.getLogger("jwt_demo.throttling")


class CountsUnavailable(APIException):
    """503: the throttle cannot read or write its counts (Redis down or hung, a locked
    database). Closed, not open: checking a password uncounted reopens guessing."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "Attempts cannot be counted right now; try again in a moment."
    default_code = "throttle_unavailable"


# The methods of jwt_demo's views that check a password: POST, and PATCH for the email
# and phone changes (PATCH /api/auth/email/ and /phone/ ask for the current password).
COUNTED_METHODS = {"POST", "PUT", "PATCH"}


@contextmanager
def one_at_a_time(scope):
    """Run a throttle's read-then-write of its history alone, across every process.

    DRF's SimpleRateThrottle reads the history from the cache, then writes it back: two
    requests in parallel read the same history, both pass, and one write is lost, so a
    burst of parallel requests passes the limit and is then only partly counted. A lock
    in the database (whatever cache holds the counters): on SQLite the transaction's
    BEGIN IMMEDIATE (the plumbing's settings) takes the write lock; on PostgreSQL an
    advisory lock per scope, released at the end of the transaction.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"jwt_demo.throttle.{scope}"])
        yield


class OneAtATimeThrottle(AccountThrottle):
    """AccountThrottle whose counting runs alone (``one_at_a_time``), for POST, PUT and PATCH.

    Alone: jwt_demo is served by several gunicorn workers sharing a database cache, and a
    parallel burst must be counted exactly. PATCH too: the email and phone changes check
    the current password with a PATCH, and AccountThrottle counts POSTs only.
    """

    def allow_request(self, request, view):
        if request.method not in COUNTED_METHODS:
            return True  # as AccountThrottle: a preflight or a 405 spends no budget
        scope = getattr(view, self.scope_attr, None)
        try:
            with one_at_a_time(scope):
                # ScopedRateThrottle's counting itself: AccountThrottle's would skip a PATCH.
                return ScopedRateThrottle.allow_request(self, request, view)
        except store_errors() as error:  # not a bad request body, nor a scope without a rate
            logger.warning("throttle %s cannot count (%s); answering 503", scope, type(error).__name__)
            raise CountsUnavailable from error


def store_errors():
    """What the counter store raises when it fails: the database's errors (the lock, a
    database cache), and redis-py's when Redis holds the counts (imported only then)."""
    redis = sys.modules.get("redis")
    return (DatabaseError, redis.RedisError) if redis else (DatabaseError,)


def account_of(data):
    """The throttle key of the identifier a request body names, or None when it names none.

    Every spelling of one identifier is one key: the stored spelling, as the login backend
    reads it (NFKC, IDNA, E.164), so "Alice@Example.com" and "alice@ｅxample.com" or
    "(415) 555-2671" and "+14155552671" are one counter. The key is never the account
    itself: were "alice" and "alice@example.com" one counter only when they are one
    account, a 429 after failing as one would tell that the other is that account's (an
    existence oracle). An account then has at most three counters, one per identifier.
    """
    if not isinstance(data, Mapping):
        return None
    given = {field: data.get(field) for field in IDENTIFIERS if isinstance(data.get(field), str) and data.get(field)}
    if not given:
        return None
    try:
        lookup = UsernameEmailPhoneBackend.lookup(given.get("username"), given.get("email"), given.get("phone"))
    except ValueError:  # no account can be spelled so: the per-address throttle still counts
        return None
    return hashlib.sha256(repr(sorted(lookup.items())).encode()).hexdigest()[:32]


class IdentifierThrottle(OneAtATimeThrottle):
    """Counts per identifier named in the body (``account_of``), from any client address.

    A per-address throttle alone lets a botnet guess one account's password at its rate
    times the number of addresses. Scope: the view's ``account_throttle_scope``.
    """

    scope_attr = "account_throttle_scope"

    def get_cache_key(self, request, view):
        account = account_of(request.data)
        return None if account is None else self.cache_format % {"scope": self.scope, "ident": account}


class FailedLoginThrottle(IdentifierThrottle):
    """IdentifierThrottle whose successful logins are given back (the view calls
    ``refund``): its owner's own logins never lock the account. Every attempt is counted
    when it starts, so a parallel burst cannot pass the limit while the passwords are
    being checked. An attacker can still lock the account for the rate's period by
    failing on purpose; the rate is set with that in mind (config/settings.py)."""

    def refund(self, request, view):
        self.scope = getattr(view, self.scope_attr)
        self.num_requests, self.duration = self.parse_rate(self.get_rate())
        with one_at_a_time(self.scope):
            key = self.get_cache_key(request, view)
            history = self.cache.get(key, []) if key else []
            if history:
                history.pop(0)  # the newest: every entry counts the same
                self.cache.set(key, history, self.duration)
