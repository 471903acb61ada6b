"""djwto's six signals (sender strings and kwargs as djwto documents them) and
Django's user_logged_in / user_login_failed on token login."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.http import HttpRequest
from rest_framework.test import APIRequestFactory
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken
from rest_framework_simplejwt.views import TokenObtainPairView

import jwt_auth.signals as signals
from demo_harness.plugin import DEFAULT_PASSWORD  # for test data built at import time

pytestmark = pytest.mark.django_db

NAMES = {
    signals.jwt_logged_in: "jwt_logged_in",
    signals.jwt_login_fail: "jwt_login_fail",
    signals.jwt_blacklisted: "jwt_blacklisted",
    signals.jwt_token_validated: "jwt_token_validated",
    signals.jwt_access_refreshed: "jwt_access_refreshed",
    signals.jwt_refresh_updated: "jwt_refresh_updated",
}


@pytest.fixture
def recorder(signal_recorder):
    return signal_recorder(*NAMES, user_logged_in, user_login_failed, names=NAMES)


def test_a_handler_connected_as_in_djwtos_docs_receives_the_login(api_client, user, password):
    received = []

    def handler(sender, **kwargs):  # exactly the shape of djwto's documentation
        received.append((sender, kwargs))

    signals.jwt_logged_in.connect(handler, sender="GetTokensView")
    try:
        api_client.post("/api/token/", {"username": "alice", "password": password})
    finally:
        signals.jwt_logged_in.disconnect(handler, sender="GetTokensView")
    [(sender, kwargs)] = received
    assert sender == "GetTokensView"
    assert set(kwargs) == {"signal", "request", "refresh_claims", "access_claims"}


def test_login_sends_jwt_logged_in_with_both_claim_sets(api_client, user, recorder, password):
    with recorder as rec:
        tokens = api_client.post("/api/token/", {"username": "alice", "password": password}).json()
    call = rec.assert_sent_once(signals.jwt_logged_in, sender="GetTokensView")
    assert set(call.kwargs) == {"request", "refresh_claims", "access_claims"}
    assert isinstance(call.kwargs["request"], HttpRequest)
    assert call.kwargs["request"].path == "/api/token/"
    assert call.kwargs["refresh_claims"] == RefreshToken(tokens["refresh"]).payload
    assert call.kwargs["access_claims"]["token_type"] == "access"
    assert call.kwargs["access_claims"]["user_id"] == str(user.pk)
    rec.assert_not_sent(signals.jwt_login_fail)


@pytest.mark.parametrize(
    ("body", "key"),
    [({"username": "alice", "password": "wrong"}, "detail"), ({"password": DEFAULT_PASSWORD}, "username")],
)
def test_failed_login_sends_jwt_login_fail_with_a_json_error(api_client, user, recorder, body, key, password):
    with recorder as rec:
        api_client.post("/api/token/", body)
    call = rec.assert_sent_once(signals.jwt_login_fail, sender="GetTokensView")
    assert set(call.kwargs) == {"request", "error"}
    assert key in json.loads(call.kwargs["error"])
    assert "wrong" not in call.kwargs["error"] and password not in call.kwargs["error"]
    rec.assert_not_sent(signals.jwt_logged_in)
    rec.assert_not_sent(user_logged_in)


def test_refresh_sends_jwt_access_refreshed_and_jwt_refresh_updated(api_client, user, login, recorder):
    pair = login(username="alice")
    with recorder as rec:
        new = api_client.post("/api/token/refresh/", {"refresh": pair["refresh"]}).json()
    for signal, sender in [
        (signals.jwt_access_refreshed, "RefreshAccessView"),
        (signals.jwt_refresh_updated, "UpdateRefreshView"),
    ]:
        call = rec.assert_sent_once(signal, sender=sender)
        assert set(call.kwargs) == {"request", "refresh_claims", "access_claims"}
        assert call.kwargs["refresh_claims"]["jti"] == RefreshToken(new["refresh"])["jti"]
        assert call.kwargs["access_claims"]["token_type"] == "access"
    assert rec.names() == ["jwt_access_refreshed", "jwt_refresh_updated"]


def test_failed_refresh_sends_nothing(api_client, recorder):
    with recorder as rec:
        api_client.post("/api/token/refresh/", {"refresh": "garbage"})
    assert rec.calls == []


def test_verify_sends_jwt_token_validated_only_for_valid_tokens(api_client, user, login, recorder):
    access = login(username="alice")["access"]
    with recorder as rec:
        api_client.post("/api/token/verify/", {"token": access})
        api_client.post("/api/token/verify/", {"token": "garbage"})
    call = rec.assert_sent_once(signals.jwt_token_validated, sender="ValidateTokensView")
    assert set(call.kwargs) == {"request"}


def test_logout_sends_jwt_blacklisted_with_the_jti(api_client, user, login, recorder):
    refresh = login(username="alice")["refresh"]
    with recorder as rec:
        api_client.post("/api/token/blacklist/", {"refresh": refresh})
        api_client.post("/api/token/blacklist/", {"refresh": refresh})  # 401: no second signal
    call = rec.assert_sent_once(signals.jwt_blacklisted, sender="BlackListTokenView")
    assert call.kwargs["jti"] == RefreshToken(refresh, verify=False)["jti"]
    assert set(call.kwargs) == {"request", "jti"}


# --- Django's own login signals ---------------------------------------------------------
def test_simplejwt_does_not_send_user_logged_in_trap(user, signal_recorder, stock_simplejwt, password):
    """Stock SimpleJWT: a token login is invisible to user_logged_in receivers
    (last_login stays empty, audit receivers never run)."""
    request = APIRequestFactory().post("/token/", {"username": "alice", "password": password}, format="json")
    with stock_simplejwt(pitfall="user_logged_in"), signal_recorder(user_logged_in) as rec:
        response = TokenObtainPairView.as_view()(request)
        assert response.status_code == 200
        rec.assert_not_sent(user_logged_in)
        user.refresh_from_db()
        assert user.last_login is None


def test_token_login_sends_user_logged_in_fix(api_client, user, recorder, password):
    with recorder as rec:
        api_client.post("/api/token/", {"email": "alice@example.com", "password": password})
    call = rec.assert_sent_once(user_logged_in, sender=type(user), user=user)
    assert isinstance(call.kwargs["request"], HttpRequest)
    user.refresh_from_db()
    assert user.last_login is not None  # Django's update_last_login receiver ran


def test_token_login_failure_sends_user_login_failed_without_the_password(api_client, user, recorder):
    with recorder as rec:
        api_client.post("/api/token/", {"username": "alice", "password": "wrong"})
    call = rec.assert_sent_once(user_login_failed)
    assert call.kwargs["credentials"]["username"] == "alice"
    assert call.kwargs["credentials"]["password"] != "wrong"  # Django masks it
    rec.assert_not_sent(user_logged_in)


def test_sign_up_is_a_login_it_sends_the_login_signals_and_sets_last_login(api_client, recorder):
    body = {"username": "newcomer", "email": "newcomer@example.com", "password": "a long sign-up passphrase 42"}
    with recorder as rec:
        response = api_client.post("/api/auth/signup/", body)
    assert response.status_code == 201
    user = get_user_model().objects.get(username="newcomer")
    call = rec.assert_sent_once(user_logged_in, sender=type(user), user=user)
    assert call.kwargs["request"].path == "/api/auth/signup/"
    call = rec.assert_sent_once(signals.jwt_logged_in, sender=signals.LOGIN_SENDER)
    assert call.kwargs["refresh_claims"] == RefreshToken(response.json()["refresh"]).payload
    assert call.kwargs["access_claims"] == AccessToken(response.json()["access"]).payload
    assert user.last_login is not None  # Django's update_last_login receiver ran
