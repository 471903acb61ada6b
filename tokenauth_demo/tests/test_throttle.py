"""POST /demotoken/login/ and /demotoken/register/ are throttled per client address
(DRF ScopedRateThrottles, scopes "login" and "signup"), in a cache of their own."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import caches

from config.plumbing.throttling import AccountThrottle

User = get_user_model()
LOGIN, REGISTER = "/demotoken/login/", "/demotoken/register/"
SIGN_UP_PASSWORD = "a sign-up passphrase 31"  # any password the validators accept


@pytest.fixture(autouse=True)
def _three_per_minute(throttle_rates):
    throttle_rates(login="3/minute")


def attempt(client, username="alice", password="wrong password", **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def test_login_is_429_after_too_many_attempts(api_client, user, password):
    assert [attempt(api_client).status_code for _ in range(3)] == [400, 400, 400]

    response = attempt(api_client, password=password)  # even the right password now

    assert response.status_code == 429
    assert "throttled" in response.json()["detail"].lower()
    assert int(response["Retry-After"]) > 0


def test_successful_logins_count_too(api_client, user, password):
    assert [attempt(api_client, password=password).status_code for _ in range(4)] == [200, 200, 200, 429]


def test_rate_comes_from_the_setting(api_client, user, throttle_rates):
    throttle_rates(login="1/minute")

    codes = [attempt(api_client).status_code for _ in range(2)]
    assert codes == [400, 429], f"at login=1/minute the second attempt got {codes[1]}: the rate was read only once"


def test_a_scope_without_a_rate_is_a_configuration_error_not_an_open_door(settings):
    """A scope missing from DEFAULT_THROTTLE_RATES (a typo, a forgotten setting) must fail
    loudly, as DRF's get_rate() does: a rate of None would switch the throttle off."""
    from django.core.exceptions import ImproperlyConfigured

    rest = settings.REST_FRAMEWORK
    rates = {scope: rate for scope, rate in rest["DEFAULT_THROTTLE_RATES"].items() if scope != "login"}
    settings.REST_FRAMEWORK = {**rest, "DEFAULT_THROTTLE_RATES": rates}
    throttle = AccountThrottle()
    throttle.scope = "login"
    with pytest.raises(ImproperlyConfigured):
        throttle.get_rate()


def test_throttle_is_per_client_whatever_the_username(api_client, user, user_factory, password):
    user_factory(username="bob")
    # Spraying usernames from one client address does not escape the count...
    codes = [attempt(api_client, username=f"guess{n}").status_code for n in range(3)]
    assert codes == [400, 400, 400]
    assert attempt(api_client, username="bob", password=password).status_code == 429
    # ...while another client address has its own count.
    assert attempt(api_client, username="bob", password=password, REMOTE_ADDR="192.0.2.7").status_code == 200


def test_spoofed_x_forwarded_for_does_not_reset_the_count(api_client, user):
    # NUM_PROXIES=0: the client address is REMOTE_ADDR. With DRF's default (None) each
    # new X-Forwarded-For value would be a fresh bucket for a brute-force script.
    codes = [attempt(api_client, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code for n in range(4)]

    assert codes == [400, 400, 400, 429]


def test_a_body_that_is_not_an_object_is_a_400_not_a_crash(api_client, db):
    response = api_client.post(LOGIN, "[1, 2, 3]", content_type="application/json")

    assert response.status_code == 400


def test_sign_up_has_a_budget_of_its_own(api_client, db, password):
    # Login's budget (3/minute here) does not apply to sign-up (SIGNUP_THROTTLE_RATE).
    codes = {api_client.post(REGISTER, {"username": f"u{n}", "password": password}).status_code for n in range(5)}
    assert codes == {201}


def register(client, username, **extra):
    return client.post(REGISTER, {"username": username, "password": SIGN_UP_PASSWORD}, **extra)


def test_sign_up_is_429_after_too_many_attempts(api_client, user, throttle_rates):
    throttle_rates(signup="3/hour")
    # Taken or free, each answer tells whether a username exists: all of them count.
    assert [register(api_client, name).status_code for name in ("alice", "bob", "alice")] == [400, 201, 400]

    response = register(api_client, "carol")

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "username" not in response.json()  # no verdict on the name once throttled
    assert not User.objects.filter(username="carol").exists()
    assert register(api_client, "carol", REMOTE_ADDR="192.0.2.8").status_code == 201  # another client


def test_sign_up_rate_comes_from_the_environment(manage_py):
    code = "from rest_framework.settings import api_settings; print(api_settings.DEFAULT_THROTTLE_RATES)"

    result = manage_py("shell", "-c", code, env={"SIGNUP_THROTTLE_RATE": "4/day"})

    assert result.returncode == 0, result.stderr
    assert "'signup': '4/day'" in result.stdout
    assert manage_py("check", env={"SIGNUP_THROTTLE_RATE": "many"}).returncode != 0


# --- The counts must survive a busy cache ---------------------------------------------
def flood(cache, entries=5_000):
    """What thousands of other clients (or any other use of the same cache) leave behind."""
    for n in range(entries):
        cache.set(f"unrelated:{n}", n, 600)


@pytest.mark.parametrize(
    "exhaust",
    [
        lambda client: attempt(client),
        lambda client: register(client, "alice"),
    ],
    ids=["login", "register"],
)
def test_a_flooded_cache_does_not_reset_the_count(api_client, user, throttle_rates, exhaust):
    throttle_rates(signup="3/hour")
    assert [exhaust(api_client).status_code for _ in range(3)] == [400, 400, 400]
    assert exhaust(api_client).status_code == 429

    flood(AccountThrottle().cache)  # the cache the throttle counts in
    flood(caches["default"])

    assert exhaust(api_client).status_code == 429  # a culled count would be a fresh budget


def test_throttle_counts_are_kept_apart_from_the_default_cache():
    # The reason for the separate alias: LocMemCache culls a third of its entries past
    # MAX_ENTRIES (300 by default), least recently used first.
    assert AccountThrottle().cache is caches["throttle"]
    assert AccountThrottle().cache is not caches["default"]
    assert settings.CACHES["throttle"]["OPTIONS"]["MAX_ENTRIES"] >= 100_000


@pytest.mark.parametrize("path", [LOGIN, REGISTER])
def test_only_attempts_count_not_preflights_or_page_views(api_client, user, throttle_rates, path):
    throttle_rates(signup="3/hour")
    for method in ("options", "get", "head"):
        assert getattr(api_client, method)(path).status_code in {200, 405}  # never 429

    codes = [api_client.post(path, {"username": "alice", "password": "wrong"}).status_code for _ in range(4)]

    assert codes == [400, 400, 400, 429]  # the whole budget was left for the attempts


def test_an_ipv6_client_cannot_rotate_addresses_within_its_64(api_client, user, password):
    # Counted per address, each of a /64's 2**64 addresses was a fresh budget.
    codes = [attempt(api_client, REMOTE_ADDR=f"2001:db8:1:2::{n:x}").status_code for n in range(1, 5)]
    assert codes == [400, 400, 400, 429]
    # Another /64 is another client; IPv4 addresses are still counted one by one.
    assert attempt(api_client, password=password, REMOTE_ADDR="2001:db8:1:3::1").status_code == 200
    assert attempt(api_client, password=password, REMOTE_ADDR="192.0.2.8").status_code == 200
