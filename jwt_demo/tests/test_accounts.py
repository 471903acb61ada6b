"""Sign-up, me, password change / forgot / reset, email and phone updates."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils.http import urlsafe_base64_encode

from accounts.phone import normalize_phone
from demo_harness.plugin import DEFAULT_PASSWORD  # for test data built at import time

pytestmark = pytest.mark.django_db
User = get_user_model()
STRONG = "a much better secret 42"


def signup(api_client, **fields):
    body = {"username": "carol", "email": "carol@example.com", "password": STRONG, **fields}
    return api_client.post("/api/auth/signup/", body)


# --- phone normalization ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("(415) 555-2671", "+14155552671"),
        ("+1 415-555-2671", "+14155552671"),
        ("+44 20 7946 0958", "+442079460958"),
        ("+33 6 12 34 56 78", "+33612345678"),
    ],
)
def test_normalize_phone_gives_e164(raw, e164):
    assert normalize_phone(raw) == e164


@pytest.mark.parametrize("raw", ["12", "abc", "+1 415", ""])
def test_normalize_phone_rejects_invalid_numbers(raw):
    with pytest.raises(ValueError):
        normalize_phone(raw)


def test_model_stores_normalized_email_and_phone(user_factory):
    user = user_factory(username="dora", email="Dora@Example.COM", phone="(415) 555-2671")
    user.refresh_from_db()
    assert (user.email, user.phone) == ("dora@example.com", "+14155552671")
    assert user_factory(username="erin", phone="").phone is None  # NULL, so many users may have none


# --- sign-up -----------------------------------------------------------------------------
def test_signup_returns_201_with_user_and_tokens(api_client, me):
    response = signup(api_client, phone="(415) 555-2671")
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"user", "access", "refresh"}
    assert body["user"] == {
        "id": body["user"]["id"],
        "username": "carol",
        "email": "carol@example.com",
        "phone": "+14155552671",
    }
    assert me(body["access"]).json() == body["user"]
    assert "password" not in response.content.decode()


def test_signup_phone_is_optional(api_client):
    assert signup(api_client).json()["user"]["phone"] is None


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"username": "alice"}, "username"),
        ({"email": "ALICE@example.com"}, "email"),
        ({"phone": "+1 (415) 555 2671"}, "phone"),
        ({"password": "123"}, "password"),
        ({"password": "password"}, "password"),
        ({"password": "carol1234"}, "password"),  # too similar to the username
        ({"phone": "12"}, "phone"),
        ({"email": "nope"}, "email"),
        ({"username": "bad name!"}, "username"),
    ],
)
def test_signup_duplicates_and_weak_passwords_are_400_naming_the_field(api_client, user_factory, fields, field):
    user_factory(username="alice", email="alice@example.com", phone="+14155552671")
    before = User.objects.count()
    response = signup(api_client, **fields)
    assert response.status_code == 400
    assert field in response.json()
    assert User.objects.count() == before  # nothing half-written


def test_signup_race_on_a_unique_column_is_400_not_500(api_client, user_factory, monkeypatch):
    from accounts import serializers

    user_factory(username="carol")
    real_check = serializers.SignupSerializer.validate_username
    calls = []

    def first_check_misses(self, value):
        # Simulate the race: the first check ran before the other sign-up committed.
        calls.append(value)
        return value if len(calls) == 1 else real_check(self, value)

    monkeypatch.setattr(serializers.SignupSerializer, "validate_username", first_check_misses)
    response = signup(api_client, email="other@example.com")
    assert response.status_code == 400
    assert "username" in response.json()


def test_signup_writes_nothing_when_issuing_the_token_fails(api_client, monkeypatch):
    from jwt_auth.tokens import LinkedRefreshToken

    def boom(user):
        raise RuntimeError("token store down")

    monkeypatch.setattr(LinkedRefreshToken, "for_user", boom)
    api_client.raise_request_exception = False
    assert signup(api_client).status_code == 500
    assert not User.objects.filter(username="carol").exists()


# --- me ---------------------------------------------------------------------------------
def test_me_returns_the_profile(user, login, me):
    response = me(login(username="alice")["access"])
    assert response.status_code == 200
    assert response.json() == {"id": user.pk, "username": "alice", "email": "alice@example.com", "phone": None}


# --- password change --------------------------------------------------------------------
def change_password(api_client, access, **body):
    return api_client.post("/api/auth/password/change/", body, HTTP_AUTHORIZATION=f"Bearer {access}")


def test_password_change_is_204_and_blacklists_every_refresh_token(api_client, user, login, password):
    from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

    sessions = [login(username="alice") for _ in range(3)]
    response = change_password(api_client, sessions[0]["access"], old_password=password, new_password=STRONG)
    assert response.status_code == 204
    assert not OutstandingToken.objects.filter(user=user, blacklistedtoken__isnull=True).exists()
    for pair in sessions:
        assert api_client.post("/api/token/refresh/", {"refresh": pair["refresh"]}).status_code == 401
    user.refresh_from_db()
    assert user.check_password(STRONG)
    login(username="alice", password=STRONG)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"old_password": "wrong", "new_password": STRONG}, "old_password"),
        ({"old_password": DEFAULT_PASSWORD, "new_password": "short"}, "new_password"),
        ({"old_password": DEFAULT_PASSWORD}, "new_password"),
    ],
)
def test_password_change_errors_name_the_field_and_change_nothing(api_client, user, login, body, field, password):
    pair = login(username="alice")
    response = change_password(api_client, pair["access"], **body)
    assert response.status_code == 400
    assert field in response.json()
    user.refresh_from_db()
    assert user.check_password(password)
    assert api_client.post("/api/token/refresh/", {"refresh": pair["refresh"]}).status_code == 200


def test_password_change_needs_authentication(api_client):
    assert api_client.post("/api/auth/password/change/", {}).status_code == 401


# --- forgot / reset ---------------------------------------------------------------------
def forgot(api_client, email):
    return api_client.post("/api/auth/password/forgot/", {"email": email})


def reset_link(message):
    uid, token = re.search(r"\?uid=([\w-]+)&token=([\w-]+)", message.body).groups()
    return uid, token


def test_forgot_is_202_for_known_and_unknown_addresses_alike(api_client, user, password):
    known, unknown = forgot(api_client, "ALICE@example.com"), forgot(api_client, "nobody@example.com")
    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()  # no account enumeration
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alice@example.com"]
    user.refresh_from_db()
    assert user.check_password(password)  # asking for a reset changes nothing
    assert password not in mail.outbox[0].body


def test_forgot_sends_nothing_to_inactive_users(api_client, user_factory):
    user_factory(username="bob", is_active=False)
    assert forgot(api_client, "bob@example.com").status_code == 202
    assert mail.outbox == []


def test_forgot_with_a_malformed_email_is_400_naming_the_field(api_client):
    assert "email" in forgot(api_client, "not-an-email").json()


def test_reset_with_the_emailed_link_sets_the_password_once(api_client, user, login):
    old_pair = login(username="alice")
    forgot(api_client, "alice@example.com")
    uid, token = reset_link(mail.outbox[0])
    body = {"uid": uid, "token": token, "new_password": STRONG}
    assert api_client.post("/api/auth/password/reset/", body).status_code == 204
    login(username="alice", password=STRONG)
    # Reset logs out everywhere, like a password change.
    assert api_client.post("/api/token/refresh/", {"refresh": old_pair["refresh"]}).status_code == 401
    # The link is single-use: the token hashes the (now changed) password.
    again = api_client.post("/api/auth/password/reset/", {**body, "new_password": "yet another secret 43"})
    assert again.status_code == 400
    assert "token" in again.json()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"token": "wrong-token"}, "token"),
        # A bad uid is reported as a bad link, like a bad token (one answer for both).
        ({"uid": "garbage!"}, "token"),
        ({"uid": "OTk5OTk"}, "token"),  # base64 of a user id that does not exist
        ({"new_password": "12345678"}, "new_password"),
    ],
)
def test_reset_errors_are_400_naming_the_field(api_client, user, change, field, password):
    forgot(api_client, "alice@example.com")
    uid, token = reset_link(mail.outbox[0])
    response = api_client.post(
        "/api/auth/password/reset/", {"uid": uid, "token": token, "new_password": STRONG, **change}
    )
    assert response.status_code == 400
    assert field in response.json()
    user.refresh_from_db()
    assert user.check_password(password)


def test_reset_answers_a_real_uid_with_a_bad_token_and_an_unknown_uid_identically(api_client, user, user_factory):
    user_factory(username="bob", is_active=False)
    forgot(api_client, "alice@example.com")
    real_uid, _ = reset_link(mail.outbox[0])
    body = {"token": "wrong-token", "new_password": STRONG}
    answers = [
        api_client.post("/api/auth/password/reset/", {**body, "uid": uid})
        for uid in [real_uid, "OTk5OTk", "garbage!", urlsafe_base64_encode(b"2")]  # 2: bob, inactive
    ]
    assert {(answer.status_code, answer.content) for answer in answers} == {
        (400, b'{"token":["Invalid or expired reset link."]}')
    }


# --- email and phone --------------------------------------------------------------------
def patch(api_client, path, access, body):
    return api_client.patch(path, body, HTTP_AUTHORIZATION=f"Bearer {access}")


def test_change_email_with_current_password(api_client, user, login, password):
    access = login(username="alice")["access"]
    response = patch(api_client, "/api/auth/email/", access, {"email": "New@Example.com", "password": password})
    assert response.status_code == 200
    assert response.json()["email"] == "new@example.com"
    login(email="new@example.com")


def test_change_phone_with_current_password_and_remove_it(api_client, user, login, password):
    access = login(username="alice")["access"]
    response = patch(api_client, "/api/auth/phone/", access, {"phone": "(415) 555-2671", "password": password})
    assert response.status_code == 200
    assert response.json()["phone"] == "+14155552671"
    login(phone="+14155552671")
    response = patch(api_client, "/api/auth/phone/", access, {"phone": "", "password": password})
    assert response.json()["phone"] is None


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/auth/email/", {"email": "x@example.com", "password": "wrong"}, "password"),
        ("/api/auth/email/", {"email": "bob@example.com", "password": DEFAULT_PASSWORD}, "email"),
        ("/api/auth/email/", {"email": "nope", "password": DEFAULT_PASSWORD}, "email"),
        ("/api/auth/email/", {"email": "x@example.com"}, "password"),
        ("/api/auth/phone/", {"phone": "+14155552671", "password": "wrong"}, "password"),
        ("/api/auth/phone/", {"phone": "415 555 2671", "password": DEFAULT_PASSWORD}, "phone"),
        ("/api/auth/phone/", {"phone": "12", "password": DEFAULT_PASSWORD}, "phone"),
    ],
)
def test_contact_changes_are_400_naming_the_field_and_change_nothing(
    api_client, user, user_factory, login, path, body, field, password
):
    user_factory(username="bob", email="bob@example.com", phone="+14155552671")
    response = patch(api_client, path, login(username="alice")["access"], body)
    assert response.status_code == 400
    assert field in response.json()
    user.refresh_from_db()
    assert (user.email, user.phone) == ("alice@example.com", None)


def test_contact_change_race_is_400_not_500(api_client, user, user_factory, login, monkeypatch, password):
    from accounts import serializers

    user_factory(username="bob", email="bob@example.com")
    monkeypatch.setattr(serializers, "unique_email", lambda value, instance=None: value)
    response = patch(
        api_client,
        "/api/auth/email/",
        login(username="alice")["access"],
        {"email": "bob@example.com", "password": password},
    )
    assert response.status_code == 400
    assert "email" in response.json()


def test_json_nested_too_deeply_is_400_not_500(client, db):
    # Python's json module raises RecursionError here, which DRF's stock parser lets
    # through as a 500; config/parsers.py turns it into an ordinary 400.
    deep = "[" * 100_000 + "]" * 100_000
    response = client.post("/api/auth/signup/", deep, content_type="application/json")
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["detail"]
