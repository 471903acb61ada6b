"""The API hit logger middleware, GET /api/hits/, the admin page and prune_hits."""

import logging
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.test import APIClient

from hits.models import ApiHit

CHROME_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"
)
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
)
LOGGER = "hits.middleware.APIHitLoggerMiddleware"


def test_a_hit_records_everything_after_the_view(ann_client, ann):
    ann_client.get("/api/notes/", HTTP_USER_AGENT=CHROME_WINDOWS)
    hit = ApiHit.objects.get()
    assert (hit.method, hit.path, hit.status_code, hit.user) == ("GET", "/api/notes/", 200, ann)
    assert (hit.ip, hit.browser, hit.os, hit.device) == ("127.0.0.1", "Chrome", "Windows", "Other")
    assert hit.duration_ms >= 0
    assert timezone.now() - hit.timestamp < timedelta(minutes=1)


def test_device_family_from_a_phone(ann_client):
    ann_client.get("/api/notes/", HTTP_USER_AGENT=SAFARI_IPHONE)
    hit = ApiHit.objects.get()
    assert (hit.browser, hit.os, hit.device) == ("Mobile Safari", "iOS", "iPhone")


def test_no_user_agent_stores_blanks(ann_client):
    ann_client.get("/api/notes/")
    assert (ApiHit.objects.get().browser, ApiHit.objects.get().device) == ("", "")


def test_status_is_the_final_one(bearer, ann_client, bob):
    bearer(bob).get("/api/notes/12345/")
    ann_client.post("/api/notes/", {})
    APIClient().get("/api/notes/")
    assert sorted(ApiHit.objects.values_list("status_code", flat=True)) == [400, 401, 404]


def test_a_crashing_view_is_logged_as_500(ann_client, monkeypatch):
    from notes.views import NoteListCreateView

    def crash(self):
        raise RuntimeError("boom")

    monkeypatch.setattr(NoteListCreateView, "get_queryset", crash)
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=ann_client._credentials["HTTP_AUTHORIZATION"])
    assert client.get("/api/notes/").status_code == 500
    assert ApiHit.objects.get().status_code == 500


def test_user_is_what_drf_resolved_not_the_session(admin_client, ann_client, ann):
    # admin_client has a Django session (a superuser) but no token: DRF says anonymous.
    admin_client.get("/api/notes/")
    ann_client.get("/api/notes/")
    users = list(ApiHit.objects.order_by("pk").values_list("status_code", "user__username"))
    assert users == [(401, None), (200, "ann")]


def test_unknown_api_url_is_logged_without_looking_up_a_user(admin_client):
    admin_client.get("/api/nothing-here/")
    hit = ApiHit.objects.get()
    assert (hit.status_code, hit.user) == (404, None)


def test_non_api_paths_are_not_logged(admin_client):
    admin_client.get("/admin/")
    assert not ApiHit.objects.exists()


def test_forwarded_for_is_ignored_from_untrusted_peers(ann_client, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    ann_client.get("/api/notes/", HTTP_X_FORWARDED_FOR="6.6.6.6")  # REMOTE_ADDR 127.0.0.1: untrusted
    ann_client.get("/api/notes/", REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7")
    assert list(ApiHit.objects.order_by("pk").values_list("ip", flat=True)) == ["127.0.0.1", "198.51.100.7"]


def test_one_insert_per_request(ann_client, create_note, count_queries):
    note = create_note()
    with count_queries() as q:
        ann_client.patch(f"/api/notes/{note['id']}/", {"title": "t2"})
    assert len(q.matching('insert into "hits_apihit"')) == 1


def test_the_logger_costs_at_most_one_query(bearer, ann, create_note, count_queries, settings):
    note = create_note()
    url = f"/api/notes/{note['id']}/"
    with count_queries() as with_logger:
        bearer(ann).patch(url, {"title": "a"})
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != LOGGER]
    with count_queries() as without_logger:
        bearer(ann).patch(url, {"title": "b"})
    assert with_logger.count - without_logger.count == 1


def test_the_logger_never_raises_and_logs_its_failure(ann_client, monkeypatch, caplog):
    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(ApiHit.objects, "create", broken)
    with caplog.at_level(logging.ERROR, logger="auditlog_demo.hits"):
        response = ann_client.post("/api/notes/", {"title": "still saved"})
    assert response.status_code == 201
    assert response.json()["title"] == "still saved"
    assert "could not record API hit POST /api/notes/" in caplog.text


def test_hits_endpoint_is_staff_only_and_newest_first(bearer, ann_client, staff):
    ann_client.get("/api/notes/")
    ann_client.get("/api/notes/1/")
    assert ann_client.get("/api/hits/").status_code == 403
    assert APIClient().get("/api/hits/").status_code == 401
    hits = bearer(staff).get("/api/hits/").json()
    # the two 403/401 calls above are hits too; newest first
    assert [h["path"] for h in hits] == ["/api/hits/", "/api/hits/", "/api/notes/1/", "/api/notes/"]
    assert hits[-1]["user"] == "ann"
    assert set(hits[-1]) == {
        "id", "timestamp", "method", "path", "status_code", "user", "ip", "browser", "os", "device", "duration_ms"
    }  # fmt: skip


def test_hits_limit(bearer, ann_client, staff):
    for _ in range(3):
        ann_client.get("/api/notes/")
    client = bearer(staff)
    assert len(client.get("/api/hits/?limit=2").json()) == 2
    response = client.get("/api/hits/?limit=0")
    assert response.status_code == 400
    assert "limit" in response.json()
    assert client.get("/api/hits/?limit=abc").status_code == 400


def test_hits_admin_page(admin_client, ann_client):
    ann_client.get("/api/notes/")
    response = admin_client.get("/admin/hits/apihit/")
    assert response.status_code == 200
    assert b"/api/notes/" in response.content
    assert admin_client.get("/admin/hits/apihit/add/").status_code == 403


def make_hit(days_ago):
    return ApiHit.objects.create(
        timestamp=timezone.now() - timedelta(days=days_ago),
        method="GET",
        path="/api/x/",
        status_code=200,
        duration_ms=1,
    )


def test_prune_hits_deletes_older_than_n_days(db, capsys):
    old, recent = make_hit(10), make_hit(2)
    call_command("prune_hits", "--days", "7")
    assert list(ApiHit.objects.all()) == [recent]
    assert "Deleted 1 API hit(s) older than 7 day(s)." in capsys.readouterr().out
    assert not ApiHit.objects.filter(pk=old.pk).exists()


def test_prune_hits_rejects_negative_days(db):
    with pytest.raises(CommandError):
        call_command("prune_hits", "--days", "-1")


def test_prune_hits_deletes_in_batches_so_the_write_lock_is_held_briefly(db, capsys, count_queries):
    # One DELETE of millions of rows held SQLite's one write lock for seconds: every API
    # hit and note write waited meanwhile. Each batch is its own short transaction.
    old = [make_hit(10) for _ in range(25)]
    recent = make_hit(2)
    with count_queries() as queries:
        call_command("prune_hits", "--days", "7", "--batch-size", "10")
    assert list(ApiHit.objects.all()) == [recent]
    assert "Deleted 25 API hit(s) older than 7 day(s)." in capsys.readouterr().out
    deletes = queries.matching("DELETE FROM")
    assert len(deletes) == 3  # 10 + 10 + 5
    assert not ApiHit.objects.filter(pk__in=[hit.pk for hit in old]).exists()


def test_prune_hits_refuses_a_batch_size_below_one(db):
    with pytest.raises(CommandError, match="--batch-size"):
        call_command("prune_hits", "--days", "7", "--batch-size", "0")


@pytest.mark.parametrize("days", ["1000000", "99999999999"])
def test_prune_hits_refuses_more_days_than_the_calendar_holds(db, days):
    # Was an OverflowError traceback (a date before year 1): now a one-line error, nothing deleted.
    hit = make_hit(10)
    with pytest.raises(CommandError, match="--days must be at most"):
        call_command("prune_hits", "--days", days)
    assert ApiHit.objects.filter(pk=hit.pk).exists()


# --- What the caller sends cannot lose the hit or forge a line in the log ----------------
# Run on SQLite and on PostgreSQL (DATABASE_URL): there a NUL in a text column is a
# DataError, and the hit used to be lost.
@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("/api/notes/\x00x/", "/api/notes/\\x00x/"),
        # Sent percent-encoded, as a real client must: %0a arrives in request.path as "\n".
        ("/api/notes/%0aWARNING forged line/", "/api/notes/\\x0aWARNING forged line/"),
        ("/api/notes/%0d%0a\x1b[31m/", "/api/notes/\\x0d\\x0a\\x1b[31m/"),
        ("/api/notes/\u202etxt.exe/", "/api/notes/\\u202etxt.exe/"),
        ("/api/notes/back\\slash/", "/api/notes/back\\\\slash/"),
    ],
    ids=["nul", "line-feed", "crlf-and-escape", "rtl-override", "backslash"],
)
def test_a_hostile_path_is_recorded_escaped(ann_client, sent, stored):
    assert ann_client.get(sent).status_code == 404

    assert ApiHit.objects.get().path == stored


def test_a_long_hostile_path_is_bounded(ann_client):
    ann_client.get("/api/" + "\x00" * 300)

    path = ApiHit.objects.get().path
    assert len(path) == 255 and path.endswith("…")
    assert path.startswith("/api/\\x00\\x00")


def test_a_user_agent_with_line_breaks_is_recorded_safely(ann_client):
    response = ann_client.get("/api/notes/", HTTP_USER_AGENT="Evil\r\nX-Injected: 1\x00/1.0")

    assert response.status_code == 200
    hit = ApiHit.objects.get()
    assert not any(char in value for value in (hit.browser, hit.os, hit.device) for char in "\r\n\x00")


def test_a_failure_to_record_cannot_forge_a_log_line(ann_client, monkeypatch, caplog):
    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(ApiHit.objects, "create", broken)
    with caplog.at_level(logging.INFO):
        ann_client.post("/api/notes/%0d%0aERROR auditlog_demo.hits: forged%00/", {"title": "t"})

    messages = [record.getMessage() for record in caplog.records]
    assert any("could not record API hit POST /api/notes/\\x0d\\x0aERROR" in m for m in messages), messages
    assert not any(char in message for message in messages for char in "\r\n\x00")
