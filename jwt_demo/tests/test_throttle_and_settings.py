"""Login throttling (429), production settings, and the environment switches."""

import secrets

import pytest
from rest_framework.throttling import ScopedRateThrottle

from tests.conftest import PASSWORD


def fresh_address():
    """A client address no earlier test or run has used: a fresh throttle counter,
    even when the cache (Redis) outlives the test's transaction."""
    return f"127.{secrets.randbelow(250)}.{secrets.randbelow(250)}.{secrets.randbelow(250) + 1}"


@pytest.mark.django_db
def test_login_is_throttled_with_429(api_client, user, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"login": "3/minute", "password": "3/minute"})
    client_ip = fresh_address()
    statuses = [
        api_client.post("/api/token/", {"username": "alice", "password": "wrong"}, REMOTE_ADDR=client_ip).status_code
        for _ in range(3)
    ]
    assert statuses == [401, 401, 401]
    response = api_client.post("/api/token/", {"username": "alice", "password": PASSWORD}, REMOTE_ADDR=client_ip)
    assert response.status_code == 429  # even the right password: the client must wait
    assert "Retry-After" in response.headers
    # The throttle is per client: another address may still log in.
    body = {"username": "alice", "password": PASSWORD}
    assert api_client.post("/api/token/", body, REMOTE_ADDR=fresh_address()).status_code == 200


@pytest.mark.django_db
def test_forgot_password_is_throttled_too(api_client, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"login": "3/minute", "password": "1/minute"})
    client_ip = fresh_address()
    body = {"email": "anyone@example.com"}
    assert api_client.post("/api/auth/password/forgot/", body, REMOTE_ADDR=client_ip).status_code == 202
    assert api_client.post("/api/auth/password/forgot/", body, REMOTE_ADDR=client_ip).status_code == 429


def load_settings(monkeypatch, **env):
    """Execute config/settings.py afresh with these environment variables."""
    import runpy

    from django.conf import settings

    for name, value in env.items():
        if value:
            monkeypatch.setenv(name, value)
        else:
            monkeypatch.delenv(name, raising=False)
    return runpy.run_path(str(settings.BASE_DIR / "config" / "settings.py"))


def test_environment_switches_cache_and_throttle_rate(monkeypatch):
    default = load_settings(monkeypatch, REDIS_URL="", LOGIN_THROTTLE_RATE="")
    assert default["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert default["REST_FRAMEWORK"]["DEFAULT_THROTTLE_RATES"]["login"] == "10/minute"
    switched = load_settings(monkeypatch, REDIS_URL="redis://127.0.0.1:6379/0", LOGIN_THROTTLE_RATE="2/minute")
    assert switched["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert switched["CACHES"]["default"]["LOCATION"] == "redis://127.0.0.1:6379/0"
    assert switched["REST_FRAMEWORK"]["DEFAULT_THROTTLE_RATES"]["login"] == "2/minute"


def test_deploy_check_passes_in_production_mode(deploy_check):
    result = deploy_check()
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(manage_py, production_environment, monkeypatch):
    monkeypatch.delenv("DJANGO_SECRET_KEY", raising=False)  # manage_py starts from os.environ
    env = {name: value for name, value in production_environment.items() if name != "DJANGO_SECRET_KEY"}
    result = manage_py("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_the_migration_creates_the_cache_table(settings):
    from importlib import import_module
    from types import SimpleNamespace

    from django.db import connection

    create_cache_table = import_module("jwt_auth.migrations.0001_cache_table").create_cache_table
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "fresh_cache"}}
    assert "fresh_cache" not in connection.introspection.table_names()
    create_cache_table(None, SimpleNamespace(connection=connection))  # what `migrate` runs
    assert "fresh_cache" in connection.introspection.table_names()


def test_production_refuses_an_empty_secret_key(manage_py, production_environment):
    # An empty key would pass `check` and then make every request a 500.
    result = manage_py("check", env={**production_environment, "DJANGO_SECRET_KEY": ""})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_a_spoofed_x_forwarded_for_does_not_reset_the_login_count(api_client, user, monkeypatch):
    # NUM_PROXIES=0: the client address is REMOTE_ADDR. With DRF's default (None) every new
    # X-Forwarded-For value would be a fresh throttle bucket for a password-guessing script.
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"login": "2/minute", "password": "2/minute"})
    client_ip = fresh_address()
    statuses = [
        api_client.post(
            "/api/token/",
            {"username": "alice", "password": "wrong"},
            REMOTE_ADDR=client_ip,
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}",
        ).status_code
        for n in range(3)
    ]
    assert statuses == [401, 401, 429]
