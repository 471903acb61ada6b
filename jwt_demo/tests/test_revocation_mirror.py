"""The revocation check reads a mirror in memory: 0 queries per request, and what that costs.

An authenticated read (a view that only needs the token's user, like most of an API)
costs no query once the process has synced; a sync is due once per
JWT_REVOCATION_SYNC_SECONDS; the mirror keeps live entries only; the user events that
SimpleJWT's ``get_user`` caught with a query per request (deactivated, deleted, password
changed) are cutoffs, refused with a 401. Across processes: tests/test_revocation_processes.py.
"""

import time

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.db import transaction
from django.test.utils import CaptureQueriesContext
from django.urls import include, path
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.tokens import AccessToken

from jwt_auth import revocation, services
from jwt_auth.authentication import ClaimsUser
from jwt_auth.models import RevokedToken, UserTokenCutoff

User = get_user_model()


class TokenUserRead(APIView):
    """An authenticated read that needs only who is asking (the default authentication)."""

    permission_classes = [IsAuthenticated]

    def get(self, request):
        return Response({"user": request.user.pk})


urlpatterns = [path("read/", TokenUserRead.as_view()), path("", include("config.urls"))]
pytestmark = pytest.mark.urls(__name__)


def read(api_client, access):
    return api_client.get("/read/", HTTP_AUTHORIZATION=f"Bearer {access}")


def queries_of(call):
    from django.db import connection

    with CaptureQueriesContext(connection) as captured:
        response = call()
    return response, [query["sql"] for query in captured.captured_queries]


def as_if_the_sync_interval_had_passed():
    revocation.mirror.synced_at -= 3600


# --- 0 queries per request ----------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_an_authenticated_read_costs_zero_queries_database_cache(database_cache, api_client, user, login, settings):
    settings.JWT_REVOCATION_SYNC_SECONDS = 60  # the window an operator may choose without Redis
    access = login(username="alice")["access"]
    assert read(api_client, access).status_code == 200  # warm-up: the process's first sync
    for _ in range(3):
        response, queries = queries_of(lambda: read(api_client, access))
        assert response.status_code == 200 and response.json() == {"user": str(user.pk)}
        assert queries == []


@pytest.mark.django_db(transaction=True)
def test_by_default_without_redis_a_read_costs_one_primary_key_query_on_the_clock(
    database_cache, api_client, user, login, settings
):
    """The default without Redis (JWT_REVOCATION_SYNC_SECONDS = 0): no window in which another
    process accepts a logged-out token, for one lookup of the clock row per request."""
    settings.JWT_REVOCATION_SYNC_SECONDS = 0
    access = login(username="alice")["access"]
    assert read(api_client, access).status_code == 200  # warm-up: the process's first sync
    response, queries = queries_of(lambda: read(api_client, access))
    assert response.status_code == 200
    assert len(queries) == 1 and "jwt_auth_revocationclock" in queries[0], queries


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_an_authenticated_read_costs_zero_queries_redis(redis_url, redis_caches, settings, api_client, login, user):
    settings.CACHES, settings.JWT_REVOCATION_CACHE = redis_caches(redis_url), "default"
    settings.JWT_REVOCATION_SYNC_SECONDS = 60
    access = login(username="alice")["access"]
    assert read(api_client, access).status_code == 200  # warm-up: syncs, stores a version
    assert read(api_client, access).status_code == 200  # a version it had not synced at: once more
    lookups = []
    cache = caches["default"]
    real_get = cache.get
    cache.get = lambda key, *args, **kwargs: lookups.append(key) or real_get(key, *args, **kwargs)
    try:
        response, queries = queries_of(lambda: read(api_client, access))
    finally:
        del cache.get
    assert response.status_code == 200
    assert queries == []
    assert lookups == []  # the subscription said nothing changed (tests/test_revocation_channel.py)


@pytest.mark.django_db(transaction=True)
def test_a_sync_is_due_once_per_interval_and_reads_only_what_changed(database_cache, api_client, user, login, settings):
    settings.JWT_REVOCATION_SYNC_SECONDS = 60
    access = login(username="alice")["access"]
    read(api_client, access)
    as_if_the_sync_interval_had_passed()
    _, nothing_new = queries_of(lambda: read(api_client, access))
    assert len(nothing_new) == 1 and "jwt_auth_revocationclock" in nothing_new[0]  # the clock only
    revocation.revoke("elsewhere", time.time() + 300)
    as_if_the_sync_interval_had_passed()
    _, something_new = queries_of(lambda: read(api_client, access))
    assert len(something_new) == 3  # the clock, then the rows of each table newer than the last sync
    assert revocation.is_revoked("elsewhere")


def test_a_revocation_made_here_is_in_the_mirror_once_it_commits(transactional_db, settings):
    settings.JWT_REVOCATION_SYNC_SECONDS = 60
    revocation.sync_if_due()
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            revocation.revoke("rolled-back", time.time() + 300)
            raise RuntimeError("the logout failed")
    revocation.revoke("committed", time.time() + 300)
    assert revocation.mirror.has_revoked(["committed"])  # no sync was due: the commit told it
    assert not revocation.mirror.has_revoked(["rolled-back"])


@pytest.mark.django_db(transaction=True)
def test_a_cutoff_made_here_is_in_the_mirror_once_it_commits(api_client, user, login, password, settings):
    settings.JWT_REVOCATION_SYNC_SECONDS = 60  # no sync can be what refuses the old token
    pair = login(username="alice")
    assert read(api_client, pair["access"]).status_code == 200
    change = {"old_password": password, "new_password": "a much better secret 42"}
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {pair['access']}"}
    assert api_client.post("/api/auth/password/change/", change, **bearer).status_code == 204
    assert read(api_client, pair["access"]).status_code == 401


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_version_that_cannot_be_written_is_deleted_so_that_every_process_syncs(
    redis_url, redis_caches, settings, monkeypatch
):
    settings.CACHES, settings.JWT_REVOCATION_CACHE = redis_caches(redis_url), "default"
    cache = caches["default"]
    cache.set(revocation.VERSION_KEY, "what every process has synced at")

    def unavailable(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(type(cache), "set", unavailable)
    revocation.revoke("while the cache fails", time.time() + 300)
    monkeypatch.undo()
    assert cache.get(revocation.VERSION_KEY) is None  # a missing version makes the others sync
    monkeypatch.setattr(type(cache), "delete", unavailable)
    monkeypatch.setattr(type(cache), "set", unavailable)
    monkeypatch.setattr(type(cache), "add", unavailable)
    revocation.revoke("while it fails entirely", time.time() + 300)  # logged: the interval is left
    assert revocation.is_revoked("while it fails entirely")  # a failing cache: a sync, never a pass


@pytest.mark.django_db
def test_a_token_without_a_user_id_is_refused(api_client, user):
    access = AccessToken.for_user(user)
    del access["user_id"]
    assert read(api_client, str(access)).status_code == 401


# --- what the mirror holds ------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_mirror_keeps_only_live_entries(settings):
    settings.JWT_REVOCATION_SYNC_SECONDS = 60
    revocation.revoke("live", time.time() + 300)
    now = time.time()
    revocation.mirror.learn({"expired": now - 1}, {"7": (now - 86400, now - 1), "8": (now, now + 86400)})
    revocation.sync_if_due()  # the first sync: the table's row, and the expired entries dropped
    assert set(revocation.mirror.revoked) == {"live"}
    assert set(revocation.mirror.cutoffs) == {"8"}


@pytest.mark.django_db
def test_a_flushed_or_restored_database_makes_the_mirror_start_over():
    revocation.revoke("after-the-restore", time.time() + 300)
    revocation.mirror.stamp = 10**9  # it had synced further than the database now goes
    assert revocation.is_revoked("after-the-restore")
    assert revocation.mirror.stamp < 10**9


# --- the user comes from the token ---------------------------------------------------------------
@pytest.mark.django_db
def test_the_request_user_is_the_tokens_and_says_so(api_client, user, login):
    access = login(username="alice")["access"]
    token_user = ClaimsUser(AccessToken(access))
    assert token_user.pk == str(user.pk) and token_user.is_authenticated
    with pytest.raises(AttributeError, match="load the row with user_row"):
        token_user.email  # noqa: B018 - a claim the token does not carry is an error, not None


@pytest.mark.django_db
def test_an_account_endpoint_loads_the_user_row_with_one_query(api_client, user, login, count_queries):
    access = login(username="alice")["access"]
    with count_queries() as queries:
        response = api_client.get("/api/auth/me/", HTTP_AUTHORIZATION=f"Bearer {access}")
    assert response.json()["email"] == "alice@example.com"
    assert len(queries.matching("accounts_user")) == 1


# --- user events: cutoffs ------------------------------------------------------------------------
def deactivate(user):
    user.is_active = False
    user.save()


def change_password(user):
    user.set_password("changed in the shell 42")
    user.save()


@pytest.mark.django_db
@pytest.mark.parametrize("event", [deactivate, change_password, User.delete], ids=["deactivated", "password", "gone"])
def test_a_user_event_refuses_the_users_old_tokens_with_401(api_client, user, login, event):
    pair, user_id = login(username="alice"), str(user.pk)
    event(user)
    assert UserTokenCutoff.objects.filter(user_id=user_id).exists()
    assert read(api_client, pair["access"]).status_code == 401  # no user query, and never a 500
    assert api_client.post("/api/token/refresh/", {"refresh": pair["refresh"]}).status_code == 401
    assert api_client.post("/api/token/verify/", {"token": pair["access"]}).status_code == 401


@pytest.mark.django_db
def test_a_login_just_after_a_password_change_is_accepted(api_client, user, login, password):
    change_password(user)
    access = login(username="alice", password="changed in the shell 42")["access"]  # the same second, likely
    assert AccessToken(access)["iat"] > UserTokenCutoff.objects.get().valid_after.timestamp()
    assert read(api_client, access).status_code == 200


@pytest.mark.django_db
def test_a_save_that_touches_neither_password_nor_is_active_writes_no_cutoff(user, count_queries):
    with count_queries() as queries:
        user.save(update_fields=["last_login"])  # what every login does
    assert [sql for sql in queries.sql if sql.startswith("SELECT")] == []  # the receiver read nothing
    user.first_name = "Alice"
    user.save()
    assert not UserTokenCutoff.objects.exists()


@pytest.mark.django_db
def test_a_password_changed_by_queryset_update_is_caught_where_the_row_is_loaded(api_client, user, login):
    pair = login(username="alice")
    User.objects.filter(pk=user.pk).update(password="changed without save()")  # no signal is sent
    # The trade-off of not loading the user: a read that needs only the token passes...
    assert read(api_client, pair["access"]).status_code == 200
    # ...the endpoints that load the row compare the password hash (CHECK_REVOKE_TOKEN)...
    assert api_client.get("/api/auth/me/", HTTP_AUTHORIZATION=f"Bearer {pair['access']}").status_code == 401
    assert api_client.post("/api/token/refresh/", {"refresh": pair["refresh"]}).status_code == 401
    # ...and whoever writes behind the signals' back ends the sessions by hand.
    services.logout_everywhere(user)
    assert read(api_client, pair["access"]).status_code == 401


@pytest.mark.django_db
def test_flushexpiredtokens_also_prunes_expired_cutoffs(user):
    from django.core.management import call_command
    from django.utils import timezone

    deactivate(user)
    UserTokenCutoff.objects.create(user_id="gone", valid_after=timezone.now(), expires_at=timezone.now(), stamp=0)
    call_command("flushexpiredtokens")
    assert list(UserTokenCutoff.objects.values_list("user_id", flat=True)) == [str(user.pk)]
    assert not RevokedToken.objects.exists()
