"""One table: every endpoint that takes a token x every state a token can be in.

Each endpoint must give the verdict RevocationAwareJWTAuthentication gives the same token
(accepted, or refused with a 401), and that verdict must be the one written in STATES.
The only exception is deliberate: logging out stays possible for a user who is gone or
whose password changed (it only ends a session).
"""

from datetime import timedelta

import jwt
import pytest
from django.conf import settings
from django.utils import timezone
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.test import APIRequestFactory
from rest_framework_simplejwt.tokens import AccessToken

from jwt_auth import revocation
from jwt_auth.authentication import RevocationAwareJWTAuthentication
from jwt_auth.tokens import LinkedRefreshToken

pytestmark = pytest.mark.django_db


def claims(raw):
    return jwt.decode(raw, options={"verify_signature": False})


def resign(raw, key=None, **changes):
    payload = {name: value for name, value in {**claims(raw), **changes}.items() if value is not None}
    return jwt.encode(payload, key or settings.SIMPLE_JWT["SIGNING_KEY"], "HS256")


def past():
    return int((timezone.now() - timedelta(minutes=1)).timestamp())


def set_password_in_shell(user, pair, api_client):
    user.set_password("changed in the shell 42")  # no API call: nothing was blacklisted
    user.save()
    return pair


def deactivate(user, pair, api_client):
    user.is_active = False
    user.save()
    return pair


def delete(user, pair, api_client):
    user.delete()
    return pair


def log_out(user, pair, api_client):
    assert api_client.post("/api/token/blacklist/", {"refresh": pair["refresh"]}).status_code == 200
    return pair


def rotate(user, pair, api_client):
    assert api_client.post("/api/token/refresh/", {"refresh": pair["refresh"]}).status_code == 200
    return pair  # the old pair


def revoke_access_jti(user, pair, api_client):
    access = AccessToken(pair["access"])
    revocation.revoke(access["jti"], access["exp"])
    return pair


def each(change):
    """A state that rewrites both tokens the same way."""
    return lambda user, pair, api_client: {kind: change(raw) for kind, raw in pair.items()}


# state -> (how to reach it, is the access token accepted, is the refresh token accepted)
STATES = {
    "valid": (lambda user, pair, api_client: pair, True, True),
    "expired": (each(lambda raw: resign(raw, exp=past(), iat=past() - 60)), False, False),
    "logged_out": (log_out, False, False),
    "rotated": (rotate, False, False),
    "access_jti_revoked": (revoke_access_jti, False, True),
    "password_changed_in_shell": (set_password_in_shell, False, False),
    "inactive_user": (deactivate, False, False),
    "deleted_user": (delete, False, False),
    "bad_signature": (each(lambda raw: resign(raw, key="not-the-signing-key-" + "x" * 30)), False, False),
    "wrong_iss": (each(lambda raw: resign(raw, iss="https://someone-else.example")), False, False),
    "wrong_aud": (each(lambda raw: resign(raw, aud="another-api")), False, False),
    "no_iss_no_aud": (each(lambda raw: resign(raw, iss=None, aud=None)), False, False),
    "unknown_type": (each(lambda raw: resign(raw, token_type="id")), False, False),
    # Each token where the other type is expected (verify takes both types: not asked).
    "wrong_type": (lambda user, pair, api_client: {"access": pair["refresh"], "refresh": pair["access"]}, False, False),
}
USER_STATES = {"password_changed_in_shell", "inactive_user", "deleted_user"}

ACCESS_ENDPOINTS = {  # authenticated endpoints; an empty body is a 400 once authenticated
    "me": ("get", "/api/auth/me/", 200),
    "email": ("patch", "/api/auth/email/", 400),
    "phone": ("patch", "/api/auth/phone/", 400),
    "password_change": ("post", "/api/auth/password/change/", 400),
}
ENDPOINTS = [
    *ACCESS_ENDPOINTS,
    "verify_access",
    "verify_refresh",
    "refresh",
    "blacklist",
]


def authentication_verdict(raw, kind):
    """Does RevocationAwareJWTAuthentication accept ``raw`` as a token of ``kind``?"""
    authentication = RevocationAwareJWTAuthentication()
    authentication.token_classes = (AccessToken,) if kind == "access" else (LinkedRefreshToken,)
    request = APIRequestFactory().get("/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    try:
        return authentication.authenticate(request) is not None
    except AuthenticationFailed:
        return False


def endpoint_verdict(api_client, endpoint, tokens):
    """(accepted?, status) of one call to ``endpoint`` with the state's token."""
    if endpoint in ACCESS_ENDPOINTS:
        method, path, accepted_status = ACCESS_ENDPOINTS[endpoint]
        response = getattr(api_client, method)(path, {}, HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    elif endpoint.startswith("verify_"):
        accepted_status = 200
        response = api_client.post("/api/token/verify/", {"token": tokens[endpoint.removeprefix("verify_")]})
    else:
        accepted_status = 200
        response = api_client.post(f"/api/token/{endpoint}/", {"refresh": tokens["refresh"]})
    assert response.status_code in {accepted_status, 401}, (response.status_code, response.content)
    return response.status_code == accepted_status, response.status_code


# Every cell but verify x wrong_type: verify takes access and refresh tokens alike, by design.
CELLS = [(s, e) for s in STATES for e in ENDPOINTS if not (s == "wrong_type" and e.startswith("verify_"))]


@pytest.mark.parametrize(("state", "endpoint"), CELLS)
def test_every_endpoint_agrees_with_the_authentication_class(api_client, user, login, state, endpoint, password):
    reach, access_accepted, refresh_accepted = STATES[state]
    tokens = reach(user, login(username="alice", password=password), api_client)
    kind = "access" if endpoint in ACCESS_ENDPOINTS or endpoint == "verify_access" else "refresh"
    written = access_accepted if kind == "access" else refresh_accepted
    assert authentication_verdict(tokens[kind], kind) is written  # the class says what the table says

    accepted, status = endpoint_verdict(api_client, endpoint, tokens)

    if endpoint == "blacklist" and state in USER_STATES:
        assert status == 200  # logging out a gone user (or an old password's session) is harmless
    else:
        assert accepted is written, f"{endpoint} answered {status} for a {state} token"
