"""The throttle for every operation that checks a password or names an account.

Identical in every demo; not the lesson. A view opts in with
``throttle_classes = [AccountThrottle]`` and ``throttle_scope = "login"`` (or another
scope); the rate is ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][scope]``.
"""

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


class AccountThrottle(ScopedRateThrottle):
    """DRF's ScopedRateThrottle, counted per client address (whatever the username) in the
    ``throttle`` cache, reading its rate per request.

    Per address, not per username: a script spraying one password over many usernames is
    slowed down as much as one hammering a single account.
    """

    @property
    def cache(self):
        # A cache of its own (settings.CACHES["throttle"]): counts kept in "default" are
        # culled by any busy use of it, and a culled count is a fresh budget for a guesser.
        return caches["throttle"]

    def allow_request(self, request, view):
        # Only a POST checks a password or creates an account. Counting the rest would let
        # a browser's CORS preflight (OPTIONS) or a look at the page (GET, a 405) spend the
        # budget: a web client would get fewer attempts than the rate promises.
        if request.method != "POST":
            return True
        return super().allow_request(request, view)

    def get_ident(self, request):
        return address_block(super().get_ident(request))

    def get_rate(self):
        # SimpleRateThrottle copies DEFAULT_THROTTLE_RATES into a class attribute when DRF
        # is imported, so a changed setting (override_settings in tests) would be ignored.
        # api_settings is reloaded on setting_changed: read it per request.
        self.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
        return super().get_rate()
