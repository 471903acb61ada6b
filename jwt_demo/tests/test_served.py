"""Against a real server: gunicorn, several worker processes, each with threads, on a
file database. Parallel requests, restarts and caches that forget, from outside.

The concurrency tests run on SQLite whatever the test database is: SQLite is where
parallel writers fail ("database is locked") unless transactions take the write lock
up front (config/settings.py). They need no test database: the server has its own.
"""

import quopri
import re
import secrets
from contextlib import contextmanager
from functools import partial
from pathlib import Path

import pytest
import requests
from django.db import connection

from demo_harness import serve_demo, unavailable
from demo_harness.concurrency import all_at_once
from demo_harness.services import postgres_reachable, scratch_postgres_database
from jwt_auth import pitfalls

PASSWORD = "a long served passphrase 42"
SCOPES = ("LOGIN", "PASSWORD", "SIGNUP", "LOGIN_ACCOUNT", "FORGOT_ACCOUNT")
UNTHROTTLED = {f"{scope}_THROTTLE_RATE": "100000/minute" for scope in SCOPES}
THREADED = {"GUNICORN_CMD_ARGS": "--threads 8", "JWT_SIGNING_KEY": "a-served-test-signing-key-" + "x" * 30}


@contextmanager
def served(demo_dir, database_url=None, **env):
    env = {**UNTHROTTLED, **THREADED, **env}
    with serve_demo(demo_dir, workers=2, database_url=database_url, env=env) as demo:
        yield demo


@pytest.fixture(scope="module")
def sqlite_server(request):
    with served(request.config.rootpath) as demo:
        yield demo


def in_parallel(count, send):
    """``send(n)`` for n in 0..count-1, all released together (the harness's all_at_once):
    the status codes, in order."""
    return [response.status_code for response in all_at_once([partial(send, n) for n in range(count)])]


def sign_up(demo, username=None, **fields):
    username = username or f"u{secrets.token_hex(4)}"
    body = {"username": username, "email": f"{username}@example.com", "password": PASSWORD, **fields}
    response = requests.post(demo.url + "/api/auth/signup/", json=body, timeout=30)
    assert response.status_code == 201, response.text
    return {"username": username, **response.json()}


def bearer(access):
    return {"Authorization": f"Bearer {access}"}


def assert_one_winner(statuses, winner, losers):
    assert not [s for s in statuses if s >= 500], statuses
    assert statuses.count(winner) == 1, statuses
    assert set(statuses) - {winner} <= set(losers), statuses


# --- pitfall 8: SQLite's default DEFERRED transactions ----------------------------------------
def refresh_burst(demo, count=10):
    refresh = sign_up(demo)["refresh"]
    return in_parallel(count, lambda n: requests.post(demo.url + "/api/token/refresh/", json={"refresh": refresh}))


def test_pitfall_8_sqlite_deferred_transactions_trap(demo_dir, tmp_path):
    Path(tmp_path, "deferred_settings.py").write_text(pitfalls.DEFERRED_SQLITE_SETTINGS)
    env = {"PYTHONPATH": str(tmp_path), "DJANGO_SETTINGS_MODULE": "deferred_settings"}
    with served(demo_dir, **env) as demo:
        bursts = [refresh_burst(demo) for _ in range(5)]
        log = demo.log_text()
    # Several refreshes read, then all try to write: the losers get a 500.
    assert any(status == 500 for burst in bursts for status in burst), bursts
    assert "database is locked" in log


def test_pitfall_8_sqlite_deferred_transactions_fix(sqlite_server):
    for _ in range(3):
        assert_one_winner(refresh_burst(sqlite_server), 200, {401})
    assert "database is locked" not in sqlite_server.log_text()


def test_pitfall_8_parallel_refreshes_never_meet_a_locked_database(sqlite_server):
    """Only the lock, whoever wins: how many refreshes succeed is pitfall 2's (one)."""
    bursts = [refresh_burst(sqlite_server) for _ in range(5)]
    assert not [status for burst in bursts for status in burst if status >= 500], bursts
    assert "database is locked" not in sqlite_server.log_text()


# --- pitfall 2 on PostgreSQL: parallel refreshes that overlap -----------------------------------
@pytest.fixture(scope="module")
def postgres_server(request):
    """The demo served on a scratch PostgreSQL database. On SQLite, IMMEDIATE transactions
    (pitfall 8) run parallel refreshes one after another, which hides a race between "is it
    blacklisted?" and "blacklist it"; PostgreSQL's READ COMMITTED transactions overlap."""
    if not postgres_reachable():
        unavailable("needs PostgreSQL at POSTGRES_URL (default postgres://postgres@127.0.0.1:5432)")
    with scratch_postgres_database("jwt_race") as database_url, served(request.config.rootpath, database_url) as demo:
        yield demo


def test_pitfall_2_parallel_refreshes_on_postgresql_one_winner(postgres_server):
    for _ in range(3):
        assert_one_winner(refresh_burst(postgres_server), 200, {401})


# --- every write endpoint, in parallel, on SQLite -----------------------------------------------
def test_parallel_sign_ups_with_one_username_one_201(sqlite_server):
    username = f"same{secrets.token_hex(3)}"
    url = sqlite_server.url + "/api/auth/signup/"

    def send(n):
        body = {"username": username, "email": f"{username}{n}@example.com", "password": PASSWORD}
        return requests.post(url, json=body, timeout=60)

    assert_one_winner(in_parallel(8, send), 201, {400})


def test_parallel_logins_all_succeed(sqlite_server):
    account = sign_up(sqlite_server)
    body = {"username": account["username"], "password": PASSWORD}
    statuses = in_parallel(8, lambda n: requests.post(sqlite_server.url + "/api/token/", json=body, timeout=60))
    assert statuses == [200] * 8


@pytest.fixture(scope="module")
def strict_server(request):
    """Five failed logins per account, five reset e-mails per mailbox (per address: unthrottled)."""
    rates = {"LOGIN_ACCOUNT_THROTTLE_RATE": "5/hour", "FORGOT_ACCOUNT_THROTTLE_RATE": "5/hour"}
    with served(request.config.rootpath, **rates) as demo:
        yield demo


@pytest.mark.parametrize(
    ("what", "path", "body", "answer"),
    [
        ("failed logins of one account", "/api/token/", {"username": "victim", "password": "guess"}, 401),
        ("reset e-mails to one mailbox", "/api/auth/password/forgot/", {"email": "victim@example.com"}, 202),
    ],
)
def test_a_parallel_burst_is_counted_exactly_by_the_throttle(strict_server, what, path, body, answer):
    # DRF's throttle reads its history, then writes it back: without a lock, twenty requests
    # released together all read "nothing yet", all pass, and most of their writes are lost.
    if path == "/api/token/":
        sign_up(strict_server, "victim")
    statuses = in_parallel(20, lambda n: requests.post(strict_server.url + path, json=body, timeout=60))
    assert sorted(statuses) == sorted([answer] * 5 + [429] * 15), what


def test_parallel_logouts_of_one_refresh_token_one_200(sqlite_server):
    refresh = sign_up(sqlite_server)["refresh"]
    url = sqlite_server.url + "/api/token/blacklist/"
    assert_one_winner(in_parallel(8, lambda n: requests.post(url, json={"refresh": refresh}, timeout=60)), 200, {401})


def test_parallel_password_changes_one_204(sqlite_server):
    account = sign_up(sqlite_server)
    url = sqlite_server.url + "/api/auth/password/change/"

    def send(n):
        body = {"old_password": PASSWORD, "new_password": f"new served passphrase {n} 43"}
        return requests.post(url, json=body, headers=bearer(account["access"]), timeout=60)

    # The losers: 400 (old password no longer right) or 401 (their token was revoked).
    assert_one_winner(in_parallel(8, send), 204, {400, 401})


def test_parallel_forgot_requests_all_202(sqlite_server):
    account = sign_up(sqlite_server)
    url = sqlite_server.url + "/api/auth/password/forgot/"
    body = {"email": f"{account['username']}@example.com"}
    assert in_parallel(8, lambda n: requests.post(url, json=body, timeout=60)) == [202] * 8


def mailed_text(log):
    """The console backend prints each message as it is sent; Django 6.1 sends a body with
    long lines as quoted-printable (``uid=3DMQ``, a trailing ``=`` joining two lines)."""
    if "Content-Transfer-Encoding: quoted-printable" in log:
        return quopri.decodestring(log.encode()).decode(errors="replace")
    return log


def test_parallel_resets_with_one_link_one_204(sqlite_server):
    account = sign_up(sqlite_server)
    email = f"{account['username']}@example.com"
    assert requests.post(sqlite_server.url + "/api/auth/password/forgot/", json={"email": email}).status_code == 202
    # DEBUG: the console e-mail backend prints the message into the server's log.
    uid, token = re.findall(r"\?uid=([\w-]+)&token=([\w-]+)", mailed_text(sqlite_server.log_text()))[-1]
    url = sqlite_server.url + "/api/auth/password/reset/"

    def send(n):
        return requests.post(url, json={"uid": uid, "token": token, "new_password": f"reset passphrase {n} 44"})

    assert_one_winner(in_parallel(8, send), 204, {400})


@pytest.mark.parametrize(("path", "field", "value"), [("email", "email", None), ("phone", "phone", "+14155550123")])
def test_parallel_contact_changes_to_one_value_one_200(sqlite_server, path, field, value):
    accounts = [sign_up(sqlite_server) for _ in range(6)]
    value = value or f"taken{secrets.token_hex(3)}@example.com"
    url = f"{sqlite_server.url}/api/auth/{path}/"

    def send(n):
        return requests.patch(url, json={field: value, "password": PASSWORD}, headers=bearer(accounts[n]["access"]))

    assert_one_winner(in_parallel(6, send), 200, {400})


# --- revocation survives a restart and caches that forget ----------------------------------------
@contextmanager
def server_database(tmp_path):
    """The restart test's own database, on the engine the suite runs on."""
    if connection.vendor == "postgresql":
        from demo_harness.services import scratch_postgres_database

        with scratch_postgres_database("jwt_restart") as url:
            yield url
    else:
        yield f"sqlite:///{tmp_path / 'restart.sqlite3'}"


def forget_every_cache(demo):
    code = "from django.core.cache import caches\nfor alias in caches: caches[alias].clear()"
    done = demo.manage("shell", "-c", code)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("cache", ["database", "redis"])
def test_a_logged_out_token_stays_refused_after_a_restart_and_a_cleared_cache(demo_dir, tmp_path, cache, request):
    env = {"REDIS_URL": request.getfixturevalue("redis_url") if cache == "redis" else ""}
    with server_database(tmp_path) as database_url:
        with served(demo_dir, database_url, **env) as demo:
            account = sign_up(demo)
            me = demo.url + "/api/auth/me/"
            assert requests.get(me, headers=bearer(account["access"])).status_code == 200  # mirrored "not revoked"
            assert requests.post(demo.url + "/api/token/blacklist/", json={"refresh": account["refresh"]}).ok
            # At once, whichever of the two workers answers (the default settings: no window).
            assert [requests.get(me, headers=bearer(account["access"])).status_code for _ in range(10)] == [401] * 10
        forget_every_cache(demo)
        with served(demo_dir, database_url, **env) as restarted:
            response = requests.get(restarted.url + "/api/auth/me/", headers=bearer(account["access"]))
            assert response.status_code == 401, response.text
