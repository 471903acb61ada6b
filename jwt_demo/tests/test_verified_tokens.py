"""A token's signature is verified once per process (jwt_auth/verified.py), and nothing that a
full verification would refuse gets through because of it."""

import time
from datetime import timedelta

import pytest
from rest_framework_simplejwt.backends import TokenBackend
from rest_framework_simplejwt.tokens import AccessToken

from jwt_auth import verified
from jwt_auth.verified import verified_tokens

pytestmark = pytest.mark.django_db


@pytest.fixture
def verifications(monkeypatch):
    """How many times SimpleJWT's backend has decoded a token (parsed it, checked its signature)."""
    calls = []
    real_decode = TokenBackend.decode

    def counted(self, token, verify=True):
        calls.append(token.decode() if isinstance(token, bytes) else token)  # a header's bytes
        return real_decode(self, token, verify)

    monkeypatch.setattr(TokenBackend, "decode", counted)
    return calls


def test_a_token_sent_again_is_not_verified_again(user, login, me, verifications):
    access = login(username=user.username)["access"]
    for _ in range(3):
        assert me(access).status_code == 200
    assert verifications.count(access) == 1


def test_a_token_with_another_signature_is_verified_in_full_and_refused(user, login, me, verifications):
    access = login(username=user.username)["access"]
    assert me(access).status_code == 200
    header, claims, signature = access.split(".")
    forged = f"{header}.{claims}.{signature[:-2]}{'AA' if signature[-2:] != 'AA' else 'BB'}"
    assert me(forged).status_code == 401
    assert verifications.count(forged) == 1


def test_a_kept_token_is_refused_once_it_expires_with_simplejwts_own_message(user, me):
    token = AccessToken.for_user(user)
    token.set_exp(lifetime=timedelta(seconds=1))
    access = str(token)
    assert me(access).status_code == 200  # verified and kept
    time.sleep(1.1)
    response = me(access)
    assert response.status_code == 401
    assert response.json()["messages"][0]["message"] == "Token is expired"
    assert not verified_tokens.payloads


def test_a_kept_token_is_refused_once_logged_out(api_client, user, login, me):
    pair = login(username=user.username)
    assert me(pair["access"]).status_code == 200
    assert api_client.post("/api/token/blacklist/", {"refresh": pair["refresh"]}).status_code == 200
    assert me(pair["access"]).status_code == 401  # its refresh token's jti is revoked


def test_a_kept_refresh_token_is_refused_once_blacklisted(api_client, user, login):
    pair = login(username=user.username)
    assert api_client.post("/api/token/verify/", {"token": pair["refresh"]}).status_code == 200
    api_client.post("/api/token/blacklist/", {"refresh": pair["refresh"]})
    assert api_client.post("/api/token/verify/", {"token": pair["refresh"]}).status_code == 401


def test_the_kept_tokens_are_bounded_in_number_and_length(user, me, monkeypatch):
    monkeypatch.setattr(verified, "MAX_ENTRIES", 3)
    tokens = [str(AccessToken.for_user(user)) for _ in range(5)]
    for access in tokens:
        assert me(access).status_code == 200
    assert [raw.decode() for _, raw in verified_tokens.payloads] == tokens[-3:]  # the oldest went first

    long_lived = AccessToken.for_user(user)
    long_lived["padding"] = "x" * verified.MAX_TOKEN_LENGTH
    assert me(str(long_lived)).status_code == 200  # verified, accepted, not kept
    assert all(len(raw) <= verified.MAX_TOKEN_LENGTH for _, raw in verified_tokens.payloads)
