"""Security state must not depend on a cache keeping an entry (pitfall 7).

Revocations live in tables; each process's mirror reads them, and an optional version key
in the cache (Redis) only tells it when to read them again. The throttle
counters do live in a cache, one of their own that a flood of unrelated entries cannot
cull. Each test fills the cache with thousands of unrelated keys, or clears it, and the
state still holds. (A restart: tests/test_served.py.)
"""

import time

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


def revoke_in_another_process(jti):
    """What another process's logout leaves here: the row and a new version, not our mirror."""
    from unittest import mock

    with mock.patch.object(revocation.mirror, "learn"):
        revocation.revoke(jti, time.time() + 300)


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_revocation_committed_while_a_reader_checks_is_not_hidden(redis_url, redis_caches, settings, monkeypatch):
    settings.CACHES, settings.JWT_REVOCATION_CACHE = redis_caches(redis_url), "default"
    settings.JWT_REVOCATION_SYNC_SECONDS = 60  # only the version key can make it sync
    real_read_rows = revocation.read_rows

    def revocation_commits_meanwhile(after, up_to):
        # The reader has read the version and the clock; a logout elsewhere commits now and
        # writes a new version. The reader must not take that version as synced.
        rows = real_read_rows(after, up_to)
        revoke_in_another_process("raced")
        return rows

    assert revocation.is_revoked("warm-up") is False  # a version is stored
    revoke_in_another_process("first")
    monkeypatch.setattr(revocation, "read_rows", revocation_commits_meanwhile)
    assert revocation.is_revoked("first") is True  # the version changed: a sync
    monkeypatch.undo()
    assert revocation.is_revoked("raced") is True  # the version read before that sync is not the new one


@pytest.mark.django_db
def test_a_revocation_cache_that_fails_falls_back_to_the_table(settings, user, login, api_client, me, monkeypatch):
    settings.JWT_REVOCATION_CACHE = "default"

    def unavailable(*args, **kwargs):
        raise ConnectionError("cache down")

    pair = login(username="alice")
    api_client.post("/api/token/blacklist/", {"refresh": pair["refresh"]})
    monkeypatch.setattr(type(caches["default"]), "get", unavailable)
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
