"""Production mode, configuration from the environment, migrations."""

import io

import pytest
from django.core.management import call_command

READ_SETTINGS = (
    "from django.conf import settings; from rest_framework.settings import api_settings; "
    "print(settings.TOKEN_LIFETIME.total_seconds(), api_settings.DEFAULT_THROTTLE_RATES['login'], "
    "api_settings.NUM_PROXIES)"
)


def test_deploy_check_passes_in_production_mode(deploy_check):
    result = deploy_check()

    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(manage_py, production_environment):
    result = manage_py("check", env={**production_environment, "DJANGO_SECRET_KEY": ""})

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_token_lifetime_throttle_rate_and_proxies_come_from_the_environment(manage_py):
    env = {"TOKEN_LIFETIME_SECONDS": "900", "LOGIN_THROTTLE_RATE": "2/minute", "DJANGO_NUM_PROXIES": "1"}

    result = manage_py("shell", "-c", READ_SETTINGS, env=env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-3:] == ["900.0", "2/minute", "1"]


def test_a_malformed_throttle_rate_stops_startup(manage_py):
    result = manage_py("check", env={"LOGIN_THROTTLE_RATE": "lots"})

    assert result.returncode != 0
    assert "LOGIN_THROTTLE_RATE" in result.stderr


def test_migrations_are_up_to_date(db):
    out = io.StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)  # exits non-zero when stale
    assert "No changes detected" in out.getvalue()


def test_production_without_allowed_hosts_names_the_variable(manage_py, production_environment, monkeypatch):
    monkeypatch.delenv("DJANGO_ALLOWED_HOSTS", raising=False)
    env = {k: v for k, v in production_environment.items() if k != "DJANGO_ALLOWED_HOSTS"}

    result = manage_py("check", env=env)

    assert result.returncode != 0
    assert "ImproperlyConfigured: DJANGO_ALLOWED_HOSTS must be set when DJANGO_ENV=production" in result.stderr
    assert "KeyError" not in result.stderr


def test_a_post_without_its_slash_is_a_404_naming_the_right_url(client, settings, db):
    # The API's write URLs answer both forms (tokens/urls.py). Any other URL posted
    # without its slash gets a 404 that says where to go, instead of APPEND_SLASH's
    # RuntimeError page under DEBUG (config/middleware.py).
    settings.DEBUG = True

    response = client.post("/api/schema?format=json", {"username": "x"})

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "POST to /api/schema/?format=json" in response.json()["detail"]
    assert client.post("/demotoken/register", {}).status_code == 400  # routed: DRF's field errors


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("TOKEN_LIFETIME_SECONDS", "a day"),
        ("TOKEN_LIFETIME_SECONDS", "0"),  # every token would be expired as it is issued
        ("TOKEN_LIFETIME_SECONDS", "-60"),
        ("DJANGO_NUM_PROXIES", "one"),
        ("DJANGO_NUM_PROXIES", "-1"),
        ("DATABASE_CONN_MAX_AGE", "forever"),
    ],
)
def test_a_malformed_number_in_the_environment_stops_startup_naming_it(manage_py, variable, value):
    result = manage_py("check", env={variable: value})

    assert result.returncode != 0
    assert f"ImproperlyConfigured: {variable} must be a whole number" in result.stderr
    assert "ValueError" not in result.stderr
