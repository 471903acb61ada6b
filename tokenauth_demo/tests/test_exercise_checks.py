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
