"""Production mode of every demo: the deploy checks pass, and no development default
(DEBUG, the technical error pages, the admin/admin superuser, an empty key) is active."""

import json
import re
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from demo_harness import production_env, run_deploy_check, run_manage
from demos.__main__ import DEV_SUPERUSER

from .support import DEMOS, HTTPS, TIMEOUT, demo_dir, known_bug

EMPTY_KEY = {}  # demo -> reason, for a demo whose production settings accept an empty key


@pytest.fixture(scope="module")
def manage_results():
    """``check --deploy`` and ``check`` with an empty key, every demo, two at a time."""
    with tempfile.TemporaryDirectory(prefix="security-production-") as tmp:

        def deploy(name):
            return run_deploy_check(demo_dir(name), f"sqlite:///{Path(tmp) / name}.sqlite3")

        def empty_key(name):
            env = production_env(f"sqlite:///{Path(tmp) / name}-empty.sqlite3", DJANGO_SECRET_KEY="")
            return run_manage(demo_dir(name), "check", env=env)

        with ThreadPoolExecutor(max_workers=2) as pool:
            futures = {
                (kind, name): pool.submit(job, name)
                for name in DEMOS
                for kind, job in (("deploy", deploy), ("empty_key", empty_key))
            }
            return {key: future.result() for key, future in futures.items()}


@pytest.mark.parametrize("demo", DEMOS)
def test_check_deploy_passes_at_warning_level(manage_results, demo):
    result = manage_results["deploy", demo]
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("demo", DEMOS)
def test_an_empty_secret_key_is_refused(request, manage_results, demo):
    known_bug(request, demo in EMPTY_KEY, EMPTY_KEY.get(demo))
    result = manage_results["empty_key", demo]
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def required_variables(name):
    """The variables a demo's production settings cannot do without: each
    ``required_env("NAME", ...)`` call in its config/settings.py and in the plumbing's."""
    config = demo_dir(name) / "config"
    sources = (config / "settings.py").read_text() + (config / "plumbing" / "settings.py").read_text()
    return re.findall(r'required_env\("([A-Z_]+)"', sources)


@pytest.mark.parametrize("demo", DEMOS)
def test_each_missing_production_variable_is_named_not_a_traceback(demo, tmp_path):
    """An operator who forgets a variable reads which one and what to set, not a bare
    KeyError from deep inside the settings module."""
    variables = required_variables(demo)
    assert {"DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"} <= set(variables), variables
    for variable in variables:
        # Empty counts as missing (an empty secret key is as bad as none).
        env = production_env(f"sqlite:///{tmp_path / 'prod.sqlite3'}", **{variable: ""})
        result = run_manage(demo_dir(demo), "check", env=env)
        assert result.returncode != 0, variable
        assert f"ImproperlyConfigured: {variable} must be set" in result.stderr, (variable, result.stderr[-800:])
        assert "KeyError" not in result.stderr, variable


CHECK = """
import json
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
print(json.dumps({
    "debug": settings.DEBUG,
    "users": get_user_model().objects.count(),
    "admin_admin": authenticate(username="admin", password="admin") is not None,
}))
"""


@pytest.mark.parametrize("demo", DEMOS)
def test_the_development_superuser_is_never_created_in_production(production_server, demo):
    served = production_server(demo)

    # What `python -m demos serve` runs, here in production mode, then a look at the result
    # (in the same process: one Django start instead of two).
    result = served.manage("shell", "-c", DEV_SUPERUSER + CHECK)

    assert result.returncode == 0, result.stderr
    assert "DEBUG is off" in result.stdout and "WARNING" not in result.stdout
    state = json.loads(result.stdout.strip().splitlines()[-1])
    assert state == {"debug": False, "users": 0, "admin_admin": False}


@pytest.mark.parametrize("demo", DEMOS)
def test_production_server_shows_no_debug_page_and_forces_https(production_server, demo):
    served = production_server(demo)
    path = "/security-suite-no-such-page/"

    missing = requests.get(served.url + path, headers=HTTPS, timeout=TIMEOUT)
    plain_http = requests.get(served.url + path, timeout=TIMEOUT, allow_redirects=False)

    assert missing.status_code == 404
    for debug_marker in ("DEBUG = True", "URLconf", "Traceback", "django-insecure"):
        assert debug_marker not in missing.text
    assert "max-age=" in missing.headers["Strict-Transport-Security"]
    assert plain_http.status_code == 301
    assert plain_http.headers["Location"].startswith("https://")
