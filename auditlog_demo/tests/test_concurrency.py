"""Writers at once, over a real multi-process server (gunicorn, 3 workers) on a file
SQLite database: a second writer waits for the lock instead of answering 500
"database is locked", and every API hit is recorded.

SQLite has one writer at a time. config/settings.py makes each write transaction take
the lock up front (transaction_mode IMMEDIATE) and wait for it (timeout); notes carry
at most 20 tags, so no single request holds the lock for long.
"""

import json
import sqlite3
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest

from demo_harness import serve_demo

PARALLEL = 10
PASSWORD = "a long passphrase 42"  # ann's and bob's, created in the served demo's shell
CREATE_USERS = (
    "from accounts.models import User\n"
    f"for name in ('ann', 'bob'): User.objects.create_user(name, f'{{name}}@example.com', {PASSWORD!r})\n"
)
COUNT_HITS = "from hits.models import ApiHit; print(ApiHit.objects.count())"


@pytest.fixture(scope="module")
def served(request):
    env = {"LOGIN_THROTTLE_RATE": "1000/minute"}
    with serve_demo(request.config.rootpath, workers=3, env=env, prepare=[("shell", "-c", CREATE_USERS)]) as served:
        yield served


@dataclass
class Reply:
    status_code: int
    text: str

    def json(self):
        return json.loads(self.text)


def call(method, url, body=None, headers=None):
    """One JSON request with the standard library (the demo's requirements hold no HTTP client)."""
    data = None if body is None else json.dumps(body).encode()
    headers = {"Content-Type": "application/json", **(headers or {})}
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (our own server)
            return Reply(response.status, response.read().decode())
    except urllib.error.HTTPError as error:
        return Reply(error.code, error.read().decode())


def hit_count(served):
    done = served.manage("shell", "-c", COUNT_HITS)
    assert done.returncode == 0, done.stderr
    return int(done.stdout.split()[-1])


def bearer(served, username):
    response = call("POST", f"{served.url}/api/token/", {"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access']}"}


def all_at_once(calls):
    """Run the zero-argument ``calls`` from one thread each, released together."""
    barrier = threading.Barrier(len(calls))

    def one(call):
        barrier.wait()
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(one, calls))


def assert_no_server_error(responses, served):
    assert all(r.status_code < 500 for r in responses), [(r.status_code, r.text[:200]) for r in responses]
    assert "database is locked" not in served.log_text()


def test_two_users_writing_at_once_all_succeed_and_every_hit_is_recorded(served):
    before = hit_count(served)
    auth = {name: bearer(served, name) for name in ("ann", "bob")}
    tags = [f"tag-{n:02}" for n in range(20)]  # the most a note may carry

    def create(name, n):
        body = {"title": f"{name} {n}", "tags": tags}
        return lambda: call("POST", f"{served.url}/api/notes/", body, auth[name])

    responses = all_at_once([create(("ann", "bob")[n % 2], n) for n in range(PARALLEL)])

    assert_no_server_error(responses, served)
    assert [r.status_code for r in responses] == [201] * PARALLEL
    assert hit_count(served) - before == PARALLEL + 2  # the two logins, then every write


def test_parallel_edits_of_one_note_all_succeed(served):
    auth = bearer(served, "ann")
    note = call("POST", f"{served.url}/api/notes/", {"title": "shared"}, auth).json()
    url = f"{served.url}/api/notes/{note['id']}/"

    def edit(n):
        return lambda: call("PATCH", url, {"title": f"edit {n}", "tags": [f"e{n}"]}, auth)

    responses = all_at_once([edit(n) for n in range(PARALLEL)])

    assert_no_server_error(responses, served)
    assert [r.status_code for r in responses] == [200] * PARALLEL
    final = call("GET", url, headers=auth).json()
    assert final["tags"] == [f"e{final['title'].split()[-1]}"]  # one edit won, whole: title and tags together


def test_a_writer_waits_for_a_lock_held_elsewhere(served):
    # Another process holds SQLite's write lock (a long transaction); the request must
    # queue behind it and succeed, not answer 500, and its hit must still be written.
    auth = bearer(served, "bob")
    before = hit_count(served)
    holder = sqlite3.connect(served.env["DATABASE_URL"].removeprefix("sqlite:///"), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(call, "POST", f"{served.url}/api/notes/", {"title": "queued"}, auth)
        time.sleep(2)  # the request is now waiting for the lock
        assert not pending.done()
        holder.execute("COMMIT")
        response = pending.result()
    holder.close()

    assert response.status_code == 201, response.text
    assert hit_count(served) - before == 1
