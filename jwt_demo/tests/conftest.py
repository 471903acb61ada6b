import pytest
from rest_framework.throttling import ScopedRateThrottle

PASSWORD = "correct horse battery"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """SQLite test database in a file (not in memory), so a child process (manage_py)
    can share it: the cross-process revocation test needs one database cache for both."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("sqlite") / "test.sqlite3")


@pytest.fixture(autouse=True)
def generous_throttle(monkeypatch):
    """Tests log in far more often than 10/minute. DRF reads the rates once, at import,
    into ScopedRateThrottle.THROTTLE_RATES, so that is what a test must change."""
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"login": "1000/minute", "password": "1000/minute"})


@pytest.fixture
def database_cache(settings, db):
    """Django's database cache (the default), even when REDIS_URL selected Redis."""
    from django.core.management import call_command

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "jwt_demo_cache"}
    }
    call_command("createcachetable", verbosity=0)  # what the jwt_auth migration does


@pytest.fixture
def login(api_client):
    """``login(username="alice")`` -> the response's JSON ({access, refresh}); asserts 200."""

    def do(password=PASSWORD, **identifier):
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
