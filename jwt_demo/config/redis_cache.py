"""Django's built-in Redis cache, with one redis-py client per connection pool.

Django's ``RedisCacheClient.get_client()`` (5.2 and 6.x) builds a new ``redis.Redis`` for
every ``get`` or ``set``, and redis-py's constructor fills a table of about 170 response
callbacks each time: here that cost four times the GET's own round trip. The revocation
check reads one key per request (``jwt_auth/revocation.py``), so this is on every
authenticated read. A redis-py client is safe to share once made (its pool hands each
command a connection), and Django keeps one cache object per thread anyway.
"""

from django.core.cache.backends import redis as django_redis


class OneClientPerPool(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}  # id(pool) -> its redis.Redis

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    """``BACKEND: "config.redis_cache.RedisCache"``: Django's backend, its client reused."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = OneClientPerPool
