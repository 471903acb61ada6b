"""Tests that need a real PostgreSQL or Redis server.

Locally a missing service skips the test with the reason; with ``CI`` set it fails,
so a green CI run proves the service-backed tests really ran.
"""

import os
import secrets
import socket
from contextlib import contextmanager
from urllib.parse import urlparse

import pytest

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
# The PostgreSQL server (no database name) for scratch databases; trust auth on these machines.
POSTGRES_URL = os.environ.get("POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")


def in_ci():
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def unavailable(reason):
    """Skip locally, fail in CI."""
    if in_ci():
        pytest.fail(f"{reason} (CI is set, so this is a failure, not a skip)", pytrace=False)
    pytest.skip(reason)


def redis_url():
    return os.environ.get("REDIS_URL", DEFAULT_REDIS_URL)


def tcp_reachable(url, default_port, timeout=1.0):
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout):
            return True
    except OSError:
        return False


def require_redis():
    """Return the Redis URL, or skip/fail when no server answers there."""
    url = redis_url()
    if not tcp_reachable(url, 6379):
        unavailable(f"needs a Redis server at {url} (set REDIS_URL)")
    return url


def require_postgres():
    """Skip/fail unless the Django default database is PostgreSQL.

    PostgreSQL-only tests (row locks, concurrent transactions) run in the
    ``tests_postgres`` nox session, which points DATABASE_URL at the server and sets
    DEMOS_EXPECT_POSTGRES=1. There, or in CI with that flag, a non-PostgreSQL
    database is a failure; in an ordinary SQLite run the test is skipped.
    """
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    reason = "PostgreSQL-only test: run `nox -s tests_postgres` (DATABASE_URL=postgres://...)"
    if os.environ.get("DEMOS_EXPECT_POSTGRES"):
        pytest.fail(f"{reason}; DEMOS_EXPECT_POSTGRES is set but the database is {connection.vendor}")
    pytest.skip(reason)


def postgres_reachable():
    return tcp_reachable(POSTGRES_URL, 5432)


@contextmanager
def scratch_postgres_database(prefix="scratch"):
    """A new, empty database ``<prefix>_<random>`` on POSTGRES_URL, dropped afterwards;
    yields its URL (for DATABASE_URL)."""
    import psycopg

    name = f"{prefix}_{secrets.token_hex(6)}"
    admin = f"{POSTGRES_URL}/postgres"
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{POSTGRES_URL}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
