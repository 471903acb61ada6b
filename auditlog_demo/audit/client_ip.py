"""The client's IP address, believing X-Forwarded-For only from trusted proxies.

config/settings.py imports this module to read DJANGO_TRUSTED_PROXIES, so it imports no
models: only the standard library, Django's lazy settings and its exceptions.
"""

import ipaddress
import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def trusted_proxies_from_env(name):
    """Comma-separated addresses or networks; one that is neither stops startup (it would
    otherwise make every request that records an IP address a 500)."""
    entries = [entry.strip() for entry in os.environ.get(name, "").split(",") if entry.strip()]
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise ImproperlyConfigured(f"{name}: {entry!r} is not an IP address or network") from None
    return entries


def _parse(value):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted_networks():
    return [ipaddress.ip_network(entry, strict=False) for entry in settings.TRUSTED_PROXIES]


def from_trusted_proxy(request):
    """Whether the socket peer is one of our proxies (whose X-Forwarded-* we believe)."""
    remote = _parse(request.META.get("REMOTE_ADDR", ""))
    return remote is not None and any(remote in network for network in _trusted_networks())


def client_ip(request):
    """REMOTE_ADDR, or the nearest untrusted hop of X-Forwarded-For when REMOTE_ADDR is a trusted proxy.

    Anyone can send an X-Forwarded-For header, so it only means something when our own
    proxy appended to it. Walk it right to left (nearest hop first), skipping our proxies;
    the first address we do not control is the client. Garbage stops the walk: the last
    address we could vouch for is kept.
    """
    remote = _parse(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return None
    networks = _trusted_networks()

    def trusted(address):
        return any(address in network for network in networks)

    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not forwarded or not trusted(remote):
        return str(remote)
    client = remote
    for hop in reversed(forwarded.split(",")):
        address = _parse(hop)
        if address is None:
            break
        client = address
        if not trusted(address):
            break
    return str(client)
