"""Login throttling (429), production settings, and the environment switches."""

import secrets
import sys

import pytest


def fresh_address():
    """A client address no earlier test or run has used: a fresh throttle counter,
    even when the cache (Redis) outlives the test's transaction."""
    return f"127.{secrets.randbelow(250)}.{secrets.randbelow(250)}.{secrets.randbelow(250) + 1}"


@pytest.mark.django_db
def test_login_is_throttled_with_429(api_client, user, password, throttle_rates):
    throttle_rates(login="3/minute", password="3/minute")
    client_ip = fresh_address()
    statuses = [
        api_client.post("/api/token/", {"username": "alice", "password": "wrong"}, REMOTE_ADDR=client_ip).status_code
        for _ in range(3)
    ]
    assert statuses == [401, 401, 401]
    response = api_client.post("/api/token/", {"username": "alice", "password": password}, REMOTE_ADDR=client_ip)
    assert response.status_code == 429  # even the right password: the client must wait
    assert "Retry-After" in response.headers
    # The throttle is per client: another address may still log in.
    body = {"username": "alice", "password": password}
    assert api_client.post("/api/token/", body, REMOTE_ADDR=fresh_address()).status_code == 200


@pytest.mark.django_db
def test_forgot_password_is_throttled_too(api_client, throttle_rates):
    throttle_rates(login="3/minute", password="1/minute")
    client_ip = fresh_address()
    body = {"email": "anyone@example.com"}
    assert api_client.post("/api/auth/password/forgot/", body, REMOTE_ADDR=client_ip).status_code == 202
    assert api_client.post("/api/auth/password/forgot/", body, REMOTE_ADDR=client_ip).status_code == 429


def authenticated(api_client, user):
    from jwt_auth.tokens import LinkedRefreshToken

    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {LinkedRefreshToken.for_user(user).access_token}")
    return api_client


# Every endpoint that checks a password or tells whether an account exists, with a body
# that does either, and the answer before the throttle: (method, path, body, status, scope).
GUESSABLE = {
    "signup": ("post", "/api/auth/signup/", {"username": "alice", "email": "x@example.com", "password": "p"}, 400),
    "password_change": ("post", "/api/auth/password/change/", {"old_password": "guess", "new_password": "n"}, 400),
    "email": ("patch", "/api/auth/email/", {"email": "new@example.com", "password": "guess"}, 400),
    "phone": ("patch", "/api/auth/phone/", {"phone": "+14155552671", "password": "guess"}, 400),
    "reset": ("post", "/api/auth/password/reset/", {"uid": "MQ", "token": "guess", "new_password": "n"}, 400),
}
SCOPES = {
    "signup": "signup",
    "password_change": "password",
    "email": "password",
    "phone": "password",
    "reset": "password",
}


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", list(GUESSABLE))
def test_every_guessable_endpoint_is_throttled_with_429(database_cache, api_client, user, endpoint, throttle_rates):
    # database_cache: per-user counters (user ids repeat from test to test) roll back with the test.

    throttle_rates(**{SCOPES[endpoint]: "2/minute"})
    method, path, body, status = GUESSABLE[endpoint]
    client = authenticated(api_client, user) if endpoint in {"password_change", "email", "phone"} else api_client
    client_ip = fresh_address()
    send = getattr(client, method)
    assert [send(path, body, REMOTE_ADDR=client_ip).status_code for _ in range(2)] == [status] * 2
    response = send(path, body, REMOTE_ADDR=client_ip)
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0


@pytest.mark.django_db
def test_a_stolen_access_token_is_throttled_per_user_not_per_address(database_cache, api_client, user, throttle_rates):

    throttle_rates(password="2/minute")
    client = authenticated(api_client, user)
    body = {"old_password": "guess", "new_password": "n"}
    statuses = [
        client.post("/api/auth/password/change/", body, REMOTE_ADDR=fresh_address()).status_code for _ in range(3)
    ]
    assert statuses == [400, 400, 429]  # a new address per guess does not help


def load_settings(monkeypatch, **env):
    """Execute config/settings.py afresh with these environment variables."""
    import runpy

    from django.conf import settings

    # The plumbing's settings read the environment too: run them afresh as well.
    monkeypatch.delitem(sys.modules, "config.plumbing.settings", raising=False)
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
    assert switched["CACHES"]["default"]["BACKEND"] == "config.redis_cache.RedisCache"
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


def test_production_refuses_to_start_without_a_jwt_signing_key(manage_py, production_environment, monkeypatch):
    monkeypatch.delenv("JWT_SIGNING_KEY", raising=False)
    env = {**production_environment, "JWT_SIGNING_KEY": ""}
    result = manage_py("check", env=env)
    assert result.returncode != 0
    assert "JWT_SIGNING_KEY must be set" in result.stderr


def test_production_refuses_a_jwt_signing_key_equal_to_the_secret_key(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="JWT_SIGNING_KEY must differ from DJANGO_SECRET_KEY"):
        load_settings(
            monkeypatch,
            DJANGO_ENV="production",
            DJANGO_ALLOWED_HOSTS="api.example.com",
            DJANGO_SECRET_KEY="one-key-for-everything-" + "x" * 30,
            JWT_SIGNING_KEY="one-key-for-everything-" + "x" * 30,
        )


def test_tokens_are_signed_with_their_own_key_and_name_issuer_and_audience(monkeypatch):
    import jwt

    production = load_settings(
        monkeypatch,
        DJANGO_ENV="production",
        DJANGO_ALLOWED_HOSTS="api.example.com",
        DJANGO_SECRET_KEY="the-django-secret-key-" + "x" * 30,
        JWT_SIGNING_KEY="the-jwt-signing-key-" + "y" * 30,
    )
    assert production["SIMPLE_JWT"]["SIGNING_KEY"] == "the-jwt-signing-key-" + "y" * 30
    development = load_settings(monkeypatch, DJANGO_ENV="")
    assert development["SIMPLE_JWT"]["SIGNING_KEY"] != development["SECRET_KEY"]
    assert "insecure" in development["SIMPLE_JWT"]["SIGNING_KEY"]  # marked, like the dev SECRET_KEY

    from django.conf import settings

    from jwt_auth.tokens import LinkedRefreshToken

    payload = jwt.decode(
        str(LinkedRefreshToken().access_token),
        settings.SIMPLE_JWT["SIGNING_KEY"],
        algorithms=["HS256"],
        audience="jwt_demo-api",
        issuer="jwt_demo",
    )
    assert (payload["iss"], payload["aud"]) == ("jwt_demo", "jwt_demo-api")
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(str(LinkedRefreshToken()), settings.SECRET_KEY, algorithms=["HS256"], audience="jwt_demo-api")


def test_production_refuses_an_empty_secret_key(manage_py, production_environment):
    # An empty key would pass `check` and then make every request a 500.
    result = manage_py("check", env={**production_environment, "DJANGO_SECRET_KEY": ""})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_a_spoofed_x_forwarded_for_does_not_reset_the_login_count(api_client, user, throttle_rates):
    # NUM_PROXIES=0: the client address is REMOTE_ADDR. With DRF's default (None) every new
    # X-Forwarded-For value would be a fresh throttle bucket for a password-guessing script.
    throttle_rates(login="2/minute", password="2/minute")
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


def test_changing_the_jwt_signing_key_ends_every_session(manage_py, production_environment):
    # SimpleJWT verifies with SIGNING_KEY alone (no SECRET_KEY_FALLBACKS): a new key refuses
    # every token signed with the old one. Each call is a fresh process with its own key.
    code = "from rest_framework_simplejwt.tokens import AccessToken\n"
    old_key = {**production_environment, "JWT_SIGNING_KEY": "the-old-signing-key-" + "a" * 30}
    made = manage_py("shell", "-c", code + "print(AccessToken())", env=old_key)
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip().splitlines()[-1]
    check = code + f"try:\n    AccessToken({token!r}); print('accepted')\nexcept Exception: print('refused')"
    new_key = {**old_key, "JWT_SIGNING_KEY": "the-new-signing-key-" + "b" * 30}
    assert manage_py("shell", "-c", check, env=old_key).stdout.split()[-1] == "accepted"
    assert manage_py("shell", "-c", check, env=new_key).stdout.split()[-1] == "refused"


def test_a_database_migrated_before_the_throttle_cache_gets_its_table(manage_py, tmp_path):
    database = {"DATABASE_URL": f"sqlite:///{tmp_path / 'old.sqlite3'}", "REDIS_URL": ""}
    assert manage_py("migrate", "jwt_auth", "0003", env=database).returncode == 0
    drop = "from django.db import connection\nconnection.cursor().execute('DROP TABLE jwt_demo_throttle')"
    assert manage_py("shell", "-c", drop, env=database).returncode == 0  # as before the alias existed
    migrated = manage_py("migrate", env=database)
    assert migrated.returncode == 0, migrated.stderr
    tables = "from django.db import connection\nprint(sorted(connection.introspection.table_names()))"
    assert "jwt_demo_throttle" in manage_py("shell", "-c", tables, env=database).stdout


@pytest.mark.parametrize("key", ["secret", "x" * 31, "é" * 15])
def test_production_refuses_a_jwt_signing_key_shorter_than_32_bytes(monkeypatch, key):
    # HS256 with a short key: anyone holding one token can find the key offline, then forge any token.
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="JWT_SIGNING_KEY must be at least 32 bytes"):
        load_settings(
            monkeypatch,
            DJANGO_ENV="production",
            DJANGO_ALLOWED_HOSTS="api.example.com",
            DJANGO_SECRET_KEY="the-django-secret-key-" + "x" * 30,
            JWT_SIGNING_KEY=key,
        )
