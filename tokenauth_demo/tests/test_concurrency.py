"""Every write endpoint under parallel requests, over a real multi-process server
(gunicorn, 3 workers) on a file SQLite database: the right single winner, never a 5xx.

SQLite has one writer at a time; the settings make writers queue (transaction_mode
IMMEDIATE, a busy timeout) instead of failing with "database is locked". Password hashing
(the slow part of sign-up) happens before the write transaction, not inside it.
"""

import json
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from demo_harness import serve_demo

PARALLEL = 10
# The throttles are tested elsewhere; here they would only get in the way.
GENEROUS = {"SIGNUP_THROTTLE_RATE": "1000/hour", "LOGIN_THROTTLE_RATE": "1000/minute"}


@pytest.fixture(scope="module")
def served(request):
    with serve_demo(request.config.rootpath, workers=3, env=GENEROUS) as served:
        yield served


def all_at_once(send):
    """Call ``send()`` from PARALLEL threads released together; [(status, body), ...]."""
    barrier = threading.Barrier(PARALLEL)

    def one(_):
        barrier.wait()
        return send()

    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        return list(pool.map(one, range(PARALLEL)))


def post(served, path, body=None, key=None):
    """POST JSON with the standard library (the demo's requirements hold no HTTP client);
    returns (status, text)."""
    headers = {"Content-Type": "application/json", **({"Authorization": f"Token {key}"} if key else {})}
    data = json.dumps(body or {}).encode()
    request = urllib.request.Request(f"{served.url}/demotoken/{path}", data=data, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (our own server)
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def assert_no_server_error(results, served):
    assert all(status < 500 for status, _ in results), results
    assert "database is locked" not in served.log_text()


def test_the_same_username_registered_ten_times_at_once(served, password):
    body = {"username": "twin", "password": password}

    results = all_at_once(lambda: post(served, "register/", body))

    assert_no_server_error(results, served)
    statuses = sorted(status for status, _ in results)
    assert statuses == [201] + [400] * (PARALLEL - 1), results
    assert all("username" in text for status, text in results if status == 400)


def test_parallel_logins_all_succeed_with_one_key(served, password):
    body = {"username": "lena", "password": password}
    key = json.loads(post(served, "register/", body)[1])["token"]
    assert post(served, "logout/", key=key)[0] == 204  # no token: the logins race to create it

    results = all_at_once(lambda: post(served, "login/", body))

    assert_no_server_error(results, served)
    assert [status for status, _ in results] == [200] * PARALLEL, results
    assert len({text for _, text in results}) == 1  # one {"token": key} for all


def test_parallel_logouts_with_one_key_have_one_winner(served, password):
    key = json.loads(post(served, "register/", {"username": "omar", "password": password})[1])["token"]

    results = all_at_once(lambda: post(served, "logout/", key=key))

    assert_no_server_error(results, served)
    statuses = sorted(status for status, _ in results)
    assert statuses == [204] + [401] * (PARALLEL - 1), results
