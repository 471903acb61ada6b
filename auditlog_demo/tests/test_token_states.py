"""Every endpoint that takes a token × every state a token can be in: the endpoint's
answer is the authentication class's verdict, nothing else.

The verdict comes from SimpleJWT's ``JWTAuthentication`` (the only default
authentication class), asked directly; the tables also pin which states it must accept.
The refresh endpoint must hand out an access token exactly when JWTAuthentication would
accept one for that user.
"""

from datetime import timedelta

import jwt
import pytest
from rest_framework import exceptions
from rest_framework.test import APIClient, APIRequestFactory
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from notes.models import Note

# (method, path, body, status when accepted); refused is always 401 (WWW-Authenticate: Bearer)
ENDPOINTS = [
    ("get", "/api/notes/", None, 200),
    ("post", "/api/notes/", {"title": "new", "tags": ["t"]}, 201),
    ("get", "/api/notes/{note}/", None, 200),
    ("patch", "/api/notes/{note}/", {"title": "edited"}, 200),
    ("put", "/api/notes/{note}/", {"title": "replaced", "body": "", "tags": []}, 200),
    ("delete", "/api/notes/{note}/", None, 204),
    ("get", "/api/notes/{note}/history/", None, 200),
    ("get", "/api/hits/", None, 200),
    ("get", "/api/users/{user}/history/", None, 200),
]


def expired(token_class, user):
    token = token_class.for_user(user)
    token.set_exp(lifetime=-timedelta(seconds=1))
    return str(token)


def forged(token_class, user):
    return jwt.encode(dict(token_class.for_user(user).payload), "not-the-signing-key-" + "x" * 32, algorithm="HS256")


def unsigned(token_class, user):
    return jwt.encode(dict(token_class.for_user(user).payload), None, algorithm="none")


def inactive(user):
    user.is_active = False
    user.save()


def deleted(user):
    user.delete()


def password_changed(user):
    user.set_password("a different passphrase 12")
    user.save()


OTHER_TYPE = {AccessToken: RefreshToken, RefreshToken: AccessToken}

# state -> (token maker(token_class, user), what happens to the user afterwards, accepted?)
STATES = {
    "valid": (lambda cls, user: str(cls.for_user(user)), None, True),
    "expired": (expired, None, False),
    "user-inactive": (lambda cls, user: str(cls.for_user(user)), inactive, False),
    "user-deleted": (lambda cls, user: str(cls.for_user(user)), deleted, False),
    "password-changed": (lambda cls, user: str(cls.for_user(user)), password_changed, False),
    "forged-signature": (forged, None, False),
    "alg-none": (unsigned, None, False),
    "wrong-type": (lambda cls, user: str(OTHER_TYPE[cls].for_user(user)), None, False),
    "garbage": (lambda cls, user: "not.a.jwt", None, False),
}


def access_verdict(raw):
    """True when JWTAuthentication accepts ``Bearer raw``."""
    request = APIRequestFactory().get("/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    try:
        return JWTAuthentication().authenticate(request) is not None
    except exceptions.AuthenticationFailed:
        return False


def refresh_verdict(raw):
    """True when JWTAuthentication would accept the access token this refresh token yields."""
    try:
        JWTAuthentication().get_user(RefreshToken(raw).access_token)
        return True
    except (TokenError, exceptions.AuthenticationFailed):
        return False


@pytest.fixture
def owner(user_factory):
    # Staff, so that the staff-only endpoints answer 200 to a token they accept.
    return user_factory(username="sam", is_staff=True)


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize(("method", "path", "body", "accepted_status"), ENDPOINTS)
def test_every_endpoint_agrees_with_the_authentication_class(owner, state, method, path, body, accepted_status):
    note = Note.objects.create(title="mine", owner=owner)
    url = path.format(note=note.pk, user=owner.pk)
    make_token, change, should_accept = STATES[state]
    raw = make_token(AccessToken, owner)
    if change:
        change(owner)

    accepted = access_verdict(raw)
    response = getattr(APIClient(), method)(url, body, format="json", HTTP_AUTHORIZATION=f"Bearer {raw}")

    assert accepted is should_accept
    assert response.status_code == (accepted_status if accepted else 401), response.content
    if not accepted:
        assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("state", STATES)
def test_refresh_agrees_with_the_authentication_class(owner, state):
    make_token, change, should_accept = STATES[state]
    raw = make_token(RefreshToken, owner)
    if change:
        change(owner)

    accepted = refresh_verdict(raw)
    response = APIClient().post("/api/token/refresh/", {"refresh": raw}, format="json")

    assert accepted is should_accept
    assert response.status_code == (200 if accepted else 401), response.content
    assert ("access" in response.json()) is accepted
