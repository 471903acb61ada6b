"""The lookups this demo makes are served by indexes: the query plans prove it.

Each queryset below is one the code runs (login, sign-up checks, refresh, logout
everywhere, flushexpiredtokens). ``QuerySet.explain()`` gives SQLite's EXPLAIN QUERY
PLAN and PostgreSQL's EXPLAIN. On PostgreSQL a tiny test table is cheaper to scan than
to index, so the planner is told to avoid sequential scans: if no index existed, the
plan would still be a Seq Scan.
"""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

pytestmark = pytest.mark.django_db
User = get_user_model()

LOOKUPS = {
    "login by username": lambda: User.objects.filter(username="alice"),
    "login by email": lambda: User.objects.filter(email="alice@example.com"),
    "login by phone": lambda: User.objects.filter(phone="+14155552671"),
    "refresh: outstanding token by jti": lambda: OutstandingToken.objects.filter(jti="abc"),
    "refresh: is it blacklisted": lambda: BlacklistedToken.objects.filter(token__jti="abc"),
    "password change: the user's live tokens": lambda: OutstandingToken.objects.filter(
        user_id=1, blacklistedtoken__isnull=True
    ),
    # .order_by(): delete() drops the model's default ordering (by user) too.
    "flushexpiredtokens": lambda: OutstandingToken.objects.filter(expires_at__lte=timezone.now()).order_by(),
}


def plan_of(queryset):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
    return queryset.explain()


def uses_only_indexes(plan):
    if connection.vendor == "postgresql":
        return "Index" in plan and "Seq Scan" not in plan
    # SQLite: "SEARCH t USING [COVERING] INDEX i (col=?)" is an index lookup; "SCAN t" (even
    # "SCAN t USING INDEX i") reads the whole table or index.
    return "SEARCH" in plan and "SCAN " not in plan


@pytest.mark.parametrize("name", LOOKUPS)
def test_lookup_uses_an_index_sqlite(name):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite plan")
    plan = plan_of(LOOKUPS[name]())
    assert uses_only_indexes(plan), plan


@pytest.mark.postgres
@pytest.mark.parametrize("name", LOOKUPS)
def test_lookup_uses_an_index_postgres(name):
    plan = plan_of(LOOKUPS[name]())
    assert uses_only_indexes(plan), plan


def test_without_an_index_the_plan_is_a_scan():
    """The check above can fail: a column with no index (first_name) is scanned."""
    plan = plan_of(User.objects.filter(first_name="Alice"))
    assert not uses_only_indexes(plan), plan
