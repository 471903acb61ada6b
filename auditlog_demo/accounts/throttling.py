"""The login throttle: attempts per client address, good or bad."""

import ipaddress

from django.core.cache import caches
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from audit.client_ip import client_ip


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


class LoginRateThrottle(SimpleRateThrottle):
    """Rate: ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["login"]`` (env LOGIN_THROTTLE_RATE).

    Counted per client address, whatever the username, so a script trying one password
    against many accounts is slowed down as much as one hammering a single account.
    """

    scope = "login"
    # Its own cache, never "default": LocMemCache culls past MAX_ENTRIES (300 by default), and
    # a count culled by unrelated traffic would be a fresh budget (see settings.CACHES).
    cache = caches["throttle"]

    def allow_request(self, request, view):
        # Only a POST checks a password. A browser's CORS preflight (OPTIONS) or a GET
        # (405) must not spend the budget, or a web client gets half the attempts promised.
        if request.method != "POST":
            return True
        return super().allow_request(request, view)

    def get_rate(self):
        # SimpleRateThrottle copies the rates when DRF is imported; read them per request
        # so that a changed setting (override_settings in tests) is honoured.
        self.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
        return super().get_rate()

    def get_ident(self, request):
        # The client address the hit log and the audit log record (audit/client_ip.py:
        # X-Forwarded-For believed only from DJANGO_TRUSTED_PROXIES), not DRF's own guess
        # from NUM_PROXIES. With two definitions, a deployment that trusts its proxy for the
        # logs would count every client behind it as one: one guesser locks everyone out.
        return address_block(client_ip(request) or super().get_ident(request))

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
