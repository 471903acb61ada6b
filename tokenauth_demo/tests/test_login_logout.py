"""POST /demotoken/login/ and /demotoken/logout/, GET|POST /demotoken/secure/."""

import pytest
from rest_framework.authtoken.models import Token

from tokens.authentication import ExpiringTokenAuthentication

LOGIN, LOGOUT, SECURE = "/demotoken/login/", "/demotoken/logout/", "/demotoken/secure/"


def test_login_returns_the_users_token(api_client, user, key, password):
    response = api_client.post(LOGIN, {"username": "alice", "password": password})

    assert response.status_code == 200
    assert response.json() == {"token": key}


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({"username": "alice", "password": "wrong password"}, ["non_field_errors"]),
        ({"username": "nobody", "password": "any passphrase at all"}, ["non_field_errors"]),
        ({"username": "alice"}, ["password"]),
        ({"password": "any passphrase at all"}, ["username"]),
        ({"username": "nul\u0000", "password": "any passphrase at all"}, ["username"]),
    ],
    ids=["wrong-password", "unknown-user", "no-password", "no-username", "nul"],
)
def test_bad_login_is_a_400_naming_the_problem(api_client, user, payload, fields):
    response = api_client.post(LOGIN, payload)

    assert response.status_code == 400
    assert sorted(response.json()) == fields
    assert "token" not in response.json()


def test_inactive_user_cannot_log_in(api_client, user_factory, password):
    user_factory(username="bob", is_active=False)

    response = api_client.post(LOGIN, {"username": "bob", "password": password})

    assert response.status_code == 400


def test_login_ignores_a_stale_authorization_header(api_client, user, key, password):
    # A client that still sends its old, deleted key must be able to log in again.
    api_client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)

    response = api_client.post(LOGIN, {"username": "alice", "password": password})

    assert response.status_code == 200


@pytest.mark.parametrize("method", ["get", "post"])
def test_secure_page_answers_200_with_a_message_for_a_valid_token(token_client, method):
    response = getattr(token_client, method)(SECURE)

    assert response.status_code == 200
    assert set(response.json()) == {"message"}
    assert "alice" in response.json()["message"]


@pytest.mark.parametrize("method", ["get", "post"])
def test_secure_page_without_a_token_is_a_401_with_www_authenticate(api_client, db, method):
    response = getattr(api_client, method)(SECURE)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_secure_page_refuses_the_token_of_an_inactive_user(token_client, user):
    user.is_active = False
    user.save()

    response = token_client.get(SECURE)

    assert response.status_code == 401


def test_logout_deletes_the_token_and_the_old_key_gets_401(token_client, user, key):
    response = token_client.post(LOGOUT)

    assert response.status_code == 204
    assert not Token.objects.filter(user=user).exists()
    refused = token_client.get(SECURE)
    assert refused.status_code == 401
    assert refused["WWW-Authenticate"] == "Token"
    assert token_client.post(LOGOUT).status_code == 401  # logging out twice: the key is gone


def test_logging_in_after_logout_issues_a_new_key(token_client, user, key, password):
    token_client.post(LOGOUT)
    token_client.credentials()

    response = token_client.post(LOGIN, {"username": "alice", "password": password})

    new_key = response.json()["token"]
    assert new_key != key
    assert Token.objects.get(user=user).key == new_key
    token_client.credentials(HTTP_AUTHORIZATION=f"Token {new_key}")
    assert token_client.get(SECURE).status_code == 200


def test_logout_needs_a_token(api_client, db):
    response = api_client.post(LOGOUT)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_logout_and_login_only_accept_post(token_client):
    assert token_client.get(LOGOUT).status_code == 405
    assert token_client.get(LOGIN).status_code == 405


@pytest.mark.parametrize("debug", [True, False])
def test_endpoints_answer_without_a_trailing_slash(api_client, settings, user, key, debug, password):
    # With APPEND_SLASH a slash-less POST would be a 301 (body lost) or, with DEBUG, a 500.
    settings.DEBUG = debug

    assert api_client.post("/demotoken/login", {"username": "alice", "password": password}).status_code == 200
    assert api_client.get("/demotoken/secure").status_code == 401
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api_client.post("/demotoken/secure").status_code == 200
    assert api_client.post("/demotoken/logout").status_code == 204


@pytest.mark.parametrize("field", ["username", "password"])
def test_an_oversized_login_field_is_a_400_naming_it(api_client, user, field, password):
    payload = {"username": "alice", "password": password, field: "x" * 1000}

    response = api_client.post(LOGIN, payload)

    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_a_logout_that_lost_the_race_is_a_401(token_client, user, monkeypatch):
    # Two logouts with one key: both authenticate, then the other one deletes the row
    # first. The loser must not claim a logout that did not happen.
    authenticate = ExpiringTokenAuthentication.authenticate_credentials

    def authenticate_then_lose_the_race(self, key):
        result = authenticate(self, key)
        Token.objects.filter(key=key).delete()  # the other logout, finishing first
        return result

    monkeypatch.setattr(ExpiringTokenAuthentication, "authenticate_credentials", authenticate_then_lose_the_race)

    response = token_client.post(LOGOUT)

    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}


def test_a_password_change_during_login_issues_no_key_for_the_old_password(api_client, user, monkeypatch, password):
    # Checking a password takes a few hundred milliseconds of hashing. A password change
    # (shell, admin, reset) that commits meanwhile deletes the user's keys; the login that
    # checked the OLD password must not then create a fresh key that outlives the change.
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken import serializers as drf_serializers

    authenticate = drf_serializers.authenticate

    def authenticate_then_the_owner_changes_the_password(**credentials):
        checked = authenticate(**credentials)
        owner_copy = get_user_model().objects.get(pk=checked.pk)
        owner_copy.set_password("the owner's new passphrase 8")
        owner_copy.save()  # the receivers delete every key of alice here
        return checked

    monkeypatch.setattr(drf_serializers, "authenticate", authenticate_then_the_owner_changes_the_password)

    response = api_client.post(LOGIN, {"username": "alice", "password": password})

    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]
    assert not Token.objects.filter(user=user).exists()


def test_login_reads_the_username_as_sign_up_stored_it(api_client, db, password):
    # Sign-up stores "ravi" for a fullwidth "ｒａｖｉ" (NFKC, User.normalize_username), and
    # Django's admin login normalises the same way; the API login did not, so the name the
    # user typed at sign-up was refused at login.
    registered = api_client.post("/demotoken/register/", {"username": "ｒａｖｉ", "password": password})
    assert registered.json()["username"] == "ravi"

    response = api_client.post(LOGIN, {"username": "ｒａｖｉ", "password": password})

    assert response.status_code == 200
    assert response.json()["token"] == registered.json()["token"]
