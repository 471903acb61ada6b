"""Bodies and query strings Django refuses are JSON errors from the API, never HTML or a 500
(config/plumbing/exceptions.py; the checks are the harness's, the same in every demo).
allauth's headless API has its own guard: tests/test_limits.py."""

from demo_harness.limits import RequestLimitsContract


class TestRequestLimits(RequestLimitsContract):
    write_url = "/api/auth/logout/"
    read_url = "/api/me/"
