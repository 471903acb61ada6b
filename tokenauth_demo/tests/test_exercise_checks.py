"""Behaviour checks for the exercises (`python -m demos exercise list`) whose trap no other
test catches in the demo's real code."""

import pytest

SECURE = "/demotoken/secure/"


WRONG_SHAPES = {"not-hex": "z" * 40, "nul": "0" * 39 + "\x00", "upper": "A" * 40, "long": "0" * 41}


@pytest.mark.parametrize("key", WRONG_SHAPES.values(), ids=WRONG_SHAPES.keys())
def test_a_key_of_the_wrong_shape_is_refused_without_a_query(api_client, db, count_queries, key):
    # DRF's keys are 40 lowercase hex characters; anything else never reaches the database
    # (PostgreSQL's driver refuses a NUL byte with an exception: a 500).
    with count_queries() as queries:
        response = api_client.get(SECURE, HTTP_AUTHORIZATION=f"Token {key}")

    assert response.status_code == 401
    assert not [sql for sql in queries.sql if "authtoken_token" in sql]


def test_a_new_x_forwarded_for_on_each_attempt_gets_no_new_budget(api_client, user, settings):
    # The configured login rate, unchanged (no override): N attempts, then 429.
    allowed = int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["login"].split("/")[0])
    codes = [
        api_client.post(
            "/demotoken/login/",
            {"username": user.username, "password": "wrong password"},
            HTTP_X_FORWARDED_FOR=f"10.0.{n // 250}.{n % 250 + 1}",
        ).status_code
        for n in range(allowed + 1)
    ]

    assert codes[-1] == 429, f"attempt {allowed + 1}, with a new X-Forwarded-For, got a fresh budget: {codes[-1]}"
    assert codes == [400] * allowed + [429]
