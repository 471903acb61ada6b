"""A stranger's body at allauth's headless API: too large, nested too deep, malformed, or
not an object. Each is a JSON 4xx that says what is wrong, nothing is written, and a
well-formed body still reaches allauth (social/middleware.py)."""

import pytest
from django.contrib.auth import get_user_model

ENDPOINTS = [
    "/_allauth/app/v1/auth/provider/token",
    "/_allauth/app/v1/auth/login",
    "/_allauth/app/v1/auth/signup",
    "/_allauth/app/v1/tokens/refresh",
]
BAD_BODIES = {
    "too large": ('{"email": "' + "a" * (3 * 1024 * 1024) + '"}', 413, "too large"),
    "nested too deep": ("[" * 100_000 + "]" * 100_000, 400, "nested too deeply"),
    "malformed": ('{"email": "ann@example.com",', 400, "not valid JSON"),
    "not UTF-8": (b'{"email": "\xff"}', 400, "not valid JSON"),
    "a list": ('[{"email": "ann@example.com"}]', 400, "must be a JSON object"),
    "a string": ('"ann@example.com"', 400, "must be a JSON object"),
}


@pytest.fixture
def stranger(client, settings):
    settings.DEBUG = False  # as deployed: a 500 would be Django's bare error page
    client.raise_request_exception = False
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("case", BAD_BODIES, ids=list(BAD_BODIES))
def test_a_body_allauth_cannot_parse_is_a_json_4xx_saying_why(stranger, endpoint, case):
    body, status, why = BAD_BODIES[case]

    response = stranger.post(endpoint, body, content_type="application/json")

    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert why in response.json()["errors"][0]["message"]
    assert not get_user_model().objects.exists()


@pytest.mark.django_db
def test_a_well_formed_body_still_reaches_allauth_which_names_the_field(stranger):
    response = stranger.post(
        "/_allauth/app/v1/auth/signup", {"email": "not-an-address"}, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["param"] == "email"


@pytest.mark.django_db
def test_a_sign_up_by_the_api_is_written_once_and_whole(stranger):
    body = {"email": "ann@example.com", "password": "a long enough passphrase"}

    response = stranger.post("/_allauth/app/v1/auth/signup", body, content_type="application/json")

    # Email verification is mandatory: the account exists, its address not yet verified.
    assert response.status_code == 401
    assert [flow["id"] for flow in response.json()["data"]["flows"] if flow.get("is_pending")] == ["verify_email"]
    assert get_user_model().objects.get().emailaddress_set.get().verified is False
