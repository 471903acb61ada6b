"""Requests released at the same instant, for the race tests against a served demo."""

import threading
from concurrent.futures import ThreadPoolExecutor


def all_at_once(calls):
    """Run each zero-argument callable in ``calls`` on a thread of its own, all released
    together by a barrier; their results, in order."""
    barrier = threading.Barrier(len(calls))

    def one(call):
        barrier.wait()
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(one, calls))


def assert_no_server_error(statuses, served):
    """No answer was a 5xx, and SQLite never gave up on its write lock in the server's log."""
    assert all(status < 500 for status in statuses), statuses
    assert "database is locked" not in served.log_text()
