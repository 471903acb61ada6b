"""Pitfall 1: the revocation list is shared by every server process.

A revocation made in a child process (``manage.py logout_user``, a separate Python
with its own Django) must be honoured by this process. Both processes use the same
database (the test database, a file for SQLite) and the same cache backend.
"""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)


def database_url():
    """The test database, as a DATABASE_URL the child process can use."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def test_revocation_in_another_process_is_honoured_database_cache(database_cache, user, login, me, manage_py):
    pair = login(username="alice")
    assert me(pair["access"]).status_code == 200
    child = manage_py("logout_user", "alice", env={"DATABASE_URL": database_url(), "REDIS_URL": ""})
    assert child.returncode == 0, child.stderr
    assert "1 refresh token(s) blacklisted" in child.stdout
    assert me(pair["access"]).status_code == 401


@pytest.mark.redis
def test_revocation_in_another_process_is_honoured_redis(user, login, me, manage_py, settings, redis_url, redis_caches):
    settings.CACHES = redis_caches(redis_url)
    settings.JWT_REVOCATION_CACHE = "default"
    pair = login(username="alice")
    assert me(pair["access"]).status_code == 200
    child = manage_py("logout_user", "alice", env={"DATABASE_URL": database_url(), "REDIS_URL": redis_url})
    assert child.returncode == 0, child.stderr
    assert me(pair["access"]).status_code == 401


def test_logout_user_command_rejects_unknown_users(db):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError):
        call_command("logout_user", "nobody")
