"""The djwto parity table (README.md, "djwto parity"): one test per row.

djwto 0.0.4's own source (djwto/views.py, djwto/tokens.py) is what "djwto" means here:
its views send ``sender=type(self).__name__``; its claims are built by
``tokens.process_claims`` (``iat``, ``exp``, ``jti``, ``type``, ``user: {username, id,
perms}``; ``iss``, ``sub``, ``aud`` only when DJWTO_ISS_CLAIM / DJWTO_SUB_CLAIM /
DJWTO_AUD_CLAIM are set). A receiver "works unchanged" only where a test below proves it.
"""

import json

import pytest
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from rest_framework_simplejwt.tokens import RefreshToken

import jwt_auth.signals as signals

pytestmark = pytest.mark.django_db


@pytest.fixture
def connected():
    """``connected(signal, "SenderLiteral", handler)``, disconnected after the test."""
    made = []

    def connect(signal, sender, handler):
        signal.connect(handler, sender=sender, weak=False)
        made.append((signal, sender, handler))

    yield connect
    for signal, sender, handler in made:
        signal.disconnect(handler, sender=sender)


def test_parity_jwt_logged_in_claims_are_simplejwts_not_djwtos(api_client, user, connected, password):
    heard = {}
    connected(signals.jwt_logged_in, "GetTokensView", lambda sender, **kwargs: heard.update(kwargs))
    api_client.post("/api/token/", {"username": "alice", "password": password})
    refresh, access = heard["refresh_claims"], heard["access_claims"]
    assert set(refresh) == {"token_type", "exp", "iat", "jti", "user_id", "hash_password", "iss", "aud"}
    assert set(access) == set(refresh) | {"rjti"}
    assert refresh["user_id"] == str(user.pk)
    for djwto_only in ("user", "type", "sub", "refresh_iat"):
        assert djwto_only not in refresh and djwto_only not in access


def test_parity_a_receiver_reading_djwtos_user_claim_breaks_the_login(api_client, user, connected, password):
    def djwto_receiver(sender, refresh_claims, **kwargs):
        return refresh_claims["user"]["username"]  # djwto's claims have it; these do not

    connected(signals.jwt_logged_in, "GetTokensView", djwto_receiver)
    with pytest.raises(KeyError, match="user"):  # Django's send() lets it through, as in djwto
        api_client.post("/api/token/", {"username": "alice", "password": password})


def test_parity_jwt_logged_in_is_also_sent_by_sign_up(api_client, db, connected):
    paths = []
    connected(signals.jwt_logged_in, "GetTokensView", lambda sender, request, **kwargs: paths.append(request.path))
    body = {"username": "newcomer", "email": "newcomer@example.com", "password": "a long sign-up passphrase 42"}
    api_client.post("/api/auth/signup/", body)
    assert paths == ["/api/auth/signup/"]  # djwto has no sign-up


def test_parity_jwt_login_fail_error_is_json_with_drfs_keys(api_client, user, connected):
    errors = []
    connected(signals.jwt_login_fail, "GetTokensView", lambda sender, error, **kwargs: errors.append(error))
    api_client.post("/api/token/", {"username": "alice", "password": "wrong"})  # 401
    api_client.post("/api/token/", {"password": "wrong"})  # 400: djwto answers a form error with 401
    parsed = [json.loads(error) for error in errors]  # a receiver that json.loads() works unchanged
    assert parsed[0].keys() == {"detail"}
    assert parsed[1].keys() == {"username"}
    assert all("__all__" not in error for error in parsed)  # djwto's AuthenticationForm key


def test_parity_jwt_login_fail_is_not_sent_for_a_throttled_login(api_client, user, connected, throttle_rates):

    from tests.test_throttle_and_settings import fresh_address

    throttle_rates(login="1/minute")
    errors = []
    connected(signals.jwt_login_fail, "GetTokensView", lambda sender, error, **kwargs: errors.append(error))
    client_ip, wrong = fresh_address(), {"username": "alice", "password": "x"}
    statuses = [api_client.post("/api/token/", wrong, REMOTE_ADDR=client_ip).status_code for _ in "ab"]
    assert statuses == [401, 429]
    assert len(errors) == 1  # the throttle answers before the view runs


def test_parity_jwt_blacklisted_works_unchanged(api_client, user, login, connected):
    heard = []

    def djwto_receiver(sender, request, jti, **kwargs):  # djwto's documented shape
        heard.append((sender, isinstance(request, HttpRequest), jti))

    connected(signals.jwt_blacklisted, "BlackListTokenView", djwto_receiver)
    refresh = login(username="alice")["refresh"]
    api_client.post("/api/token/blacklist/", {"refresh": refresh})
    api_client.post("/api/token/blacklist/", {"refresh": refresh})  # already blacklisted: no signal
    assert heard == [("BlackListTokenView", True, RefreshToken(refresh, verify=False)["jti"])]


def test_parity_jwt_token_validated_only_for_tokens_this_server_accepts(api_client, user, login, connected):
    heard = []
    connected(signals.jwt_token_validated, "ValidateTokensView", lambda sender, request, **kwargs: heard.append(1))
    pair = login(username="alice")
    api_client.post("/api/token/verify/", {"token": pair["refresh"]})
    api_client.post("/api/token/blacklist/", {"refresh": pair["refresh"]})
    # djwto still validates a blacklisted token (its ValidateTokensView checks the signature
    # only); here it is a 401 and no signal.
    assert api_client.post("/api/token/verify/", {"token": pair["refresh"]}).status_code == 401
    assert heard == [1]


def test_parity_jwt_access_refreshed_carries_the_new_refresh_tokens_claims(api_client, user, login, connected):
    heard = {}
    connected(signals.jwt_access_refreshed, "RefreshAccessView", lambda sender, **kwargs: heard.update(kwargs))
    old = login(username="alice")["refresh"]
    new = api_client.post("/api/token/refresh/", {"refresh": old}).json()["refresh"]
    # djwto passes the presented refresh token's claims (it does not rotate); here the new one's.
    assert heard["refresh_claims"]["jti"] == RefreshToken(new)["jti"] != RefreshToken(old, verify=False)["jti"]
    assert not hasattr(heard["request"], "payload")  # djwto's decorators add request.payload / .token


def test_parity_jwt_refresh_updated_fires_on_every_refresh_with_jwt_access_refreshed(
    api_client, user, login, connected
):
    order = []
    connected(signals.jwt_access_refreshed, "RefreshAccessView", lambda sender, **kwargs: order.append(sender))
    connected(signals.jwt_refresh_updated, "UpdateRefreshView", lambda sender, **kwargs: order.append(sender))
    api_client.post("/api/token/refresh/", {"refresh": login(username="alice")["refresh"]})
    # djwto sends jwt_refresh_updated only from its opt-in update_refresh/ endpoint, never
    # together with jwt_access_refreshed. Here every refresh rotates: both, in this order.
    assert order == ["RefreshAccessView", "UpdateRefreshView"]
    with pytest.raises(NoReverseMatch):  # and there is no update-refresh endpoint
        reverse("update_refresh")
