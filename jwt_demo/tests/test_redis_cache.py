"""config/redis_cache.py: Django's Redis cache, with its redis-py client made once per pool."""

from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from django.core.cache.backends.redis import RedisCache as DjangosRedisCache

from config.redis_cache import RedisCache

PARAMS = {"KEY_PREFIX": "jwt_demo_cache_test"}


@pytest.fixture
def clients_made(monkeypatch):
    """How many redis.Redis clients were constructed meanwhile."""
    made = []
    original = redis.Redis.__init__

    def counting(self, *args, **kwargs):
        made.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "__init__", counting)
    return made


def test_djangos_own_redis_cache_makes_a_client_for_every_operation(redis_url, clients_made):
    cache = DjangosRedisCache(redis_url, PARAMS)
    cache.set("answer", 42)
    for _ in range(20):
        assert cache.get("answer") == 42
    assert len(clients_made) == 21  # the cost config/redis_cache.py removes


def test_this_demos_redis_cache_makes_one_client_and_reuses_it(redis_url, clients_made):
    cache = RedisCache(redis_url, PARAMS)
    cache.set("answer", 42)
    for _ in range(20):
        assert cache.get("answer") == 42
    assert len(clients_made) == 1


def test_this_demos_redis_cache_behaves_as_djangos(redis_url):
    cache = RedisCache(redis_url, PARAMS)
    cache.delete_many(["counter", "once", "gone"])
    assert cache.add("once", "first") and not cache.add("once", "second")
    assert cache.get("once") == "first"
    cache.set("counter", 0)

    def bump(_):
        return cache.incr("counter")

    with ThreadPoolExecutor(max_workers=8) as pool:  # one client, shared by threads
        assert sorted(pool.map(bump, range(100))) == list(range(1, 101))
    assert cache.get("counter") == 100
    cache.set("gone", 1, timeout=0)  # timeout 0: expires at once, as in every Django backend
    assert cache.get("gone", "missing") == "missing"
    cache.delete_many(["counter", "once"])
    assert cache.get_many(["counter", "once"]) == {}
