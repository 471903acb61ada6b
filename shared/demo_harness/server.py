"""Serve a demo on a free 127.0.0.1 port for black-box tests (fuzzing, attacks, load).

    with serve_demo(DEMO_DIR, superuser=("admin", "a-long-admin-passphrase")) as served:
        requests.get(served.url + "/api/events/")
        served.log_text()   # everything the server printed (for secret-leak checks)

The demo is migrated on a fresh SQLite file (a copy of one migrated earlier in the same
test process, when its migrations have not changed) or on ``database_url`` first. ``server`` is
"gunicorn" (a production WSGI server; needs gunicorn installed in the test venv),
"uvicorn" (the ASGI entry point), or "runserver" (Django's development server).
"""

import atexit
import hashlib
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .manage import production_env, run_manage


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, process, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with code {process.returncode} before listening")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listened on 127.0.0.1:{port} within {timeout} s")


@dataclass
class ServedDemo:
    url: str
    env: dict
    log_path: Path
    demo_dir: Path

    def log_text(self):
        return self.log_path.read_text(errors="replace")

    def manage(self, *args, **kwargs):
        """manage.py against the same database and settings as the running server."""
        return run_manage(self.demo_dir, *args, env=self.env, **kwargs)


def server_command(server, port, workers):
    bind = f"127.0.0.1:{port}"
    if server == "gunicorn":
        return [sys.executable, "-m", "gunicorn", "config.wsgi:application", "-b", bind, "-w", str(workers)]
    if server == "uvicorn":
        return [sys.executable, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1", "--port", str(port)]
    if server == "runserver":
        return [sys.executable, "manage.py", "runserver", bind, "--noreload"]
    raise ValueError(f"unknown server {server!r}")


# Migrated SQLite databases to copy from, one per (demo, settings, migrations), per process:
# `migrate` costs seconds of CPU each time; a copy costs milliseconds.
_TEMPLATES = {}
_TEMPLATE_DIR = None


def _migrations_digest(demo_dir):
    digest = hashlib.sha256()
    for path in sorted(demo_dir.glob("*/migrations/*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def migrate_sqlite(demo_dir, database_path, env):
    """Give ``database_path`` the demo's migrated schema and data: the first call for a demo
    runs ``migrate`` into a template, later ones copy it (SQLite's backup API, so pages
    still in the write-ahead log are copied too)."""
    global _TEMPLATE_DIR
    settings = (env.get("DJANGO_SETTINGS_MODULE", ""), env.get("DJANGO_ENV", ""))
    key = (str(demo_dir), *settings, _migrations_digest(demo_dir))
    if key not in _TEMPLATES:
        if _TEMPLATE_DIR is None:
            _TEMPLATE_DIR = tempfile.mkdtemp(prefix="demo-harness-templates-")
            atexit.register(shutil.rmtree, _TEMPLATE_DIR, True)
        template = Path(_TEMPLATE_DIR) / f"{demo_dir.name}-{len(_TEMPLATES)}.sqlite3"
        migrated = run_manage(demo_dir, "migrate", "--no-input", env={**env, "DATABASE_URL": f"sqlite:///{template}"})
        if migrated.returncode:
            raise RuntimeError(f"migrate failed:\n{migrated.stderr}")
        _TEMPLATES[key] = template
    source, target = sqlite3.connect(_TEMPLATES[key]), sqlite3.connect(database_path)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()


@contextmanager
def serve_demo(
    demo_dir, *, server="gunicorn", workers=2, database_url=None, env=None, superuser=None, prepare=(), production=False
):
    """Migrate, optionally create a superuser, run the ``prepare`` manage.py commands
    (tuples of arguments), serve; stop the server on exit."""
    demo_dir = Path(demo_dir)
    with tempfile.TemporaryDirectory(prefix=f"{demo_dir.name}-served-") as tmp:
        database_url = database_url or f"sqlite:///{Path(tmp) / 'served.sqlite3'}"
        full_env = production_env(database_url) if production else {"DATABASE_URL": database_url}
        full_env["PYTHONUNBUFFERED"] = "1"  # the log is complete while the server runs
        if production:
            # Plain HTTP on loopback stands behind an imaginary TLS proxy: send
            # "X-Forwarded-Proto: https" (SECURE_PROXY_SSL_HEADER) or get the SSL redirect.
            full_env["DJANGO_ALLOWED_HOSTS"] = "127.0.0.1,localhost"
        full_env.update(env or {})
        if full_env["DATABASE_URL"] == f"sqlite:///{Path(tmp) / 'served.sqlite3'}":
            migrate_sqlite(demo_dir, Path(tmp) / "served.sqlite3", full_env)
        else:
            migrated = run_manage(demo_dir, "migrate", "--no-input", env=full_env)
            if migrated.returncode:
                raise RuntimeError(f"migrate failed:\n{migrated.stderr}")
        if superuser:
            username, password = superuser
            created = run_manage(
                demo_dir,
                "createsuperuser",
                "--no-input",
                env={
                    **full_env,
                    "DJANGO_SUPERUSER_USERNAME": username,
                    "DJANGO_SUPERUSER_PASSWORD": password,
                    "DJANGO_SUPERUSER_EMAIL": f"{username}@example.com",
                },
            )
            if created.returncode:
                raise RuntimeError(f"createsuperuser failed:\n{created.stderr}")
        for command in prepare:
            prepared = run_manage(demo_dir, *command, env=full_env)
            if prepared.returncode:
                raise RuntimeError(f"manage.py {' '.join(command)} failed:\n{prepared.stderr}")
        port = free_port()
        log_path = Path(tmp) / "server.log"
        with open(log_path, "wb") as log:
            process = subprocess.Popen(
                server_command(server, port, workers),
                cwd=demo_dir,
                env={**os.environ, **full_env},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            try:
                wait_for_port(port, process)
                yield ServedDemo(f"http://127.0.0.1:{port}", full_env, log_path, demo_dir)
            finally:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
