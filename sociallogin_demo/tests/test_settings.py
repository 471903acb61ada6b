"""Production mode, configuration from the environment, migrations."""

import io

from django.core.management import call_command

READ_PROVIDERS = "from django.conf import settings; print(sorted(settings.SOCIALACCOUNT_PROVIDERS))"


def test_deploy_check_passes_in_production_mode(deploy_check):
    result = deploy_check(OIDC_CLIENT_SECRET="a-secret-the-provider-issued")
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_the_client_secret(manage_py, production_environment):
    result = manage_py("check", env={**production_environment, "OIDC_CLIENT_SECRET": ""})
    assert result.returncode != 0
    assert "OIDC_CLIENT_SECRET must be set" in result.stderr


def test_google_and_facebook_are_configured_only_from_the_environment(manage_py):
    neither = manage_py("shell", "-c", READ_PROVIDERS)
    both = manage_py(
        "shell",
        "-c",
        READ_PROVIDERS,
        env={
            "GOOGLE_CLIENT_ID": "id",
            "GOOGLE_CLIENT_SECRET": "s",
            "FACEBOOK_APP_ID": "id",
            "FACEBOOK_APP_SECRET": "s",
        },
    )
    assert neither.stdout.split("\n")[-2] == "['openid_connect']", neither.stderr
    assert both.stdout.split("\n")[-2] == "['facebook', 'google', 'openid_connect']", both.stderr


def test_a_google_client_id_without_its_secret_stops_startup_naming_it(manage_py):
    result = manage_py("check", env={"GOOGLE_CLIENT_ID": "id"})
    assert result.returncode != 0
    assert "GOOGLE_CLIENT_SECRET must be set when GOOGLE_CLIENT_ID is" in result.stderr


def test_migrations_are_up_to_date(db):
    out = io.StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)  # exits non-zero when stale
    assert "No changes detected" in out.getvalue()
