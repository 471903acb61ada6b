"""The four pitfalls, each proven by a trap test and a fix test."""

from datetime import timedelta

import pytest
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.settings import api_settings
from rest_framework.test import APIClient, APIRequestFactory

from tokens.authentication import ExpiringTokenAuthentication
from tokens.pitfalls import drf_tokens_alone, secure_view_under_drf_tokens

LOGIN, LOGOUT, SECURE = "/demotoken/login/", "/demotoken/logout/", "/demotoken/secure/"
# The trap view is routed only by tests/trap_urls.py (@pytest.mark.urls below), the fix by the demo.
SESSION_FIRST, TOKEN_FIRST = "/demotoken/pitfalls/session-first/", "/demotoken/pitfalls/token-first/"


def device(key=None):
    client = APIClient()
    if key:
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def login(client, password, username="alice"):
    return client.post(LOGIN, {"username": username, "password": password}).json()["token"]


def age_token(user, by):
    Token.objects.filter(user=user).update(created=timezone.now() - by)


# --- Pitfall 1: one never-expiring token per user -------------------------------------


def test_limitation_one_key_per_user_is_shared_by_every_device(user, password):
    # A documented limitation, not fixed here (django-rest-knox gives each login its own
    # token): two devices log in and get the same key, so logging out on one logs out both.
    laptop_key, phone_key = login(device(), password), login(device(), password)
    assert laptop_key == phone_key

    assert device(laptop_key).post(LOGOUT).status_code == 204

    assert device(phone_key).get(SECURE).status_code == 401


def test_pitfall_1_never_expiring_token_trap(settings, user, key):
    settings.TOKEN_LIFETIME = timedelta(days=1)
    age_token(user, by=timedelta(days=3650))
    request = APIRequestFactory().get(SECURE, HTTP_AUTHORIZATION=f"Token {key}")

    response = secure_view_under_drf_tokens()(request)

    # A key issued ten years ago still opens the secure page as alice.
    assert response.status_code == 200
    assert response.data["message"].startswith("Hello alice")
    authenticated_user, token = TokenAuthentication().authenticate_credentials(key)
    assert authenticated_user == user
    assert token.created < timezone.now() - timedelta(days=3649)


def test_pitfall_1_expiring_token_fix(settings, token_client, user):
    settings.TOKEN_LIFETIME = timedelta(hours=1)
    default_classes = api_settings.DEFAULT_AUTHENTICATION_CLASSES
    assert default_classes == [ExpiringTokenAuthentication]

    age_token(user, by=timedelta(minutes=59))
    assert token_client.get(SECURE).status_code == 200

    age_token(user, by=timedelta(minutes=61))
    response = token_client.get(SECURE)
    assert response.status_code == 401, f"a key older than TOKEN_LIFETIME still opens the page ({response.status_code})"
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {"detail": "Token has expired."}

    settings.TOKEN_LIFETIME = timedelta(hours=2)  # the lifetime is read on every request
    assert token_client.get(SECURE).status_code == 200


def test_pitfall_1_login_after_expiry_issues_a_new_key_fix(settings, user, key, password):
    settings.TOKEN_LIFETIME = timedelta(hours=1)
    age_token(user, by=timedelta(hours=2))

    new_key = login(device(), password)

    assert new_key != key
    assert list(Token.objects.filter(user=user).values_list("key", flat=True)) == [new_key]  # still exactly one
    assert device(new_key).get(SECURE).status_code == 200
    assert device(key).get(SECURE).status_code == 401


# --- Pitfall 2: 401 or 403 depends on the first authentication class ------------------


@pytest.mark.urls("tests.trap_urls")
@pytest.mark.parametrize("header", [None, "Token " + "0" * 40, "Token a b"], ids=["no-header", "unknown", "malformed"])
def test_pitfall_2_session_first_gives_403_trap(db, header):
    client = device()
    if header:
        client.credentials(HTTP_AUTHORIZATION=header)

    response = client.get(SESSION_FIRST)

    # SessionAuthentication has no WWW-Authenticate value, so DRF downgrades 401 to 403:
    # the client is told "forbidden" when it should be told "log in".
    assert response.status_code == 403
    assert "WWW-Authenticate" not in response


@pytest.mark.parametrize("header", [None, "Token " + "0" * 40, "Token a b"], ids=["no-header", "unknown", "malformed"])
def test_pitfall_2_token_first_gives_401_fix(db, header):
    client = device()
    if header:
        client.credentials(HTTP_AUTHORIZATION=header)

    response = client.get(TOKEN_FIRST)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.urls("tests.trap_urls")
def test_pitfall_2_order_changes_only_the_failure(key):
    # Both orders accept a valid token; only the answer to a bad request differs.
    assert device(key).get(SESSION_FIRST).status_code == 200
    assert device(key).get(TOKEN_FIRST).status_code == 200


# --- Pitfall 3: middleware sees an anonymous user for token calls ----------------------


def test_pitfall_3_middleware_sees_anonymous_before_the_view_trap(settings, token_client, key, user_factory):
    response = token_client.get(SECURE)

    assert response.status_code == 200  # the view knew it was alice...
    assert response["X-User-Before-View"] == "anonymous"  # ...middleware, before it, did not

    # So a decision made there goes wrong: a per-user budget (2 a minute, in pitfalls.py).
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tokens.pitfalls.PerUserBudgetBeforeTheView"]
    bob = device(user_factory(username="bob").auth_token.key)
    assert [bob.get(SECURE).status_code for _ in range(2)] == [200, 200]

    response = device(key).get(SECURE)  # alice's first call under the budget

    # Bob's calls used up alice's budget: before the view both were "anonymous".
    assert response.status_code == 429, "middleware told alice and bob apart before the view"


def test_pitfall_3_user_after_the_view_fix(token_client):
    response = token_client.get(SECURE)

    # DRF sets the authenticated user on Django's request too, so middleware code that
    # runs after get_response sees who the token belongs to.
    assert response["X-User-After-View"] == "alice"


def test_pitfall_3_failed_token_stays_anonymous_after_the_view(api_client, db):
    response = api_client.get(SECURE, HTTP_AUTHORIZATION="Token " + "0" * 40)

    assert response.status_code == 401
    assert (response["X-User-Before-View"], response["X-User-After-View"]) == ("anonymous", "anonymous")


def test_pitfall_3_session_users_are_known_before_the_view(api_client, user):
    # The contrast: AuthenticationMiddleware does know *session* users up front.
    api_client.force_login(user)

    response = api_client.get("/admin/")

    assert response["X-User-Before-View"] == "alice"


def test_pitfall_3_probe_survives_non_latin1_usernames(api_client, user_factory):
    # Header values must be latin-1; Django MIME-encodes anything else instead of failing.
    user = user_factory(username="李小龍")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {user.auth_token.key}")

    response = api_client.get(SECURE)

    assert response.status_code == 200
    assert response["X-User-After-View"].startswith("=?utf-8?")


# --- Pitfall 4: a password change leaves every issued key working ---------------------


def change_password_in_a_shell(user, new_password="a brand new passphrase 77"):
    # What `manage.py shell`, the admin's password form and a password reset all do.
    user = type(user).objects.get(pk=user.pk)
    user.set_password(new_password)
    user.save()


OLD_KEY_STILL_WORKS = "the key issued before the password change still opens the secure page"


def test_pitfall_4_key_survives_a_password_change_trap(user, key):
    with drf_tokens_alone():
        change_password_in_a_shell(user)

    # Whoever copied the key before the change still has the account.
    assert device(key).get(SECURE).status_code == 200


def test_pitfall_4_password_change_ends_the_key_fix(user, key):
    change_password_in_a_shell(user)

    response = device(key).get(SECURE)
    assert response.status_code == 401, OLD_KEY_STILL_WORKS
    assert response.json() == {"detail": "Invalid token."}
    assert not Token.objects.filter(user=user).exists()
    # The new password logs in and gets a new key.
    new_key = device().post(LOGIN, {"username": "alice", "password": "a brand new passphrase 77"}).json()["token"]
    assert new_key != key
    assert device(new_key).get(SECURE).status_code == 200


def test_pitfall_4_a_password_change_in_the_admin_ends_the_key_fix(api_client, user, key, user_factory):
    admin = user_factory(username="root", is_staff=True, is_superuser=True)
    api_client.force_login(admin)

    response = api_client.post(
        f"/admin/auth/user/{user.pk}/password/",
        {"password1": "an admin-chosen passphrase 5", "password2": "an admin-chosen passphrase 5"},
        format="multipart",
    )

    assert response.status_code == 302, response.content
    assert device(key).get(SECURE).status_code == 401, OLD_KEY_STILL_WORKS


def test_pitfall_4_saves_that_keep_the_password_keep_the_key(user, key, count_queries, password):
    user.first_name = "Alice"
    user.save()
    user.last_login = timezone.now()
    with count_queries() as queries:
        user.save(update_fields=["last_login"])  # what every login does: no extra lookup

    assert queries.count == 1
    type(user).objects.only("username").get(pk=user.pk).save()  # password deferred: not written
    user.set_password(password)  # a new salt, so a new hash: that is a change
    user.save(update_fields=["first_name"])  # ...but this save does not write it
    assert device(key).get(SECURE).status_code == 200, "a save that kept the password ended the key"


def test_pitfall_4_a_user_built_by_hand_still_ends_the_key_fix(user, key):
    # A remembered post_init value would be the new hash here; the stored one is not.
    stranger = type(user)(pk=user.pk, username="alice", password="!unusable")
    stranger.save()

    assert device(key).get(SECURE).status_code == 401, OLD_KEY_STILL_WORKS


def test_pitfall_4_a_hasher_upgrade_at_login_counts_as_a_change(settings, user, key, password):
    # Django rehashes a password stored with a hasher that is no longer the preferred one
    # when it is checked (a save of the password column): the receivers see a new hash.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    type(user).objects.filter(pk=user.pk).update(password=make_password(password, hasher="pbkdf2_sha256"))
    # QuerySet.update() sends no signals: the receivers never saw that change (a limit).
    assert device(key).get(SECURE).status_code == 200

    new_key = login(device(), password)

    assert new_key != key
    assert device(key).get(SECURE).status_code == 401
    assert device(new_key).get(SECURE).status_code == 200
