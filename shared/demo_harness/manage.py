"""Run the demo's own ``manage.py`` in a child process (a fresh Django per call)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from . import forkserver

# What production mode needs from the environment (see each demo's config/settings.py).
PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "DJANGO_ALLOWED_HOSTS": "demo.example.com",
}


def run_manage(demo_dir, *args, env=None, timeout=120):
    """``manage.py ARGS`` in ``demo_dir``; returns the CompletedProcess (text output).
    A new process either way; on Linux a fork of an interpreter that has imported Django
    already (forkserver.py says what it shares and why)."""
    full_env = {**os.environ, **(env or {})}
    command = [sys.executable, "manage.py", *args]
    if forkserver.can_fork(command, full_env):
        return forkserver.run(command, cwd=demo_dir, env=full_env, timeout=timeout)
    return subprocess.run(
        command,
        cwd=Path(demo_dir),
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def production_env(database_url, **extra):
    """Production mode with random, strong keys, as an operator would set them (a demo
    reads only the ones it needs: jwt_demo signs tokens with its own JWT_SIGNING_KEY,
    sociallogin_demo is a client of its provider with OIDC_CLIENT_SECRET)."""
    keys = {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "JWT_SIGNING_KEY": secrets.token_urlsafe(50),
        "OIDC_CLIENT_SECRET": secrets.token_urlsafe(32),
    }
    return {**PRODUCTION_ENV, **keys, "DATABASE_URL": database_url, **extra}


def run_deploy_check(demo_dir, database_url, **extra_env):
    """``manage.py check --deploy --fail-level WARNING`` in production mode."""
    return run_manage(
        demo_dir, "check", "--deploy", "--fail-level", "WARNING", env=production_env(database_url, **extra_env)
    )
