"""Start a real worker child process (of any engine) on this process's database."""

import os
import signal
import subprocess
import sys
import uuid
from urllib.parse import quote

from django.conf import settings
from django.db import connection

# One worker process per engine, polling every 0.1 s when idle (tours, tests, benchmark).
WORKER_COMMANDS = {
    "background_task": ["manage.py", "process_tasks", "--sleep", "0.1"],
    "django_tasks": ["manage.py", "db_worker", "--interval", "0.1", "--no-reload", "--no-startup-delay"],
    # --pool solo: the tasks run in the worker process itself, one at a time, like the
    # other two; mingle/gossip/heartbeat only talk to other workers, and slow the start.
    "celery": ["-m", "celery", "-A", "config", "worker", "--pool", "solo", "--loglevel", "INFO"]
    + ["--without-mingle", "--without-gossip", "--without-heartbeat"],
}
# The graceful stop of each: finish the running task, then exit.
STOP_SIGNALS = {"background_task": signal.SIGTSTP, "django_tasks": signal.SIGTERM, "celery": signal.SIGTERM}


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
    return _spawn(["manage.py", command, *args], env, output)


def start_engine_worker(engine, env=None, output=subprocess.DEVNULL):
    """The worker of ``engine`` (WORKER_COMMANDS) in a child process; returns the Popen.
    For Celery it shares this process's Redis key prefix (``private_celery_prefix``)."""
    if engine == "celery":
        env = {"CELERY_KEY_PREFIX": private_celery_prefix(), **(env or {})}
    return _spawn(WORKER_COMMANDS[engine], {"TASKS_ENGINE": engine, **(env or {})}, output)


def _spawn(argv, env, output):
    child_env = {**os.environ, "DATABASE_URL": database_url(), **(env or {})}
    if argv[0] == "manage.py":
        argv = [str(settings.BASE_DIR / "manage.py"), *argv[1:]]
    return subprocess.Popen(  # noqa: S603 - our own commands, fixed arguments
        [sys.executable, *argv],
        cwd=settings.BASE_DIR,
        env=child_env,
        stdout=output,
        stderr=subprocess.STDOUT if output is not subprocess.DEVNULL else subprocess.DEVNULL,
    )


def stop_worker(process, timeout=10, engine="background_task"):
    """Ask for the engine's graceful stop (STOP_SIGNALS: finish the current task, then exit)."""
    if process.poll() is None:
        process.send_signal(STOP_SIGNALS[engine])
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.returncode


def private_celery_prefix():
    """This process's Redis key prefix, chosen once: a fresh one unless CELERY_KEY_PREFIX
    set one. A tour, a benchmark or a test run then shares the Redis server with anyone
    without touching their queues and results. Call it before the first message is sent:
    Celery reads its transport options when it opens its first connection."""
    from config.celery import app

    prefix = app.conf.broker_transport_options.get("global_keyprefix")
    if not prefix:
        prefix = f"scheduler-demo-{uuid.uuid4().hex[:12]}:"
        app.conf.update(
            broker_transport_options={"global_keyprefix": prefix},
            result_backend_transport_options={"global_keyprefix": prefix},
        )
    return prefix


def delete_celery_keys():
    """Remove the Redis keys under this process's prefix: queues and results. Not the
    queue bindings (a few bytes): this process's producer remembers having declared
    them, and would not declare them again before sending."""
    import redis

    prefix = private_celery_prefix()
    client = redis.Redis.from_url(settings.REDIS_URL)
    keys = [key for key in client.scan_iter(match=f"{prefix}*", count=1000) if b"_kombu.binding." not in key]
    if keys:
        client.delete(*keys)
    client.close()
    return len(keys)
