"""SimpleJWT endpoints and DRF's normal 401 for every bad Authorization header."""

from datetime import timedelta

import jwt
import pytest
from django.conf import settings
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from hits.models import ApiHit


def test_obtain_and_refresh(password, ann):
    client = APIClient()
    tokens = client.post("/api/token/", {"username": "ann", "password": password}).json()
    assert set(tokens) == {"access", "refresh"}
    refreshed = client.post("/api/token/refresh/", {"refresh": tokens["refresh"]})
    assert refreshed.status_code == 200
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {refreshed.json()['access']}")
    assert client.get("/api/notes/").status_code == 200


def test_wrong_password_is_401_and_missing_field_is_400(ann):
    client = APIClient()
    assert client.post("/api/token/", {"username": "ann", "password": "nope"}).status_code == 401
    response = client.post("/api/token/", {"username": "ann"})
    assert response.status_code == 400
    assert "password" in response.json()
    response = client.post("/api/token/refresh/", {"refresh": "garbage"})
    assert response.status_code == 401


def expired(user):
    token = AccessToken.for_user(user)
    token.set_exp(lifetime=-timedelta(seconds=1))
    return str(token)


def forged(user):
    payload = dict(AccessToken.for_user(user).payload)
    return jwt.encode(payload, "not-the-signing-key-" + "x" * 32, algorithm="HS256")


def unsigned(user):
    payload = dict(AccessToken.for_user(user).payload)
    return jwt.encode(payload, None, algorithm="none")


BAD_HEADERS = {
    "malformed": lambda user: "Bearer not.a.jwt",
    "empty bearer": lambda user: "Bearer",
    "three parts": lambda user: "Bearer a b",
    "latin-1 garbage": lambda user: "Bearer \xff\xfe\x00junk",
    "expired": lambda user: f"Bearer {expired(user)}",
    "forged signature": lambda user: f"Bearer {forged(user)}",
    "alg none": lambda user: f"Bearer {unsigned(user)}",
    "refresh used as access": lambda user: f"Bearer {RefreshToken.for_user(user)}",
    "other scheme": lambda user: "Basic YW5uOnB3",
    "garbage": lambda user: "%%%%",
}


@pytest.mark.parametrize("kind", BAD_HEADERS)
def test_bad_authorization_header_is_drfs_401_never_500(ann, kind):
    client = APIClient(raise_request_exception=False)
    response = client.get("/api/notes/", HTTP_AUTHORIZATION=BAD_HEADERS[kind](ann))
    assert response.status_code == 401
    assert "detail" in response.json()
    assert response["WWW-Authenticate"].startswith("Bearer")
    hit = ApiHit.objects.get()
    assert (hit.status_code, hit.user) == (401, None)


def test_signing_key_is_the_secret_key():
    # Tokens are signed with SECRET_KEY (SimpleJWT's default): rotating it logs everyone out.
    from rest_framework_simplejwt.settings import api_settings

    assert api_settings.SIGNING_KEY == settings.SECRET_KEY


def test_login_is_throttled_per_client_address(password, api_client, ann, throttle_rates):
    throttle_rates(login="2/minute")
    wrong = {"username": "ann", "password": "not it"}
    assert [api_client.post("/api/token/", wrong).status_code for _ in range(2)] == [401, 401]
    blocked = api_client.post("/api/token/", {"username": "ann", "password": password})
    assert blocked.status_code == 429 and int(blocked["Retry-After"]) > 0
    spoofed = api_client.post("/api/token/", {"username": "ann", "password": password}, HTTP_X_FORWARDED_FOR="10.1.2.3")
    assert spoofed.status_code == 429  # X-Forwarded-For from the client itself buys nothing


def test_only_login_attempts_count_not_preflights_or_page_views(api_client, ann, throttle_rates):
    throttle_rates(login="2/minute")
    for method in ("options", "get", "head"):
        assert getattr(api_client, method)("/api/token/").status_code in {200, 405}  # never 429
    wrong = {"username": "ann", "password": "not it"}
    assert [api_client.post("/api/token/", wrong).status_code for _ in range(3)] == [401, 401, 429]


def test_an_ipv6_client_cannot_rotate_addresses_within_its_64(password, api_client, ann, throttle_rates):
    # Counted per address, each of a /64's 2**64 addresses was a fresh budget.
    throttle_rates(login="2/minute")
    wrong = {"username": "ann", "password": "not it"}
    codes = [api_client.post("/api/token/", wrong, REMOTE_ADDR=f"2001:db8::{n:x}").status_code for n in range(1, 4)]
    assert codes == [401, 401, 429]
    right = {"username": "ann", "password": password}
    assert api_client.post("/api/token/", right, REMOTE_ADDR="2001:db8:0:1::1").status_code == 200  # another /64


def test_api_login_reads_the_username_as_the_admin_login_does(password, api_client, ann):
    # Django's login form (the admin's) NFKC-normalises the username; SimpleJWT's did not,
    # so "ａｎｎ" (fullwidth) opened the admin and was refused by the API.
    fullwidth = {"username": "ａｎｎ", "password": password}
    response = api_client.post("/api/token/", fullwidth)
    assert response.status_code == 200
    assert set(response.json()) == {"access", "refresh"}


def test_behind_a_trusted_proxy_the_throttle_counts_the_client_the_logs_record(
    password, api_client, ann, settings, throttle_rates
):
    # Our proxy (10.0.0.1) appends the address it saw. The throttle, the hit log and the
    # audit log must agree on who the client is: before, the throttle ignored
    # DJANGO_TRUSTED_PROXIES and counted everyone behind the proxy as 10.0.0.1.
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    throttle_rates(login="2/minute")
    wrong = {"username": "ann", "password": "not it"}

    def login(forwarded_for, body=wrong):
        return api_client.post("/api/token/", body, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded_for)

    assert [login("203.0.113.5").status_code for _ in range(2)] == [401, 401]
    assert login("198.51.100.1, 203.0.113.5").status_code == 429  # a forged first hop buys nothing
    assert login("203.0.113.9", {"username": "ann", "password": password}).status_code == 200
    assert ApiHit.objects.order_by("-pk").first().ip == "203.0.113.9"


def test_refreshing_a_deleted_users_token_with_stock_simplejwt_is_a_500_trap(ann):
    from rest_framework.test import APIRequestFactory
    from rest_framework_simplejwt.views import TokenRefreshView

    refresh = str(RefreshToken.for_user(ann))
    ann.delete()
    request = APIRequestFactory().post("/api/token/refresh/", {"refresh": refresh}, format="json")
    with pytest.raises(type(ann).DoesNotExist):  # escapes the view: a 500
        TokenRefreshView.as_view()(request)


@pytest.mark.parametrize("fate", ["deleted", "deactivated"])
def test_refreshing_a_deleted_or_deactivated_users_token_is_a_401_fix(api_client, ann, fate):
    refresh = str(RefreshToken.for_user(ann))
    if fate == "deleted":
        ann.delete()
    else:
        ann.is_active = False
        ann.save()
    response = api_client.post("/api/token/refresh/", {"refresh": refresh})
    assert response.status_code == 401
    assert refresh not in response.content.decode()


def test_json_nested_too_deeply_is_400_not_500(client, db):
    # Python's json module raises RecursionError here, which DRF's stock parser lets
    # through as a 500; config/plumbing/parsers.py turns it into an ordinary 400.
    deep = "[" * 100_000 + "]" * 100_000
    response = client.post("/api/token/", deep, content_type="application/json")
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["detail"]


def change_password_in_the_admin(user, password="an admin-chosen passphrase 5"):
    # What the admin's password form, `manage.py changepassword` and a reset all do.
    user = type(user).objects.get(pk=user.pk)
    user.set_password(password)
    user.save()


def test_a_refresh_token_dies_with_a_password_change(password, api_client, ann):
    tokens = api_client.post("/api/token/", {"username": "ann", "password": password}).json()

    change_password_in_the_admin(ann)

    response = api_client.post("/api/token/refresh/", {"refresh": tokens["refresh"]})
    assert response.status_code == 401
    assert response.json()["code"] == "password_changed"
    assert "access" not in response.json()
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    assert api_client.get("/api/notes/").status_code == 401  # the access token too
    fresh = APIClient().post("/api/token/", {"username": "ann", "password": "an admin-chosen passphrase 5"})
    assert APIClient().post("/api/token/refresh/", {"refresh": fresh.json()["refresh"]}).status_code == 200


def test_a_password_change_in_the_admin_form_ends_the_refresh_token(client, api_client, ann, staff):
    refresh = str(RefreshToken.for_user(ann))
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)

    form = {"password1": "an admin-chosen passphrase 5", "password2": "an admin-chosen passphrase 5"}
    assert client.post(f"/admin/accounts/user/{ann.pk}/password/", form).status_code == 302

    assert api_client.post("/api/token/refresh/", {"refresh": refresh}).status_code == 401


def test_a_refresh_token_without_the_password_claim_is_refused(api_client, ann):
    # Issued before CHECK_REVOKE_TOKEN was switched on: it cannot prove it is current.
    token = RefreshToken.for_user(ann)
    del token.payload["hash_password"]

    assert api_client.post("/api/token/refresh/", {"refresh": str(token)}).status_code == 401


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/token/", {"username": "a" * 151, "password": "any password at all"}, "username"),
        ("/api/token/", {"username": "ann", "password": "p" * 129}, "password"),
        ("/api/token/refresh/", {"refresh": "e" * 2049}, "refresh"),
    ],
    ids=["username", "password", "refresh"],
)
def test_an_oversized_login_or_refresh_field_is_a_400_naming_it(api_client, ann, path, body, field):
    response = api_client.post(path, body)

    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_a_flooded_cache_does_not_reset_the_login_count(api_client, ann, throttle_rates):
    from django.core.cache import caches

    from accounts.throttling import ClientIPThrottle

    throttle_rates(login="2/minute")
    wrong = {"username": "ann", "password": "not it"}
    assert [api_client.post("/api/token/", wrong).status_code for _ in range(3)] == [401, 401, 429]

    # What thousands of other clients, or any other use of the same cache, leave behind.
    for cache in {ClientIPThrottle().cache, caches["default"]}:
        for n in range(5_000):
            cache.set(f"unrelated:{n}", n, 600)

    assert api_client.post("/api/token/", wrong).status_code == 429  # a culled count: a fresh budget
    assert ClientIPThrottle().cache is caches["throttle"] is not caches["default"]
