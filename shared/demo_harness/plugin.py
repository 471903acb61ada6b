"""The pytest plugin: fixtures every demo's tests use.

Registered through the ``pytest11`` entry point in ``shared/pyproject.toml``.
"""

import itertools
import os

import pytest

from . import forkserver, sqlite_file
from .hashing import FAST_TEST_HASHERS
from .manage import production_env, run_deploy_check, run_manage
from .queries import count_queries as _count_queries
from .recorder import SignalRecorder
from .services import require_postgres, require_redis

# The demo's settings plus the fast hasher, for the Django processes the tests start.
CHILD_SETTINGS = "demo_harness.child_settings"
DEMO_SETTINGS = "config.settings"  # every demo's settings module (the demo template)

# The password every user made by ``user_factory`` has; tests ask for the ``password`` fixture.
DEFAULT_PASSWORD = "correct horse battery"

_usernames = itertools.count(1)


def pytest_addoption(parser):
    parser.addini(
        "sqlite_test_database",
        "'memory' (pytest-django's default) or 'file': a file that a child process "
        "(manage.py, a worker, a served demo) can open too",
        default="memory",
    )


def pytest_configure(config):
    config.addinivalue_line("markers", "postgres: needs the default database to be PostgreSQL")
    config.addinivalue_line("markers", "redis: needs a Redis server at REDIS_URL")
    # Registered now, after pytest-django, so that its django_db_modify_db_settings wins.
    config.pluginmanager.register(sqlite_file, "demo_harness.sqlite_file")


@pytest.hookimpl(trylast=True)
def pytest_sessionstart(session):
    # Runs after pytest-django has configured Django, before any test hashes a password.
    try:
        from django.conf import settings
    except ImportError:  # pragma: no cover - the plugin only makes sense with Django
        return
    if settings.configured:
        settings.PASSWORD_HASHERS = FAST_TEST_HASHERS
        if settings.SETTINGS_MODULE == DEMO_SETTINGS:
            # Inherited by every child process (servers, manage.py, workers, tours): the
            # same fast hasher there. Django in this process is configured already.
            os.environ["DJANGO_SETTINGS_MODULE"] = CHILD_SETTINGS
            # Its manage.py commands and servers forked from a warm interpreter (forkserver.py);
            # the bench and the black-box sessions time servers started as an operator starts them.
            os.environ.setdefault(forkserver.SWITCH, "1")


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres"):
        require_postgres()
    if item.get_closest_marker("redis"):
        require_redis()


@pytest.fixture
def api_client():
    """A DRF ``APIClient`` (JSON by default, see each demo's REST_FRAMEWORK settings)."""
    from rest_framework.test import APIClient

    return APIClient()


def create_user(username, password=DEFAULT_PASSWORD, **fields):
    """``create_user`` on the project's user model, filling ``email`` when the model has
    one, so custom user models with a required unique email work unchanged."""
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    if "email" in {f.name for f in user_model._meta.get_fields()}:
        fields.setdefault("email", f"{username}@example.com")
    return user_model.objects.create_user(username=username, password=password, **fields)


@pytest.fixture
def user_factory(db):
    """``user_factory(username=None, password=DEFAULT_PASSWORD, **fields)``."""

    def make(username=None, password=DEFAULT_PASSWORD, **fields):
        return create_user(username or f"user{next(_usernames)}", password, **fields)

    return make


@pytest.fixture
def user(user_factory):
    return user_factory(username="alice")


@pytest.fixture
def password():
    """The password of every user ``user_factory`` (and ``user``) made."""
    return DEFAULT_PASSWORD


@pytest.fixture
def fresh_caches(request):
    """Every cache in settings.CACHES empty before and after the test: a throttle's counts
    or a cached revocation must not leak from one test into the next.

    A demo turns it on for every test with ``usefixtures = fresh_caches`` in pytest.ini.
    A database cache is cleared only in tests that may use the database.
    """
    from django.conf import settings
    from django.core.cache import caches

    may_use_database = request.node.get_closest_marker("django_db") is not None
    if may_use_database:
        request.getfixturevalue("_django_db_helper")  # database access first
    cleared = [
        caches[alias]
        for alias, config in settings.CACHES.items()
        if may_use_database or not config["BACKEND"].endswith("DatabaseCache")
    ]
    for cache in cleared:
        cache.clear()
    yield
    for cache in cleared:
        cache.clear()


@pytest.fixture
def throttle_rates(settings):
    """``throttle_rates(login="3/minute")``: these throttle rates for one test, the others
    as configured. Throttles that read DRF's api_settings per request honour it."""

    def set_rates(**rates):
        rest = settings.REST_FRAMEWORK
        settings.REST_FRAMEWORK = {**rest, "DEFAULT_THROTTLE_RATES": {**rest["DEFAULT_THROTTLE_RATES"], **rates}}

    return set_rates


@pytest.fixture
def signal_recorder():
    """``with signal_recorder(post_save, ...) as rec:`` records every send, in order."""
    return SignalRecorder


@pytest.fixture
def count_queries():
    """``with count_queries() as q:`` then ``q.count`` and ``q.sql``."""
    return _count_queries


@pytest.fixture
def postgres(db):
    """Skip locally / fail in CI unless the default database is PostgreSQL."""
    require_postgres()


@pytest.fixture
def redis_url():
    """The Redis URL (``REDIS_URL``); skip locally / fail in CI when no server answers."""
    return require_redis()


@pytest.fixture
def demo_dir(request):
    """The demo folder under test: pytest's rootdir (the folder holding pytest.ini)."""
    return request.config.rootpath


@pytest.fixture
def manage_py(demo_dir, tmp_path):
    """``manage_py("tour")`` runs the demo's manage.py in a child process, on a fresh
    SQLite file by default; pass ``env={...}`` to add or override variables."""

    def run(*args, env=None, timeout=120):
        base = {"DATABASE_URL": f"sqlite:///{tmp_path / 'child.sqlite3'}"}
        return run_manage(demo_dir, *args, env={**base, **(env or {})}, timeout=timeout)

    return run


@pytest.fixture
def deploy_check(demo_dir, tmp_path):
    """Run ``check --deploy --fail-level WARNING`` in production mode; returns the result."""

    def run(**extra_env):
        return run_deploy_check(demo_dir, f"sqlite:///{tmp_path / 'deploy.sqlite3'}", **extra_env)

    return run


@pytest.fixture
def production_environment(tmp_path):
    """The environment variables production mode needs (random secret key)."""
    return production_env(f"sqlite:///{tmp_path / 'prod.sqlite3'}")


@pytest.fixture(scope="module")
def openapi_schema(tmp_path_factory):
    """The demo's OpenAPI schema, generated with --validate --fail-on-warn (see openapi.py)."""
    from .openapi import generate_schema

    return generate_schema(tmp_path_factory.mktemp("openapi") / "openapi.json")
