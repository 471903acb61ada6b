"""The admin shows django-auditlog's "Log entries" to staff."""

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Permission

from notes.models import Note, Tag
from notes.serializers import BODY_MAX_LENGTH, MAX_TAGS


def test_superuser_sees_log_entries(admin_client, user):
    Note.objects.create(title="audited", owner=user)
    index = admin_client.get("/admin/")
    assert b"Log entries" in index.content
    listing = admin_client.get("/admin/auditlog/logentry/")
    assert listing.status_code == 200
    assert b"audited" in listing.content


def test_staff_with_view_permission_sees_log_entries(client, user_factory, user):
    staff = user_factory(username="viewer", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_logentry", content_type__app_label="auditlog"))
    client.force_login(staff)
    assert b"Log entries" in client.get("/admin/").content
    entry = LogEntry.objects.get_for_object(user).get()
    assert client.get(f"/admin/auditlog/logentry/{entry.pk}/change/").status_code == 200
    # read-only: auditlog's admin allows neither adding nor deleting entries
    assert client.get("/admin/auditlog/logentry/add/").status_code == 403


def test_non_staff_is_sent_to_the_login_page(client, user):
    client.force_login(user)
    response = client.get("/admin/auditlog/logentry/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_note_admin_links_to_its_audit_log(admin_client, user):
    note = Note.objects.create(title="linked", owner=user)
    assert f"/admin/notes/note/{note.pk}/auditlog/".encode() in admin_client.get("/admin/notes/note/").content
    page = admin_client.get(f"/admin/notes/note/{note.pk}/auditlog/")
    assert page.status_code == 200
    assert b"linked" in page.content


def test_user_admin_shows_the_phone_field(admin_client, user):
    assert b'name="phone"' in admin_client.get(f"/admin/accounts/user/{user.pk}/change/").content


def test_audit_remote_addr_can_be_switched_off(admin_client, user, settings):
    settings.AUDITLOG_DISABLE_REMOTE_ADDR = True
    note = Note.objects.create(title="t", owner=user)
    admin_client.post(f"/admin/notes/note/{note.pk}/change/", {"title": "u", "body": "", "owner": user.pk})
    assert note.history.latest().remote_addr is None


def test_admin_entries_believe_forwarded_headers_only_from_trusted_proxies(admin_client, user, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    note = Note.objects.create(title="t", owner=user)
    url = f"/admin/notes/note/{note.pk}/change/"
    spoofed = {"HTTP_X_FORWARDED_FOR": "6.6.6.6", "HTTP_X_FORWARDED_PORT": "4444"}
    admin_client.post(url, {"title": "u", "body": "", "owner": user.pk}, **spoofed)
    entry = note.history.latest()
    assert (entry.remote_addr, entry.remote_port) == ("127.0.0.1", None)
    admin_client.post(url, {"title": "v", "body": "", "owner": user.pk}, REMOTE_ADDR="10.0.0.2", **spoofed)
    entry = note.history.latest()
    assert (entry.remote_addr, entry.remote_port) == ("6.6.6.6", 4444)


@pytest.fixture
def schema_note_bounds(openapi_schema):
    note = openapi_schema["components"]["schemas"]["Note"]["properties"]
    return {"tags": note["tags"]["maxItems"], "body": note["body"]["maxLength"]}


def test_the_admin_keeps_a_note_within_the_bounds_the_api_schema_promises(admin_client, user, schema_note_bounds):
    # Before: the admin saved 21 tags or an 11,000-character body, and GET /api/notes/
    # then answered what its own schema (maxItems 20, maxLength 10,000) rules out.
    tags = [Tag.objects.create(name=f"t{i}") for i in range(MAX_TAGS + 1)]
    note = Note.objects.create(title="t", owner=user)
    url = f"/admin/notes/note/{note.pk}/change/"
    too_many = admin_client.post(url, {"title": "t", "body": "", "owner": user.pk, "tags": [t.pk for t in tags]})
    too_long = admin_client.post(url, {"title": "t", "body": "b" * (BODY_MAX_LENGTH + 1), "owner": user.pk})
    assert too_many.status_code == too_long.status_code == 200  # the form again, with its errors
    assert f"at most {MAX_TAGS} tags".encode() in too_many.content
    note.refresh_from_db()
    assert (note.tags.count(), note.body) == (0, "")
    assert schema_note_bounds == {"tags": MAX_TAGS, "body": BODY_MAX_LENGTH}
    allowed = [t.pk for t in tags[:MAX_TAGS]]
    within = admin_client.post(url, {"title": "t", "body": "b", "owner": user.pk, "tags": allowed})
    assert within.status_code == 302
    assert note.tags.count() == MAX_TAGS


@pytest.mark.parametrize(
    "listing",
    [
        "/admin/hits/apihit/?ip=abc",
        "/admin/hits/apihit/?ip__in=10.0.0.1,abc",
        "/admin/auditlog/logentry/?remote_addr=abc",
        "/admin/hits/apihit/?q=abc",
    ],
)
def test_an_address_typed_into_an_admin_url_is_never_a_500(admin_client, listing):
    # PostgreSQL's inet column refuses "abc" when the query runs (a DataError): the admin
    # must answer before the query, whatever the database.
    admin_client.raise_request_exception = False
    assert admin_client.get(listing).status_code < 500


def test_a_well_formed_address_in_an_admin_url_still_filters(admin_client):
    from hits.models import ApiHit

    ApiHit.objects.create(method="GET", path="/a/", status_code=200, ip="10.0.0.1", duration_ms=1)
    ApiHit.objects.create(method="GET", path="/b/", status_code=200, ip="10.0.0.2", duration_ms=1)
    page = admin_client.get("/admin/hits/apihit/?ip=10.0.0.1")
    assert page.status_code == 200
    assert b"/a/" in page.content and b"/b/" not in page.content
    assert admin_client.get("/admin/hits/apihit/?ip__isnull=True").status_code == 200
