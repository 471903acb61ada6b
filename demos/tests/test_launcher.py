"""The launcher's development-superuser step, run against a real demo's manage.py."""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager

import pytest

from demo_harness import free_port, production_env, run_manage
from demos import DEMOS
from demos.__main__ import DEV_SUPERUSER

DEMO = DEMOS[0]
COUNT_ADMINS = (
    "from django.contrib.auth import get_user_model; "
    "print(get_user_model().objects.filter(username='admin', is_superuser=True).count())"
)


MIGRATE = "from django.core.management import call_command; call_command('migrate', verbosity=0)\n"


def run_snippet(env, *snippets):
    """One child process: migrate, then the snippets in order (a Django start-up costs ~1 s)."""
    result = run_manage(DEMO.path, "shell", "-c", MIGRATE + "\n".join(snippets), env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def database_url(tmp_path):
    return f"sqlite:///{tmp_path / 'launcher.sqlite3'}"


def test_serve_creates_the_dev_superuser_only_when_debug(database_url):
    # Run twice: the step is idempotent (a second serve must not fail).
    out = run_snippet({"DATABASE_URL": database_url}, DEV_SUPERUSER, DEV_SUPERUSER, COUNT_ADMINS)
    assert out.count("WARNING: development superuser admin / admin") == 2
    assert out.strip().splitlines()[-1] == "1"


def test_serve_never_creates_the_superuser_in_production(database_url):
    out = run_snippet(production_env(database_url), DEV_SUPERUSER, COUNT_ADMINS)
    assert "DEBUG is off: no development superuser" in out
    assert out.strip().splitlines()[-1] == "0"


def test_python_m_demos_list_runs_as_a_module():
    result = subprocess.run([sys.executable, "-m", "demos", "list"], capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert DEMO.name in result.stdout


def test_copy_writes_a_self_contained_folder_with_its_own_harness(tmp_path):
    dest = tmp_path / "elsewhere" / DEMO.name
    result = subprocess.run(
        [sys.executable, "-m", "demos", "copy", DEMO.name, str(dest)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert (dest / "manage.py").is_file() and (dest / "tests").is_dir()
    assert (dest / "test-harness" / "demo_harness" / "plugin.py").is_file()
    assert (dest / "test-harness" / "pyproject.toml").is_file()
    # The tests' requirements point at the copied harness, never back into the repository.
    requirements = (dest / "requirements-test.txt").read_text()
    assert "./test-harness" in requirements and "../shared" not in requirements
    assert not list(dest.rglob("*.sqlite3")) and not list(dest.rglob("__pycache__"))


def test_copy_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    result = subprocess.run(
        [sys.executable, "-m", "demos", "copy", DEMO.name, str(tmp_path)], capture_output=True, text=True
    )
    assert result.returncode == 2 and "not empty" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_every_demo_has_a_test_requirements_file_naming_its_own_and_the_harness():
    for demo in DEMOS:
        lines = (demo.path / "requirements-test.txt").read_text().splitlines()
        assert "-r requirements.txt" in lines and "../shared" in lines, demo.name


@contextmanager
def serving(name, port, env):
    """`python -m demos serve NAME --port PORT` until the block ends, then Ctrl+C: its output."""
    command = [sys.executable, "-m", "demos", "serve", name, "--port", str(port)]
    # Its own process group: Ctrl+C reaches the launcher and the runserver it started.
    # With Ctrl+C's default action too: a shell that runs this suite in the background
    # (`cmd &` without job control) hands its children SIGINT ignored, and Python then
    # never turns it into KeyboardInterrupt, so the launcher would serve on.
    server = subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    output = []
    try:
        yield server, output
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGINT)  # what Ctrl+C sends
        output.append(server.communicate(timeout=30)[0])


def wait_for(url, server, timeout=60):
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                return answer.status
        except OSError:
            assert server.poll() is None, server.stdout.read()
            assert time.monotonic() < deadline, f"{url} did not answer within {timeout} s"
            time.sleep(0.5)


def test_serve_migrates_and_answers_on_the_port_it_was_given(tmp_path):
    """`python -m demos serve NAME --port N`, as the README shows it: it migrates, makes the
    development superuser (DEBUG) and serves until stopped."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}"}
    with serving(DEMO.name, port, env) as (server, output):
        assert wait_for(f"http://127.0.0.1:{port}/api/schema/?format=json", server) == 200
    output = output[0]
    assert "WARNING: development superuser admin / admin exists" in output
    assert f"Serving {DEMO.name} on http://127.0.0.1:{port}/" in output


def test_serve_starts_what_a_demo_needs_beside_it_and_stops_it_on_ctrl_c(tmp_path):
    """sociallogin_demo's sign-in needs its local provider: `serve` runs it too."""
    port, provider_port = free_port(), free_port()
    provider = f"http://127.0.0.1:{provider_port}/o"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}",
        "PROVIDER_DATABASE_URL": f"sqlite:///{tmp_path / 'provider.sqlite3'}",
        "OIDC_PROVIDER_URL": provider,
    }
    with serving("sociallogin_demo", port, env) as (server, output):
        assert wait_for(provider + "/.well-known/openid-configuration", server) == 200
        assert wait_for(f"http://127.0.0.1:{port}/accounts/login/", server) == 200
    assert f"Local provider on {provider} for http://127.0.0.1:{port}" in output[0]
    with pytest.raises(OSError):  # stopped with the site
        urllib.request.urlopen(provider + "/.well-known/openid-configuration", timeout=2)
