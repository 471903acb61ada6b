"""Every endpoint that takes a token × every state a token can be in: the endpoint's
answer is the authentication class's verdict, nothing else.

The verdict comes from ``ExpiringTokenAuthentication`` itself (the project default),
asked directly; the table below also pins which states it must accept (only one).
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient, APIRequestFactory

from tokens.authentication import ExpiringTokenAuthentication

# (method, path, status when accepted, status when refused)
ENDPOINTS = [
    ("get", "/demotoken/secure/", 200, 401),
    ("post", "/demotoken/secure/", 200, 401),
    ("post", "/demotoken/logout/", 204, 401),
    ("get", "/demotoken/pitfalls/token-first/", 200, 401),
    ("post", "/demotoken/pitfalls/token-first/", 200, 401),
    # Pitfall 2's trap view: the same verdict, told as 403 (SessionAuthentication first).
    # Routed only for the tests (tests/trap_urls.py), never by the demo's own URLs.
    pytest.param("get", "/demotoken/pitfalls/session-first/", 200, 403, marks=pytest.mark.urls("tests.trap_urls")),
]


def logged_out(user, key):
    APIClient(HTTP_AUTHORIZATION=f"Token {key}").post("/demotoken/logout/")


def expired(user, key):
    Token.objects.filter(key=key).update(created=timezone.now() - timedelta(days=2))  # TOKEN_LIFETIME: 1 day


def inactive(user, key):
    user.is_active = False
    user.save()


def deleted(user, key):
    user.delete()


def password_changed(user, key):
    user.set_password("a different passphrase 12")
    user.save()


# state -> (what happens to the user or the key, the header sent, accepted?)
STATES = {
    "valid": (None, "Token {key}", True),
    "logged-out": (logged_out, "Token {key}", False),
    "expired": (expired, "Token {key}", False),
    "user-inactive": (inactive, "Token {key}", False),
    "user-deleted": (deleted, "Token {key}", False),
    "password-changed": (password_changed, "Token {key}", False),
    "garbage": (None, "Token {key}-not-quite", False),
    "unknown-key": (None, "Token " + "f" * 40, False),
}


def verdict(header):
    """True when the authentication class accepts the header, False when it refuses it."""
    request = APIRequestFactory().get("/", HTTP_AUTHORIZATION=header)
    try:
        return ExpiringTokenAuthentication().authenticate(request) is not None
    except exceptions.AuthenticationFailed:
        return False


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize(("method", "path", "accepted_status", "refused_status"), ENDPOINTS)
def test_every_endpoint_agrees_with_the_authentication_class(
    user, key, state, method, path, accepted_status, refused_status
):
    change, header_template, should_accept = STATES[state]
    if change:
        change(user, key)
    header = header_template.format(key=key)

    accepted = verdict(header)
    response = getattr(APIClient(), method)(path, HTTP_AUTHORIZATION=header)

    assert accepted is should_accept
    assert response.status_code == (accepted_status if accepted else refused_status), response.content
