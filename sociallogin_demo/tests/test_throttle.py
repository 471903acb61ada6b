"""Sign-ins with an ID token are counted per client address: each one fetches the
provider's keys (social/middleware.py, IdTokenSignInThrottleMiddleware)."""

import pytest
from django.core.cache import caches

SIGN_IN = "/_allauth/app/v1/auth/provider/token"
BODY = {"provider": "localidp", "process": "login", "token": {"client_id": "sociallogin-demo", "id_token": "a.b.c"}}


@pytest.mark.django_db
def test_the_fourth_id_token_sign_in_in_a_minute_is_a_429_with_retry_after(client, throttle_rates):
    throttle_rates(id_token="3/minute")
    answers = [client.post(SIGN_IN, BODY, content_type="application/json").status_code for _ in range(4)]

    assert answers == [400, 400, 400, 429]
    refused = client.post(SIGN_IN, BODY, content_type="application/json")
    assert refused.json()["errors"][0]["code"] == "too_many_requests" and int(refused["Retry-After"]) >= 1


@pytest.mark.django_db
def test_another_address_has_its_own_count_and_unrelated_cache_traffic_resets_nothing(client, throttle_rates):
    throttle_rates(id_token="1/minute")
    assert client.post(SIGN_IN, BODY, content_type="application/json").status_code == 400
    for number in range(2000):
        caches["default"].set(f"unrelated-{number}", number)

    assert client.post(SIGN_IN, BODY, content_type="application/json").status_code == 429
    other = client.post(SIGN_IN, BODY, content_type="application/json", REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 400
