"""X-Forwarded-For is believed only when the socket peer is a trusted proxy."""

import pytest
from django.test import RequestFactory

from audit.client_ip import client_ip


def ip(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **extra))


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert ip("203.0.113.9", "1.2.3.4") == "203.0.113.9"


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("10.0.0.5", "198.51.100.7", "198.51.100.7"),  # our proxy speaks for the client
        ("10.0.0.5", "6.6.6.6, 198.51.100.7", "198.51.100.7"),  # left part was sent by the client
        ("10.0.0.5", "198.51.100.7, 10.0.0.9", "198.51.100.7"),  # two of our proxies
        ("10.0.0.5", "10.0.0.8, 10.0.0.9", "10.0.0.8"),  # all hops trusted: the farthest
        ("10.0.0.5", "not-an-ip", "10.0.0.5"),  # garbage: keep what we can vouch for
        ("10.0.0.5", "1.2.3.4, garbage, 10.0.0.9", "10.0.0.9"),
        ("10.0.0.5", " 2001:db8::1 ", "2001:db8::1"),
        ("10.0.0.5", "", "10.0.0.5"),
        ("203.0.113.9", "1.2.3.4", "203.0.113.9"),  # not our proxy: header ignored
    ],
)
def test_trusted_proxy_walk(settings, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert ip(remote, forwarded) == expected


def test_unparseable_remote_addr_is_none(settings):
    assert ip("unix-socket") is None
