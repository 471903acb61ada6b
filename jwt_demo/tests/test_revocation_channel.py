"""With Redis, a request learns of another process's revocation from a subscription (no lookup).

Each commit of a revocation publishes a message (jwt_auth/channel.py); every process
subscribes, and a check only reads what already arrived on that socket. These tests break
the subscription as Redis and networks do, and the answer stays right: a lost subscription
falls back to the version key, a new one always syncs, an unreachable Redis costs a query
per request, never a pass. (Another real process: tests/test_revocation_processes.py.)
"""

import os
import socket
import threading
import time
from unittest import mock

import pytest
import redis
from django.core.cache import caches
from django.urls import include, path
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from demo_harness.server import free_port
from jwt_auth import revocation
from jwt_auth.channel import CHANNEL, channel

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True), pytest.mark.urls(__name__)]


class TokenUserRead(APIView):
    """An authenticated read, with no throttle: a Redis that is down must not reach it twice."""

    permission_classes = [IsAuthenticated]
    throttle_classes = []

    def get(self, request):
        return Response({"user": request.user.pk})


urlpatterns = [path("read/", TokenUserRead.as_view()), path("", include("config.urls"))]


@pytest.fixture
def on_redis(settings, redis_url, redis_caches):
    settings.CACHES, settings.JWT_REVOCATION_CACHE = redis_caches(redis_url), "default"
    settings.JWT_REVOCATION_SYNC_SECONDS = 60  # no sync by the clock: only a message or the key
    return redis.Redis.from_url(redis_url)


def read(api_client, access):
    return api_client.get("/read/", HTTP_AUTHORIZATION=f"Bearer {access}").status_code


def revoke_in_another_process(access):
    """What another process's logout leaves here: the row, a message and a new version key,
    but not this process's mirror."""
    from rest_framework_simplejwt.tokens import AccessToken

    with mock.patch.object(revocation.mirror, "learn"):
        revocation.revoke(AccessToken(access)["jti"], time.time() + 300)


def cache_lookups_of(call):
    cache, lookups = caches["default"], []
    real_get = cache.get
    cache.get = lambda key, *args, **kwargs: lookups.append(key) or real_get(key, *args, **kwargs)
    try:
        return call(), lookups
    finally:
        del cache.get


def kill_our_subscription(server):
    """As a Redis restart or a proxy does: the server closes this process's pub/sub connection."""
    name = f"jwt_demo-revocations-{os.getpid()}"
    ours = [client for client in server.client_list(_type="pubsub") if client["name"] == name]
    assert ours, "this process has no subscription to kill"
    for client in ours:
        server.client_kill(client["addr"])


def test_a_message_from_another_process_refuses_the_token_with_no_cache_lookup(on_redis, api_client, login, user):
    access = login(username="alice")["access"]
    assert read(api_client, access) == 200  # subscribed, synced
    revoke_in_another_process(access)
    status, lookups = cache_lookups_of(lambda: read(api_client, access))
    assert status == 401
    assert lookups == []  # the message, already on the socket, said "sync"


@pytest.mark.parametrize("version_key", ["kept", "forgotten"])
def test_a_lost_subscription_falls_back_to_the_version_key_then_subscribes_again(
    on_redis, api_client, login, user_factory, version_key
):
    alice, bob = (login(username=user_factory(name).username)["access"] for name in ("alice", "bob"))
    assert read(api_client, alice) == 200 and read(api_client, bob) == 200
    kill_our_subscription(on_redis)
    revoke_in_another_process(alice)  # its message reaches no subscription of this process
    if version_key == "forgotten":  # Redis restarted: the key went too
        caches["default"].delete(revocation.VERSION_KEY)
    status, lookups = cache_lookups_of(lambda: read(api_client, alice))
    assert status == 401
    assert lookups == [revocation.VERSION_KEY]  # the subscription failed: the key, then a sync
    assert read(api_client, bob) == 200
    channel.retry_at = 0.0  # the retry delay has passed
    assert read(api_client, bob) == 200  # subscribed again
    revoke_in_another_process(bob)
    status, lookups = cache_lookups_of(lambda: read(api_client, bob))
    assert (status, lookups) == (401, [])  # heard on the new subscription


def test_a_backlog_of_messages_is_read_a_bounded_number_at_a_time(on_redis, api_client, login, user, monkeypatch):
    """An idle process, or a flood from anything that can publish: each check reads at most
    MAX_MESSAGES_PER_CHECK, and every check that read one syncs, until the backlog is gone."""
    import jwt_auth.channel

    monkeypatch.setattr(jwt_auth.channel, "MAX_MESSAGES_PER_CHECK", 10)
    access = login(username="alice")["access"]
    assert read(api_client, access) == 200
    before = channel.messages
    for _ in range(25):  # a flood, as anything that can publish on this Redis could send
        on_redis.publish(CHANNEL, "")
    time.sleep(0.1)  # on the socket
    assert read(api_client, access) == 200
    assert channel.messages - before == 10  # bounded
    revoke_in_another_process(access)  # behind the rest of the backlog
    statuses = [read(api_client, access) for _ in range(3)]
    assert statuses == [401, 401, 401]  # the read ones already said "sync": the tables answer
    assert channel.messages - before == 26  # the backlog, then the revocation's own message


def test_every_new_subscription_makes_the_mirror_sync(on_redis, api_client, login, user):
    """Messages published while a subscription was down are lost: a new one must not trust
    the mirror, even when the version key still holds the version it synced at."""
    access = login(username="alice")["access"]
    assert read(api_client, access) == 200
    first = channel.heard("default")
    kill_our_subscription(on_redis)
    assert channel.heard("default") is None  # the loss is noticed
    channel.retry_at = 0.0
    again = channel.heard("default")
    assert again is not None and again != first  # a new version: the next check syncs
    with mock.patch.object(revocation.mirror, "sync", wraps=revocation.mirror.sync) as sync:
        assert read(api_client, access) == 200
    sync.assert_called_once()


def test_an_unreachable_redis_costs_a_sync_per_request_never_a_pass(settings, redis_caches, api_client, login, user):
    access = login(username="alice")["access"]
    revoked = login(username="alice")["access"]
    revoke_in_another_process(revoked)  # the row only: no Redis to tell
    nobody = f"redis://127.0.0.1:{free_port()}/1"  # a port with no server behind it
    settings.CACHES, settings.JWT_REVOCATION_CACHE = redis_caches(nobody), "default"
    settings.JWT_REVOCATION_SYNC_SECONDS = 60
    assert read(api_client, access) == 200
    assert read(api_client, revoked) == 401


def test_a_redis_that_hangs_slows_a_request_for_seconds_never_for_good(settings, redis_caches, api_client, login, user):
    """A Redis that accepts connections and never answers (paused, blackholed) is worse than
    one that is down: each read waits for its timeout. The timeouts are short, and the answer
    is still the tables'."""
    access = login(username="alice")["access"]
    revoked = login(username="alice")["access"]
    revoke_in_another_process(revoked)
    silent = socket.create_server(("127.0.0.1", 0))  # accepts (the kernel does), never answers
    try:
        settings.CACHES = redis_caches(f"redis://127.0.0.1:{silent.getsockname()[1]}/1")
        settings.JWT_REVOCATION_CACHE, settings.JWT_REVOCATION_SYNC_SECONDS = "default", 60
        answers = []
        reads = threading.Thread(target=lambda: answers.extend([read(api_client, access), read(api_client, revoked)]))
        reads.start()
        reads.join(timeout=20)  # redis-py's own default waits far longer, or for ever
        assert not reads.is_alive(), "a request waited on a silent Redis for over 10 s"
        assert answers == [200, 401]
    finally:
        silent.close()
