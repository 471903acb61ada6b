"""The tour, the benchmark command, migrations and production settings."""

import io

from django.core.management import call_command


def test_tour_runs_green_and_prints_no_secret(db):
    out = io.StringIO()
    call_command("tour", stdout=out)
    text = out.getvalue()
    assert "Tour complete" in text
    for expected in ["POST /api/token/", "Bearer", "history.latest()", ".changes_str", "order_by('-timestamp')"]:
        assert expected in text
    assert "delete  by ann" in text and "create  by ann" in text
    assert "/api/hits/" in text
    assert "eyJ" not in text.replace("eyJh…", "")  # tokens appear only as 4 chars + "…"


def test_bench_command_reports_both_variants(db):
    out = io.StringIO()
    call_command("bench_hit_logger", "--requests", "5", "--rounds", "1", stdout=out)
    text = out.getvalue()
    assert "with logger" in text and "without logger" in text
    assert "extra queries per request: 1" in text


def test_migrations_are_complete(manage_py):
    result = manage_py("makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_check_passes_in_production(deploy_check):
    result = deploy_check()
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_secret_key(manage_py):
    result = manage_py("check", env={"DJANGO_ENV": "production", "DJANGO_ALLOWED_HOSTS": "demo.example.com"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_trusted_proxies_come_from_the_environment(manage_py):
    code = "from django.conf import settings; print(settings.TRUSTED_PROXIES)"
    result = manage_py("shell", "-c", code, env={"DJANGO_TRUSTED_PROXIES": "10.0.0.0/8, 192.168.1.1"})
    assert "['10.0.0.0/8', '192.168.1.1']" in result.stdout


def test_production_refuses_an_empty_secret_key(manage_py, production_environment):
    # An empty key would pass `check` and then make every request a 500.
    result = manage_py("check", env={**production_environment, "DJANGO_SECRET_KEY": ""})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr
