"""Security state must not depend on a cache keeping an entry (pitfall 7).

Revocations live in a table; a cache in front (Redis) only saves queries. The throttle
counters do live in a cache, one of their own that a flood of unrelated entries cannot
cull. Each test fills the cache with thousands of unrelated keys, or clears it, and the
state still holds. (A restart: tests/test_served.py.)
"""

import pytest
from django.core.cache import cache, caches

from jwt_auth import revocation
from jwt_auth.views import GetTokensView
from tests.test_throttle_and_settings import fresh_address

THOUSANDS = 3000


def flood(target, count=THOUSANDS):
    target.set_many({f"unrelated:{n:05d}": n for n in range(count)}, timeout=600)


def forget(how, target):
    if how == "flood":
        flood(target)
    else:
        target.clear()


@pytest.mark.django_db
@pytest.mark.parametrize("how", ["flood", "clear"])
def test_a_logged_out_token_stays_refused_when_the_database_cache_forgets(
    database_cache, api_client, user, login, me, how
):
    pair = login(username="alice")
    assert api_client.post("/api/token/blacklist/", {"refresh": pair["refresh"]}).status_code == 200
    forget(how, cache)
    assert me(pair["access"]).status_code == 401
    assert api_client.post("/api/token/verify/", {"token": pair["access"]}).status_code == 401


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("how", ["flood", "clear"])
def test_a_logged_out_token_stays_refused_when_redis_forgets(
    redis_url, redis_caches, settings, api_client, user, login, me, how
):
    settings.CACHES, settings.JWT_REVOCATION_CACHE = redis_caches(redis_url), "default"
    pair = login(username="alice")
    assert me(pair["access"]).status_code == 200  # "not revoked" is now cached
    assert api_client.post("/api/token/blacklist/", {"refresh": pair["refresh"]}).status_code == 200
    assert me(pair["access"]).status_code == 401  # the commit replaced it with "revoked"
    forget(how, caches["default"])
    assert me(pair["access"]).status_code == 401  # a miss asks the table


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_revocation_committed_while_a_reader_checks_is_not_hidden(redis_url, redis_caches, settings, monkeypatch):
    from jwt_auth.models import RevokedToken

    settings.CACHES, settings.JWT_REVOCATION_CACHE = redis_caches(redis_url), "default"
    accelerator = caches["default"]
    real_add = type(accelerator).add

    def revocation_commits_first(self, key, value, timeout=None, version=None):
        # Between the reader's table read and its add, a logout commits and its cache
        # entry is lost (evicted): the reader's "not revoked" must not survive.
        RevokedToken.objects.create(jti="raced", expires_at="2999-01-01T00:00:00Z")
        return real_add(self, key, value, timeout, version)

    monkeypatch.setattr(type(accelerator), "add", revocation_commits_first)
    assert revocation.is_revoked("raced") is True
    monkeypatch.undo()
    assert accelerator.get(revocation.KEY_PREFIX + "raced") is None  # nothing stale was left
    assert revocation.is_revoked("raced") is True


@pytest.mark.django_db
def test_a_revocation_cache_that_fails_falls_back_to_the_table(settings, user, login, api_client, me, monkeypatch):
    settings.JWT_REVOCATION_CACHE = "default"

    def unavailable(*args, **kwargs):
        raise ConnectionError("cache down")

    pair = login(username="alice")
    api_client.post("/api/token/blacklist/", {"refresh": pair["refresh"]})
    monkeypatch.setattr(type(caches["default"]), "get_many", unavailable)
    assert me(pair["access"]).status_code == 401


# --- the throttle counters -----------------------------------------------------------------
def throttled_request(scope, password):
    """The request the ``scope`` throttle counts, and its answer below the limit."""
    return {
        "login": ("/api/token/", {"username": "alice", "password": "wrong"}, 401),
        "password": ("/api/auth/password/forgot/", {"email": "alice@example.com"}, 202),
        "signup": ("/api/auth/signup/", {"username": "alice", "email": "a@example.com", "password": password}, 400),
    }[scope]


@pytest.mark.django_db
@pytest.mark.parametrize("scope", ["login", "password", "signup"])
def test_a_flood_of_unrelated_cache_entries_does_not_reset_a_throttle(
    database_cache, api_client, user, scope, throttle_rates, password
):
    throttle_rates(**{scope: "3/minute"})
    path, body, status = throttled_request(scope, password)
    client_ip = fresh_address()
    assert [api_client.post(path, body, REMOTE_ADDR=client_ip).status_code for _ in range(3)] == [status] * 3
    counters = GetTokensView().get_throttles()[0].cache  # wherever the throttle keeps them
    flood(counters)
    flood(cache)
    response = api_client.post(path, body, REMOTE_ADDR=client_ip)
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
