from urllib.parse import urlparse

import pytest


@pytest.fixture(autouse=True)
def generous_throttle(settings, throttle_rates):
    """Tests log in far more often than 10/minute: every scope at 1000/minute unless a test
    sets its own with the harness's ``throttle_rates(login="3/minute")``."""
    throttle_rates(**{scope: "1000/minute" for scope in settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]})


@pytest.fixture(autouse=True)
def revocation_mirror_as_a_fresh_process(request, settings):
    """Each test starts with an empty revocation mirror, as a freshly started process would.

    A revocation reaches this process's mirror once its transaction commits
    (transaction.on_commit), and the version key in the cache likewise. A test inside one
    transaction never commits: there the mirror syncs from the tables on every check
    (interval 0), which see the test's own rows, and no version cache is used.
    Transactional tests (and tests/test_served.py) keep the real interval and commits.
    Nor has it a Redis subscription yet (jwt_auth/channel.py): its first check makes one,
    nor any verified token (jwt_auth/verified.py): each test's first use verifies in full."""
    from jwt_auth import revocation
    from jwt_auth.channel import channel
    from jwt_auth.verified import verified_tokens

    revocation.mirror.reset()
    channel.reset()
    verified_tokens.clear()
    marker = request.node.get_closest_marker("django_db")
    transactional = marker is not None and (marker.kwargs.get("transaction") or bool(marker.args and marker.args[0]))
    if not transactional:
        settings.JWT_REVOCATION_SYNC_SECONDS = 0
        settings.JWT_REVOCATION_CACHE = None
    yield
    revocation.mirror.reset()


DATABASE_CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "jwt_demo_cache"},
    "throttle": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "jwt_demo_throttle",
        "OPTIONS": {"MAX_ENTRIES": 1_000_000},
    },
}


@pytest.fixture
def database_cache(settings, db):
    """Django's database caches (the default), even when REDIS_URL selected Redis."""
    from django.core.management import call_command

    settings.CACHES = DATABASE_CACHES
    settings.JWT_REVOCATION_CACHE = None
    call_command("createcachetable", verbosity=0)  # what the jwt_auth migration does


@pytest.fixture
def redis_url(redis_url):
    """The harness's Redis server, on a database of this suite's own (1): clearing a Redis
    cache flushes its whole database, and another demo's suite may be using database 0 at
    the same moment (nox runs two suites at once against one Redis)."""
    return urlparse(redis_url)._replace(path="/1").geturl()


@pytest.fixture
def redis_caches():
    """``redis_caches(url)`` -> settings.CACHES as REDIS_URL=url selects them."""
    backend = "config.redis_cache.RedisCache"

    from config.settings import REDIS_TIMEOUTS

    def at(url):
        return {
            "default": {"BACKEND": backend, "LOCATION": url, "KEY_PREFIX": "jwt_demo", "OPTIONS": REDIS_TIMEOUTS},
            "throttle": {
                "BACKEND": backend,
                "LOCATION": url,
                "KEY_PREFIX": "jwt_demo_throttle",
                "OPTIONS": REDIS_TIMEOUTS,
            },
        }

    return at


@pytest.fixture
def login(api_client, password):
    """``login(username="alice")`` -> the response's JSON ({access, refresh}); asserts 200."""

    def do(password=password, **identifier):
        response = api_client.post("/api/token/", {**identifier, "password": password})
        assert response.status_code == 200, response.content
        return response.json()

    return do


@pytest.fixture
def me(api_client):
    """``me(access)`` -> GET /api/auth/me/ with that Bearer token (the response)."""

    def get(access):
        return api_client.get("/api/auth/me/", HTTP_AUTHORIZATION=f"Bearer {access}")

    return get


@pytest.fixture
def stock_simplejwt():
    """``with stock_simplejwt(pitfall=4): ...`` around a trap test's claim about stock
    SimpleJWT (the release in jwt_auth.pitfalls.DOCUMENTED_SIMPLEJWT). If the installed
    release behaves otherwise the test FAILS, saying so: the pitfall's text must be
    revisited, not silently kept (pitfall 10)."""
    from contextlib import contextmanager
    from importlib.metadata import version

    from jwt_auth.pitfalls import DOCUMENTED_SIMPLEJWT

    @contextmanager
    def documents(pitfall):
        installed = version("djangorestframework-simplejwt")
        try:
            yield
        except (Exception, pytest.fail.Exception) as error:
            pytest.fail(
                f"SimpleJWT {installed} no longer behaves as {DOCUMENTED_SIMPLEJWT} did in pitfall {pitfall}: "
                f"the library changed; revisit that pitfall's text in README.md and docs/demos/jwt_demo.md "
                f"({type(error).__name__}: {error})"
            )

    return documents
