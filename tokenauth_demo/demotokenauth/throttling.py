"""The login and sign-up throttles: DRF's ScopedRateThrottle, counted per client address,
in a cache of their own."""

import ipaddress

from django.core.cache import caches
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle


def address_block(address):
    """The unit a client controls: one IPv4 address, or an IPv6 /64.

    An IPv6 customer usually gets a whole /64 (RFC 6177) and can pick any of its 2**64
    addresses for each request: counted per address, a guesser would never run out of
    fresh budgets. Anything that is not an address is returned unchanged.
    """
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6 and parsed.ipv4_mapped is None:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return address


class DemoScopedRateThrottle(ScopedRateThrottle):
    """A ScopedRateThrottle that reads its rate per request and keeps its counts in the
    ``throttle`` cache (settings.CACHES), never in ``default``.

    A cache forgets: LocMemCache holds 300 entries by default and, when full, culls the
    least recently used third. Counts kept next to everything else are culled by any
    busy use of the default cache, and a culled count is a fresh budget for a password
    guesser. The ``throttle`` cache holds nothing else and is sized far beyond the
    number of client addresses seen in one window (see settings.py).
    """

    cache = caches["throttle"]

    def allow_request(self, request, view):
        # Only a POST checks a password or creates an account. Counting the rest would let
        # a browser's CORS preflight (OPTIONS) or a look at the page (GET, a 405) spend the
        # budget: a web client would get half the attempts the rate promises.
        if request.method != "POST":
            return True
        return super().allow_request(request, view)

    def get_ident(self, request):
        return address_block(super().get_ident(request))

    def get_rate(self):
        # SimpleRateThrottle copies DEFAULT_THROTTLE_RATES into a class attribute when
        # DRF is imported, so a changed setting (override_settings in tests) would be
        # ignored. api_settings is reloaded on setting_changed: read it per request.
        self.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
        return super().get_rate()


class LoginRateThrottle(DemoScopedRateThrottle):
    """Counts login attempts (good or bad) per client address, whatever the username.

    Per address, not per username: a script spraying one password over many usernames
    is slowed down as much as one hammering a single account. Views opt in with
    ``throttle_scope = "login"``; the rate is
    ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["login"]`` (env ``LOGIN_THROTTLE_RATE``).
    """


class RegisterRateThrottle(DemoScopedRateThrottle):
    """Counts sign-ups (accepted or refused) per client address: ``throttle_scope =
    "signup"``, env ``SIGNUP_THROTTLE_RATE``.

    A sign-up form must say "that username is taken", so it is an account-existence
    oracle by nature; the throttle bounds how many names one client can test.
    """
