"""The login throttle: the plumbing's AccountThrottle, counting the client IP the logs record."""

from audit.client_ip import client_ip
from config.plumbing.throttling import AccountThrottle, address_block


class ClientIPThrottle(AccountThrottle):
    """AccountThrottle (per address, IPv6 per /64, POSTs only), keyed by ``client_ip()``.

    DRF's own client address comes from NUM_PROXIES; the hit log and the audit log believe
    X-Forwarded-For only from DJANGO_TRUSTED_PROXIES (audit/client_ip.py). With two
    definitions, a deployment that trusts its proxy for the logs would count every client
    behind it as one: one guesser would lock everyone out.
    """

    def get_ident(self, request):
        address = client_ip(request)
        return address_block(address) if address else super().get_ident(request)
