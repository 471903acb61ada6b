"""Start a real ``manage.py process_tasks`` child process on this process's database."""

import os
import signal
import subprocess
import sys
from urllib.parse import quote

from django.conf import settings
from django.db import connection


def database_url():
    """A DATABASE_URL for the database this process uses right now (during tests: the
    test database), so a child process works on the same data."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        name = str(db["NAME"])
        if name == ":memory:" or name.startswith("file:"):
            raise RuntimeError("An in-memory SQLite database cannot be shared with a worker process.")
        return f"sqlite:///{name}"
    if connection.vendor == "postgresql":
        auth = quote(db["USER"] or "", safe="")
        if db["PASSWORD"]:
            auth += ":" + quote(db["PASSWORD"], safe="")
        host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        return f"postgres://{auth}@{host}/{quote(db['NAME'], safe='')}"
    raise RuntimeError(f"No DATABASE_URL for the {connection.vendor} backend.")


def start_worker(*args, env=None, output=subprocess.DEVNULL, command="process_tasks"):
    """``manage.py process_tasks ARGS`` in a child process; returns the Popen."""
    child_env = {**os.environ, "DATABASE_URL": database_url(), **(env or {})}
    return subprocess.Popen(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, str(settings.BASE_DIR / "manage.py"), command, *args],
        cwd=settings.BASE_DIR,
        env=child_env,
        stdout=output,
        stderr=subprocess.STDOUT if output is not subprocess.DEVNULL else subprocess.DEVNULL,
    )


def stop_worker(process, timeout=10):
    """Ask for the library's graceful stop (SIGTSTP: finish the current task, then exit)."""
    if process.poll() is None:
        process.send_signal(signal.SIGTSTP)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.returncode
