"""The tour, the benchmark command, migrations and production settings."""

import io
import re

import pytest
from django.core.management import call_command

from notes.models import Note

# Every step, in order (this run's usernames as plain "ann" and "sam"): the tour test fails
# when one goes missing.
STEPS = [
    "Create ann (a user) and sam (staff).",
    "Log in: POST /api/token/ with ann's username and password.",
    "Refresh: POST /api/token/refresh/ trades the refresh token for a new access token.",
    "Create a note: POST /api/notes/ with two tags.",
    "Edit it: PATCH /api/notes/<id>/ changes the title and drops a tag.",
    "drf_signal_simplejwt's queries on note.history (a live note):",
    "Delete it: DELETE /api/notes/<id>/.",
    "Its history survives: GET /api/notes/<id>/history/ (newest first, owner only).",
    "Staff change ann's phone in code, inside set_actor(sam).",
    "A forged token: GET /api/notes/ with the last characters of the token changed.",
    "The hit log: GET /api/hits/?limit=12 (staff only, newest first).",
    "Search the hit log and the audit log for every password and token used above.",
]


def steps_of(text):
    titles = re.findall(r"^Step \d+\. (.+)$", text, re.MULTILINE)
    return [re.sub(r"\b(ann|sam)-[0-9a-f]{4}\b", r"\1", title) for title in titles]


def test_tour_runs_green_and_prints_no_secret(db):
    out = io.StringIO()
    call_command("tour", stdout=out)
    text = out.getvalue()
    assert "Tour complete" in text
    assert steps_of(text) == STEPS
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


def test_tour_runs_twice_on_one_database(manage_py):
    # manage_py uses one SQLite file per test: the second run finds the first one's rows.
    first, second = manage_py("tour"), manage_py("tour")
    assert first.returncode == 0, first.stdout + first.stderr
    assert second.returncode == 0, second.stdout + second.stderr
    assert "Tour complete" in second.stdout
    for run in (first, second):
        assert steps_of(run.stdout) == STEPS
        assert run.stderr == ""  # no "Unauthorized: /api/notes/" for the forged token, no warning
        long_lines = [line for line in run.stdout.splitlines() if len(line) >= 100]
        assert long_lines == [], long_lines


def test_production_without_allowed_hosts_names_the_variable(manage_py, production_environment, monkeypatch):
    monkeypatch.delenv("DJANGO_ALLOWED_HOSTS", raising=False)
    env = {k: v for k, v in production_environment.items() if k != "DJANGO_ALLOWED_HOSTS"}
    result = manage_py("check", env=env)
    assert result.returncode != 0
    assert "ImproperlyConfigured: DJANGO_ALLOWED_HOSTS must be set when DJANGO_ENV=production" in result.stderr
    assert "KeyError" not in result.stderr


def test_a_post_without_its_slash_is_a_404_naming_the_right_url(ann_client, settings):
    # Under DEBUG, APPEND_SLASH would raise RuntimeError (a 500 page): config/plumbing/middleware.py
    # answers with the URL to use instead, and nothing is written.
    settings.DEBUG = True
    response = ann_client.post("/api/notes", {"title": "lost?"})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"].endswith("POST to /api/notes/")
    assert not Note.objects.exists()
    assert ann_client.patch("/api/notes/1", {"title": "x"}).status_code == 404


def test_the_api_accepts_tokens_only(settings):
    # Set explicitly: DRF's default would add Session and Basic authentication, and Basic
    # is an unthrottled password check on every endpoint.
    assert settings.REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"] == [
        "rest_framework_simplejwt.authentication.JWTAuthentication"
    ]


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("LOGIN_THROTTLE_RATE", "lots", "LOGIN_THROTTLE_RATE must look like '10/minute'"),
        ("DJANGO_TRUSTED_PROXIES", "10.0.0.1, my-proxy", "DJANGO_TRUSTED_PROXIES: 'my-proxy' is not an IP address"),
        ("DJANGO_NUM_PROXIES", "one", "DJANGO_NUM_PROXIES must be a whole number"),
        ("DJANGO_NUM_PROXIES", "-1", "DJANGO_NUM_PROXIES must be a whole number"),
        ("DATABASE_CONN_MAX_AGE", "forever", "DATABASE_CONN_MAX_AGE must be a whole number"),
    ],
)
def test_a_malformed_setting_in_the_environment_stops_startup_naming_it(manage_py, variable, value, message):
    # Before: a bad rate or proxy passed `check` and then made every login (or every
    # request that records a client IP) a 500; a bad number was a bare ValueError.
    result = manage_py("check", env={variable: value})
    assert result.returncode != 0
    assert f"ImproperlyConfigured: {message}" in result.stderr
    assert "ValueError" not in result.stderr
