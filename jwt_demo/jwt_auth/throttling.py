import hashlib
from collections.abc import Mapping
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction
from rest_framework.throttling import ScopedRateThrottle

from accounts.backends import UsernameEmailPhoneBackend

IDENTIFIERS = ("username", "email", "phone")


@contextmanager
def one_at_a_time(scope):
    """Run a throttle's read-then-write of its history alone, across every process.

    DRF's SimpleRateThrottle reads the history from the cache, then writes it back: two
    requests in parallel read the same history, both pass, and one write is lost, so a
    burst of parallel requests passes the limit and is then only partly counted. A lock
    in the database (whatever cache holds the counters): on SQLite the transaction's
    BEGIN IMMEDIATE (config/settings.py) takes the write lock; on PostgreSQL an advisory
    lock per scope, released at the end of the transaction.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"jwt_demo.throttle.{scope}"])
        yield


class SharedScopedRateThrottle(ScopedRateThrottle):
    """DRF's ScopedRateThrottle with its counters in ``CACHES[settings.THROTTLE_CACHE]``,
    counted one request at a time (``one_at_a_time``).

    DRF keeps counters in the default cache, shared with everything else. In a database
    cache that culls (MAX_ENTRIES) unrelated entries would erase them and reopen password
    guessing; the "throttle" alias is sized not to (config/settings.py). Looked up per
    request, so a changed CACHES setting (tests) is honoured.
    """

    @property
    def cache(self):
        return caches[settings.THROTTLE_CACHE]

    def allow_request(self, request, view):
        with one_at_a_time(getattr(view, self.scope_attr, None)):
            return super().allow_request(request, view)


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


class AccountRateThrottle(SharedScopedRateThrottle):
    """Counts per identifier named in the body (``account_of``), from any client address.

    A per-address throttle alone lets a botnet guess one account's password at its rate
    times the number of addresses. Scope: the view's ``account_throttle_scope``.
    """

    scope_attr = "account_throttle_scope"

    def get_cache_key(self, request, view):
        account = account_of(request.data)
        return None if account is None else self.cache_format % {"scope": self.scope, "ident": account}


class FailedLoginThrottle(AccountRateThrottle):
    """AccountRateThrottle whose successful logins are given back (the view calls
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
