"""Production mode reads its secrets from the environment and passes check --deploy."""


def test_production_settings_pass_the_deploy_check(deploy_check):
    result = deploy_check()
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_mode_refuses_to_start_without_a_secret_key(manage_py, production_environment):
    env = {key: value for key, value in production_environment.items() if key != "DJANGO_SECRET_KEY"}
    result = manage_py("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_mode_is_never_debug(manage_py, production_environment):
    result = manage_py(
        "shell", "-c", "from django.conf import settings; print(settings.DEBUG)", env=production_environment
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_production_mode_refuses_an_empty_secret_key(manage_py, production_environment):
    # An empty key would pass `check` and then make every request a 500.
    result = manage_py("check", env={**production_environment, "DJANGO_SECRET_KEY": ""})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_mode_without_allowed_hosts_names_the_variable(manage_py, production_environment):
    env = {key: value for key, value in production_environment.items() if key != "DJANGO_ALLOWED_HOSTS"}
    result = manage_py("check", env=env)
    assert result.returncode != 0
    assert "ImproperlyConfigured: DJANGO_ALLOWED_HOSTS must be set when DJANGO_ENV=production" in result.stderr
    assert "KeyError" not in result.stderr


def test_a_nul_byte_in_a_url_outside_the_api_is_a_400_before_any_view(client, db):
    """PostgreSQL refuses text holding a NUL (DataError: a 500 from any lookup, the admin's
    filters included); config/plumbing/middleware.py answers 400 first, in every demo."""
    for url in ("/admin/login/?next=/%00", "/admin/students/student/?name=%00", "/admin/%00/"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert response.json() == {"detail": "A URL may not contain a NUL byte (%00)."}
