"""Writers at once, over a real multi-process server (gunicorn, 3 workers) on a file
SQLite database: a second writer waits for the lock instead of answering 500
"database is locked", and every API hit is recorded.

SQLite has one writer at a time. config/settings.py makes each write transaction take
the lock up front (transaction_mode IMMEDIATE) and wait for it (timeout); notes carry
at most 20 tags, so no single request holds the lock for long.
"""

import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from demo_harness import serve_demo
from demo_harness.concurrency import all_at_once, assert_no_server_error

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


def hit_count(served):
    done = served.manage("shell", "-c", COUNT_HITS)
    assert done.returncode == 0, done.stderr
    return int(done.stdout.split()[-1])


def bearer(served, username):
    body = {"username": username, "password": PASSWORD}
    response = requests.post(f"{served.url}/api/token/", json=body, timeout=60)
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access']}"}


def test_two_users_writing_at_once_all_succeed_and_every_hit_is_recorded(served):
    before = hit_count(served)
    auth = {name: bearer(served, name) for name in ("ann", "bob")}
    tags = [f"tag-{n:02}" for n in range(20)]  # the most a note may carry

    def create(name, n):
        body = {"title": f"{name} {n}", "tags": tags}
        return lambda: requests.post(f"{served.url}/api/notes/", json=body, headers=auth[name], timeout=60)

    responses = all_at_once([create(("ann", "bob")[n % 2], n) for n in range(PARALLEL)])

    assert_no_server_error([r.status_code for r in responses], served)
    assert [r.status_code for r in responses] == [201] * PARALLEL
    assert hit_count(served) - before == PARALLEL + 2  # the two logins, then every write


def test_parallel_edits_of_one_note_all_succeed(served):
    auth = bearer(served, "ann")
    note = requests.post(f"{served.url}/api/notes/", json={"title": "shared"}, headers=auth, timeout=60).json()
    url = f"{served.url}/api/notes/{note['id']}/"

    def edit(n):
        return lambda: requests.patch(url, json={"title": f"edit {n}", "tags": [f"e{n}"]}, headers=auth, timeout=60)

    responses = all_at_once([edit(n) for n in range(PARALLEL)])

    assert_no_server_error([r.status_code for r in responses], served)
    assert [r.status_code for r in responses] == [200] * PARALLEL
    final = requests.get(url, headers=auth, timeout=60).json()
    assert final["tags"] == [f"e{final['title'].split()[-1]}"]  # one edit won, whole: title and tags together


def test_a_writer_waits_for_a_lock_held_elsewhere(served):
    # Another process holds SQLite's write lock (a long transaction); the request must
    # queue behind it and succeed, not answer 500, and its hit must still be written.
    auth = bearer(served, "bob")
    before = hit_count(served)
    holder = sqlite3.connect(served.env["DATABASE_URL"].removeprefix("sqlite:///"), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    with ThreadPoolExecutor(max_workers=1) as pool:
        queued = {"title": "queued"}
        pending = pool.submit(requests.post, f"{served.url}/api/notes/", json=queued, headers=auth, timeout=60)
        time.sleep(2)  # the request is now waiting for the lock
        assert not pending.done()
        holder.execute("COMMIT")
        response = pending.result()
    holder.close()

    assert response.status_code == 201, response.text
    assert hit_count(served) - before == 1


def test_the_login_throttle_counts_across_every_worker_process(demo_dir):
    """gunicorn runs several worker processes. With the plumbing's LocMemCache (one per
    process) each worker kept its own count: 12 guesses at 3/minute on 4 workers got 401
    up to ten times. The count lives in the database (config/settings.py)."""
    with serve_demo(demo_dir, workers=4, env={"LOGIN_THROTTLE_RATE": "3/minute"}) as served:
        guesses = [
            requests.post(served.url + "/api/token/", json={"username": "nobody", "password": f"guess {n}"}, timeout=30)
            for n in range(12)
        ]
    assert [response.status_code for response in guesses] == [401] * 3 + [429] * 9
