"""Small helpers for the tests that wait on a worker process."""

import time


def wait_until(condition, timeout=30, interval=0.05, message="condition"):
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {message}")
        time.sleep(interval)
    return result
