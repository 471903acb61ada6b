"""Serve a demo on a free 127.0.0.1 port for black-box tests (fuzzing, attacks, load).

    with serve_demo(DEMO_DIR, superuser=("admin", "a-long-admin-passphrase")) as served:
        requests.get(served.url + "/api/events/")
        served.log_text()   # everything the server printed (for secret-leak checks)

A new SQLite database gets a copy of a template migrated earlier for the same code
(``migrated_template``); any other ``database_url`` is migrated first. ``server`` is
"gunicorn" (a production WSGI server; needs gunicorn installed in the test venv),
"uvicorn" (the ASGI entry point), "daphne" (ASGI with WebSockets, for a demo that
installs it) or "runserver" (Django's development server).
"""

import hashlib
import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from . import forkserver
from .manage import production_env, run_manage


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PortTaken(RuntimeError):
    """Another process listens on the port free_port() chose (see wait_for_port)."""


def wait_for_port(port, process, timeout=30.0):
    """Return once ``process`` listens on 127.0.0.1:``port``.

    free_port() can only say that a port was free a moment ago: a suite running beside
    this one may start its own server there first. A connection alone would then succeed
    against the wrong server (one demo's tests answered by another demo), so on Linux the
    listening socket must belong to ``process``; otherwise PortTaken, and the caller
    tries another port."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with code {process.returncode} before listening")
        listening = listening_sockets(port)
        if listening is None:  # no /proc (macOS): a connection is the best evidence there is
            if accepts_connections(port):
                return
        elif listening & sockets_of(process.pid):
            return
        elif listening:
            raise PortTaken(f"another process listens on 127.0.0.1:{port}")
        time.sleep(0.1)
    raise TimeoutError(f"nothing listened on 127.0.0.1:{port} within {timeout} s")


def accepts_connections(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def listening_sockets(port):
    """The inodes of the sockets listening on ``port`` (Linux's /proc/net/tcp), or None
    where there is no /proc."""
    if not Path("/proc/net/tcp").exists():
        return None
    inodes = set()
    for table in (Path("/proc/net/tcp"), Path("/proc/net/tcp6")):
        rows = table.read_text().splitlines()[1:] if table.exists() else []  # tcp6: absent without IPv6
        for row in rows:
            fields = row.split()  # local address "0100007F:1F90", ..., state, ..., inode
            local_port, state, inode = int(fields[1].rsplit(":", 1)[1], 16), fields[3], fields[9]
            if local_port == port and state == "0A":  # 0A: TCP_LISTEN
                inodes.add(inode)
    return inodes


def sockets_of(pid):
    """The inodes of the sockets process ``pid`` holds open."""
    inodes = set()
    try:
        descriptors = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return inodes
    for descriptor in descriptors:
        try:
            target = os.readlink(f"/proc/{pid}/fd/{descriptor}")
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    return inodes


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
        # --preload: the master loads Django once and forks the workers, which share it
        # (one start-up instead of one per worker); each worker still has its own memory.
        command = [sys.executable, "-m", "gunicorn", "config.wsgi:application", "-b", bind, "-w", str(workers)]
        return [*command, "--preload", "-c", "python:demo_harness.gunicorn_config"]
    if server == "daphne":  # an ASGI server that speaks WebSocket (chat_demo)
        return [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "config.asgi:application"]
    if server == "uvicorn":
        return [sys.executable, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1", "--port", str(port)]
    if server == "runserver":
        return [sys.executable, "manage.py", "runserver", bind, "--noreload"]
    raise ValueError(f"unknown server {server!r}")


# Migrated SQLite databases to copy from, kept between test runs: `migrate` costs seconds
# of CPU each time (a Django start-up, then every migration); a copy costs milliseconds.
# A template is named by everything that can change what `migrate` writes: the demo's
# code (migrations, and the receivers and data migrations they run), the interpreter,
# Django's version and the environment, so an edit anywhere means a fresh `migrate`.
TEMPLATE_DIR = Path(tempfile.gettempdir()) / "demo-harness-templates"
TEMPLATE_MAX_AGE_S = 24 * 3600
# Random or a temporary path per run (production_env, a test's static folder), or the
# server's own options, and irrelevant to the schema: not part of the name. A name that
# changed at every run would cost a `migrate` in every run.
NOT_SCHEMA = {
    "DATABASE_URL",
    "PYTHONUNBUFFERED",
    "DJANGO_SECRET_KEY",
    "JWT_SIGNING_KEY",
    "OIDC_CLIENT_SECRET",
    "DJANGO_STATIC_ROOT",
    "GUNICORN_CMD_ARGS",
}
SKIPPED_FOLDERS = {"tests", "media", "staticfiles", "__pycache__", ".pytest_cache"}


def template_name(demo_dir, env):
    # The settings module too: the suites' children hash passwords otherwise (child_settings).
    settings_module = {**os.environ, **env}.get("DJANGO_SETTINGS_MODULE", "")
    digest = hashlib.sha256(f"{demo_dir.resolve()}|{sys.executable}|{django_version()}|{settings_module}".encode())
    digest.update(repr(sorted((k, v) for k, v in env.items() if k not in NOT_SCHEMA)).encode())
    for path in sorted(demo_dir.rglob("*")):
        relative = path.relative_to(demo_dir)
        if path.suffix in (".py", ".json") and not SKIPPED_FOLDERS.intersection(relative.parts):
            digest.update(str(relative).encode() + b"\0" + path.read_bytes())
    return f"{demo_dir.name}-{digest.hexdigest()[:20]}.sqlite3"


def django_version():
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("django")
    except PackageNotFoundError:
        return "-"


def copy_sqlite(source, target):
    """SQLite's backup API: pages still in a write-ahead log are copied too."""
    source, target = sqlite3.connect(source), sqlite3.connect(target)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()


def migrated_template(demo_dir, env):
    """The template for this demo, code and environment: migrated now if there is none."""
    TEMPLATE_DIR.mkdir(exist_ok=True)
    template = TEMPLATE_DIR / template_name(demo_dir, env)
    if template.is_file():
        return template
    for old in TEMPLATE_DIR.glob("*.sqlite3"):  # templates of code edited long ago
        if time.time() - old.stat().st_mtime > TEMPLATE_MAX_AGE_S:
            old.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(dir=TEMPLATE_DIR) as scratch:
        migrated_path = Path(scratch) / "migrated.sqlite3"
        migrated = run_manage(
            demo_dir, "migrate", "--no-input", env={**env, "DATABASE_URL": f"sqlite:///{migrated_path}"}
        )
        if migrated.returncode:
            raise RuntimeError(f"migrate failed:\n{migrated.stderr}")
        whole = Path(scratch) / "whole.sqlite3"
        copy_sqlite(migrated_path, whole)
        os.replace(whole, template)  # atomic: a parallel run sees no template or a whole one
    return template


def migrate_sqlite(demo_dir, database_path, env):
    """Give ``database_path`` the demo's migrated schema and data, copied from a template."""
    copy_sqlite(migrated_template(Path(demo_dir), env), database_path)


def sqlite_path(database_url):
    """The file of a ``sqlite:///`` URL, or None for any other database."""
    path = Path(database_url.removeprefix("sqlite:///")) if database_url.startswith("sqlite:///") else None
    return path if path is not None and path.is_absolute() else None  # relative: to which folder?


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
        database_file = sqlite_path(full_env["DATABASE_URL"])
        if database_file is not None and not database_file.exists():  # a new SQLite database
            migrate_sqlite(demo_dir, database_file, full_env)
        else:  # PostgreSQL, or a database served before (a restart): migrate as an operator does
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
        log_path = Path(tmp) / "server.log"
        with open(log_path, "wb") as log:
            process, port = start_server(server, workers, demo_dir, {**os.environ, **full_env}, log)
            try:
                yield ServedDemo(f"http://127.0.0.1:{port}", full_env, log_path, demo_dir)
            finally:
                stop(process)


def start_server(server, workers, demo_dir, env, log, attempts=3):
    """The server process, listening on a free port: (process, port)."""
    for attempt in range(attempts):
        port = free_port()
        command = server_command(server, port, workers)
        if forkserver.can_fork(command, env):  # a fork of an interpreter that imported Django already
            process = forkserver.start(command, cwd=demo_dir, env=env, log=log.name)
        else:
            process = subprocess.Popen(command, cwd=demo_dir, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_for_port(port, process)
            return process, port
        except PortTaken:
            stop(process)
            if attempt == attempts - 1:
                raise
        except BaseException:
            stop(process)
            raise


def stop(process):
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
