"""Every write endpoint under parallel requests, over a real multi-process server
(gunicorn, 3 workers) on a file SQLite database: the right single winner, never a 5xx.

SQLite has one writer at a time; the settings make writers queue (transaction_mode
IMMEDIATE, a busy timeout) instead of failing with "database is locked". Password hashing
(the slow part of sign-up) happens before the write transaction, not inside it.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from demo_harness import serve_demo

from .conftest import PASSWORD

PARALLEL = 10
# The throttles are tested elsewhere; here they would only get in the way.
GENEROUS = {"REGISTER_THROTTLE_RATE": "1000/hour", "LOGIN_THROTTLE_RATE": "1000/minute"}


@pytest.fixture(scope="module")
def served(request):
    with serve_demo(request.config.rootpath, workers=3, env=GENEROUS) as served:
        yield served


def all_at_once(send):
    """Call ``send()`` from PARALLEL threads released together; [(status, body), ...]."""
    barrier = threading.Barrier(PARALLEL)

    def one(_):
        barrier.wait()
        response = send()
        return response.status_code, response.text

    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        return list(pool.map(one, range(PARALLEL)))


def post(served, path, json=None, key=None):
    headers = {"Authorization": f"Token {key}"} if key else {}
    return requests.post(f"{served.url}/demotoken/{path}", json=json, headers=headers, timeout=60)


def assert_no_server_error(results, served):
    assert all(status < 500 for status, _ in results), results
    assert "database is locked" not in served.log_text()


def test_the_same_username_registered_ten_times_at_once(served):
    body = {"username": "twin", "password": PASSWORD}

    results = all_at_once(lambda: post(served, "register/", body))

    assert_no_server_error(results, served)
    statuses = sorted(status for status, _ in results)
    assert statuses == [201] + [400] * (PARALLEL - 1), results
    assert all("username" in text for status, text in results if status == 400)


def test_parallel_logins_all_succeed_with_one_key(served):
    body = {"username": "lena", "password": PASSWORD}
    key = post(served, "register/", body).json()["token"]
    assert post(served, "logout/", key=key).status_code == 204  # no token: the logins race to create it

    results = all_at_once(lambda: post(served, "login/", body))

    assert_no_server_error(results, served)
    assert [status for status, _ in results] == [200] * PARALLEL, results
    assert len({text for _, text in results}) == 1  # one {"token": key} for all


def test_parallel_logouts_with_one_key_have_one_winner(served):
    key = post(served, "register/", {"username": "omar", "password": PASSWORD}).json()["token"]

    results = all_at_once(lambda: post(served, "logout/", key=key))

    assert_no_server_error(results, served)
    statuses = sorted(status for status, _ in results)
    assert statuses == [204] + [401] * (PARALLEL - 1), results
