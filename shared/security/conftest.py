"""Fixtures of the security suite: demos served once per session, PostgreSQL databases.

Run from the repository root: ``pytest shared/security`` (the demos are child processes,
each with its own settings; this process never configures Django).
"""

from contextlib import ExitStack

import pytest

from demo_harness import unavailable
from demo_harness.services import postgres_reachable, scratch_postgres_database

from .support import NO_THROTTLE, serve


def pytest_configure(config):
    config.addinivalue_line("markers", "load: the load test (figures in bench-results/security-load.json)")


@pytest.fixture(scope="session")
def server():
    """``server(name)``: the demo in production mode (DEBUG off, a random secret key from
    the environment) behind gunicorn with 2 workers, login throttles out of the way;
    started on first use and shared by the whole session (attacks, then load)."""
    stack = ExitStack()
    started = {}

    def get(name):
        if name not in started:
            started[name] = stack.enter_context(serve(name, production=True, env=NO_THROTTLE, workers=2))
        return started[name]

    with stack:
        yield get


# The login rate the throttle tests set through each demo's LOGIN_THROTTLE_RATE.
LOGIN_LIMIT = 3
# Demos whose throttle cache every server process shares (a database table).
SHARED_THROTTLE_CACHE = ("jwt_demo", "chat_demo")


@pytest.fixture(scope="session")
def production_server():
    """``production_server(name)``: the demo in production mode (random secret key from
    the environment, DEBUG off) behind gunicorn, with LOGIN_THROTTLE_RATE=3/minute.
    Throttle counts live in the cache: jwt_demo's and chat_demo's is the database (shared
    by workers, so two workers); the others use a per-process LocMemCache (tokenauth_demo
    documents it), where each worker would count alone, so one worker."""
    stack = ExitStack()
    started = {}

    def get(name):
        if name not in started:
            env = {"LOGIN_THROTTLE_RATE": f"{LOGIN_LIMIT}/minute"}
            workers = 2 if name in SHARED_THROTTLE_CACHE else 1
            started[name] = stack.enter_context(serve(name, production=True, env=env, workers=workers))
        return started[name]

    with stack:
        yield get


@pytest.fixture
def postgres_database():
    """A fresh PostgreSQL database URL; skips locally, fails in CI, without a server."""
    if not postgres_reachable():
        unavailable("needs PostgreSQL at POSTGRES_URL (default postgres://postgres@127.0.0.1:5432)")
    with scratch_postgres_database("sec") as url:
        yield url
