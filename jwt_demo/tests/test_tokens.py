"""The token endpoints: refresh (rotation), verify, blacklist (logout), bad headers."""

import pytest
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(user, login):
    return login(username=user.username)


def test_refresh_returns_a_new_pair_and_the_old_refresh_is_then_401(api_client, pair, me):
    response = api_client.post("/api/token/refresh/", {"refresh": pair["refresh"]})
    assert response.status_code == 200
    new = response.json()
    assert set(new) == {"access", "refresh"}
    assert new["refresh"] != pair["refresh"]
    assert me(new["access"]).status_code == 200
    # Reusing the rotated refresh token: refused.
    assert api_client.post("/api/token/refresh/", {"refresh": pair["refresh"]}).status_code == 401
    # The new one works once.
    assert api_client.post("/api/token/refresh/", {"refresh": new["refresh"]}).status_code == 200


def test_refresh_records_the_new_token_and_blacklists_the_old(api_client, pair):
    new = api_client.post("/api/token/refresh/", {"refresh": pair["refresh"]}).json()
    assert OutstandingToken.objects.count() == 2
    assert BlacklistedToken.objects.count() == 1
    from rest_framework_simplejwt.tokens import RefreshToken

    assert OutstandingToken.objects.filter(jti=RefreshToken(new["refresh"])["jti"]).exists()


@pytest.mark.parametrize("body", [{}, {"refresh": ""}])
def test_refresh_without_a_token_is_400_naming_the_field(api_client, body):
    response = api_client.post("/api/token/refresh/", body)
    assert response.status_code == 400
    assert "refresh" in response.json()


def test_verify_accepts_valid_tokens_and_refuses_others(api_client, pair):
    assert api_client.post("/api/token/verify/", {"token": pair["access"]}).status_code == 200
    assert api_client.post("/api/token/verify/", {"token": pair["refresh"]}).status_code == 200
    assert api_client.post("/api/token/verify/", {"token": "garbage"}).status_code == 401
    api_client.post("/api/token/refresh/", {"refresh": pair["refresh"]})
    # A rotated (blacklisted) refresh and the access minted from it no longer verify.
    assert api_client.post("/api/token/verify/", {"token": pair["refresh"]}).status_code == 401
    assert api_client.post("/api/token/verify/", {"token": pair["access"]}).status_code == 401
    assert "token" in api_client.post("/api/token/verify/", {}).json()


def test_blacklisted_refresh_verifies_401_even_after_its_cache_entry_expired(api_client, pair):
    from jwt_auth import revocation
    from jwt_auth.models import RevokedToken

    api_client.post("/api/token/blacklist/", {"refresh": pair["refresh"]})
    # Its revocation lives ACCESS_TOKEN_LIFETIME, the refresh token a day: once the row and
    # the mirror's entry have expired (deleted here), the blacklist table alone still refuses it.
    RevokedToken.objects.all().delete()
    revocation.mirror.reset()
    assert api_client.post("/api/token/verify/", {"token": pair["refresh"]}).status_code == 401


def test_blacklist_logs_out_and_twice_is_401(api_client, pair):
    response = api_client.post("/api/token/blacklist/", {"refresh": pair["refresh"]})
    assert response.status_code == 200
    assert api_client.post("/api/token/blacklist/", {"refresh": pair["refresh"]}).status_code == 401
    assert api_client.post("/api/token/refresh/", {"refresh": pair["refresh"]}).status_code == 401


def test_blacklist_refuses_an_access_token(api_client, pair):
    assert api_client.post("/api/token/blacklist/", {"refresh": pair["access"]}).status_code == 401
    assert "refresh" in api_client.post("/api/token/blacklist/", {}).json()


@pytest.mark.parametrize(
    "header",
    ["Bearer", "Bearer a b", "Bearer garbage", "Bearer ☃", "Basic dXNlcjpwYXNz", "garbage", "Bearer eyJ.eyJ.sig"],
)
def test_malformed_authorization_headers_are_401_never_500(api_client, header):
    response = api_client.get("/api/auth/me/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401


def test_me_without_credentials_is_401(api_client):
    assert api_client.get("/api/auth/me/").status_code == 401
