"""Pitfall 2 for real: 20 parallel refreshes of one refresh token on PostgreSQL.

Each thread has its own database connection (Django connections are per thread) and
its own transaction; the harness's all_at_once releases them together. The unique BlacklistedToken
row decides: exactly one refresh succeeds, the 19 others get 401.
"""

import pytest
from django.db import connection
from rest_framework.test import APIClient
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from demo_harness.concurrency import all_at_once

PARALLEL = 20


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_pitfall_2_twenty_parallel_refreshes_exactly_one_succeeds(user, login):
    refresh = login(username="alice")["refresh"]

    def refresh_once():
        try:
            return APIClient().post("/api/token/refresh/", {"refresh": refresh}).status_code
        finally:
            connection.close()  # this thread's connection

    statuses = all_at_once([refresh_once] * PARALLEL)

    successes = statuses.count(200)
    print(f"\n{successes} of {PARALLEL} parallel refreshes succeeded; the others: {sorted(set(statuses) - {200})}")
    assert len(statuses) == PARALLEL
    assert successes == 1
    assert statuses.count(401) == PARALLEL - 1
    old_jti = RefreshToken(refresh, verify=False)["jti"]
    assert BlacklistedToken.objects.filter(token__jti=old_jti).count() == 1
    assert OutstandingToken.objects.count() == 2  # the login's token and the one new token
