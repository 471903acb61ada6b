import hashlib
from collections.abc import Mapping

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import caches
from rest_framework.throttling import ScopedRateThrottle

from accounts.backends import UsernameEmailPhoneBackend

IDENTIFIERS = ("username", "email", "phone")


class SharedScopedRateThrottle(ScopedRateThrottle):
    """DRF's ScopedRateThrottle with its counters in ``CACHES[settings.THROTTLE_CACHE]``.

    DRF keeps counters in the default cache, shared with everything else. In a database
    cache that culls (MAX_ENTRIES) unrelated entries would erase them and reopen password
    guessing; the "throttle" alias is sized not to (config/settings.py). Looked up per
    request, so a changed CACHES setting (tests) is honoured.
    """

    @property
    def cache(self):
        return caches[settings.THROTTLE_CACHE]


def account_of(data):
    """The throttle key of the account a request body names, or None when it names none.

    Every spelling of one account is one key: the user's id when the username, email or
    phone (as the login backend reads it: NFKC, IDNA, E.164) belongs to someone, else a
    hash of that stored spelling. "Alice@Example.com", "alice@example.com", "alice" and
    "(415) 555-2671" are then one counter, not four.
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
    pk = get_user_model()._default_manager.filter(**lookup).values_list("pk", flat=True).first()
    if pk is not None:
        return f"user-{pk}"
    return "unknown-" + hashlib.sha256(repr(sorted(lookup.items())).encode()).hexdigest()[:32]


class AccountRateThrottle(SharedScopedRateThrottle):
    """Counts per account named in the body, from any number of client addresses.

    A per-address throttle alone lets a botnet guess one account's password at its rate
    times the number of addresses. Scope: the view's ``account_throttle_scope``.
    """

    scope_attr = "account_throttle_scope"

    def get_cache_key(self, request, view):
        account = account_of(request.data)
        return None if account is None else self.cache_format % {"scope": self.scope, "ident": account}


class FailedLoginThrottle(AccountRateThrottle):
    """AccountRateThrottle that counts failed logins only (the view calls ``record_failure``):
    its owner's own successful logins never lock the account. An attacker can still lock it
    for the rate's period by failing on purpose; the rate is set with that in mind."""

    def throttle_success(self):
        return True  # checked, not counted

    def record_failure(self, request, view):
        if self.allow_request(request, view) and self.key is not None:
            self.history.insert(0, self.now)
            self.cache.set(self.key, self.history, self.duration)
