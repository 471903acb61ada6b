"""Pitfall 1: the revocation list is shared by every server process.

A revocation made in a child process (``manage.py logout_user``, a separate Python
with its own Django) must be honoured by this process. Both processes use the same
database (the test database, a file for SQLite) and the same cache backend. This process
reads its mirror: it sees the child's rows at its next sync, JWT_REVOCATION_SYNC_SECONDS
at most after its last one (the staleness window), or at once with the version key (Redis).
"""

import time

import pytest
from django.db import connection

from jwt_auth import revocation

pytestmark = pytest.mark.django_db(transaction=True)


def database_url():
    """The test database, as a DATABASE_URL the child process can use."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_out_the_sync_interval(settings):
    time.sleep(max(0.0, settings.JWT_REVOCATION_SYNC_SECONDS - revocation.mirror.age()))


def test_revocation_in_another_process_is_honoured_database_cache(database_cache, user, login, me, manage_py, settings):
    pair = login(username="alice")
    assert me(pair["access"]).status_code == 200
    child = manage_py("logout_user", "alice", env={"DATABASE_URL": database_url(), "REDIS_URL": ""})
    assert child.returncode == 0, child.stderr
    assert "1 refresh token(s) blacklisted" in child.stdout
    wait_out_the_sync_interval(settings)  # (the child took longer than that already)
    assert me(pair["access"]).status_code == 401


def test_revocation_in_another_process_is_seen_within_the_sync_interval(
    database_cache, user, login, me, manage_py, settings
):
    settings.JWT_REVOCATION_SYNC_SECONDS = 3600  # a window long enough to look into
    pair = login(username="alice")
    assert me(pair["access"]).status_code == 200
    child = manage_py("logout_user", "alice", env={"DATABASE_URL": database_url(), "REDIS_URL": ""})
    assert child.returncode == 0, child.stderr
    # The trade-off: until this process syncs, its mirror has not heard of the logout.
    assert me(pair["access"]).status_code == 200
    revocation.mirror.synced_at -= 3600  # the interval has passed
    assert me(pair["access"]).status_code == 401


def test_a_user_deactivated_in_another_process_is_refused_after_the_sync_interval(
    database_cache, user, login, me, manage_py, settings
):
    pair = login(username="alice")
    assert me(pair["access"]).status_code == 200
    deactivate = "from accounts.models import User; alice = User.objects.get(username='alice'); "
    deactivate += "alice.is_active = False; alice.save()"
    child = manage_py("shell", "-c", deactivate, env={"DATABASE_URL": database_url(), "REDIS_URL": ""})
    assert child.returncode == 0, child.stderr
    wait_out_the_sync_interval(settings)
    assert me(pair["access"]).status_code == 401


@pytest.mark.redis
def test_revocation_in_another_process_is_honoured_redis(user, login, me, manage_py, settings, redis_url, redis_caches):
    settings.CACHES = redis_caches(redis_url)
    settings.JWT_REVOCATION_CACHE = "default"
    settings.JWT_REVOCATION_SYNC_SECONDS = 3600  # so that only the child's new version can make this one sync
    pair = login(username="alice")
    assert me(pair["access"]).status_code == 200
    env = {"DATABASE_URL": database_url(), "REDIS_URL": redis_url, "JWT_REVOCATION_CACHE": "default"}
    child = manage_py("logout_user", "alice", env=env)
    assert child.returncode == 0, child.stderr
    assert me(pair["access"]).status_code == 401  # at once: no interval waited


def test_logout_user_command_rejects_unknown_users(db):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError):
        call_command("logout_user", "nobody")
