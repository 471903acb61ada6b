"""Bodies and query strings Django refuses are JSON errors from the API, never HTML or a 500
(config/plumbing/exceptions.py; the checks are the harness's, the same in every demo)."""

import pytest

from demo_harness.limits import RequestLimitsContract


class TestRequestLimits(RequestLimitsContract):
    write_url = "/demotoken/register/"
    read_url = "/demotoken/secure/"

    @pytest.fixture
    def limits_client(self, token_client):
        return token_client
