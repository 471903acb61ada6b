"""POST /demotoken/login/ is throttled by a DRF ScopedRateThrottle (scope "login")."""

import pytest

from .conftest import PASSWORD

LOGIN = "/demotoken/login/"


@pytest.fixture(autouse=True)
def _three_per_minute(login_rate):
    login_rate("3/minute")


def attempt(client, username="alice", password="wrong password", **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def test_login_is_429_after_too_many_attempts(api_client, user):
    assert [attempt(api_client).status_code for _ in range(3)] == [400, 400, 400]

    response = attempt(api_client, password=PASSWORD)  # even the right password now

    assert response.status_code == 429
    assert "throttled" in response.json()["detail"].lower()
    assert int(response["Retry-After"]) > 0


def test_successful_logins_count_too(api_client, user):
    assert [attempt(api_client, password=PASSWORD).status_code for _ in range(4)] == [200, 200, 200, 429]


def test_rate_comes_from_the_setting(api_client, user, login_rate):
    login_rate("1/minute")

    assert [attempt(api_client).status_code for _ in range(2)] == [400, 429]


def test_throttle_is_per_client_whatever_the_username(api_client, user, user_factory):
    user_factory(username="bob")
    # Spraying usernames from one client address does not escape the count...
    codes = [attempt(api_client, username=f"guess{n}").status_code for n in range(3)]
    assert codes == [400, 400, 400]
    assert attempt(api_client, username="bob", password=PASSWORD).status_code == 429
    # ...while another client address has its own count.
    assert attempt(api_client, username="bob", password=PASSWORD, REMOTE_ADDR="192.0.2.7").status_code == 200


def test_spoofed_x_forwarded_for_does_not_reset_the_count(api_client, user):
    # NUM_PROXIES=0: the client address is REMOTE_ADDR. With DRF's default (None) each
    # new X-Forwarded-For value would be a fresh bucket for a brute-force script.
    codes = [attempt(api_client, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code for n in range(4)]

    assert codes == [400, 400, 400, 429]


def test_a_body_that_is_not_an_object_is_a_400_not_a_crash(api_client, db):
    response = api_client.post(LOGIN, "[1, 2, 3]", content_type="application/json")

    assert response.status_code == 400


def test_other_endpoints_are_not_throttled(api_client, db):
    codes = {
        api_client.post("/demotoken/register/", {"username": f"u{n}", "password": PASSWORD}).status_code
        for n in range(5)
    }
    assert codes == {201}
