"""auditlog_demo's pitfalls, each proven by a trap test and a fix test.

Pitfalls 1-4 are the audit log's (their trap code in audit/pitfalls.py), pitfall 5 the hit
log's (hits/pitfalls.py).
"""

import pytest
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.db.models.signals import pre_save

from accounts.models import User
from audit import pitfalls
from hits.models import ApiHit
from notes.models import Note, Tag
from notes.services import reassign_notes

STOCK = "auditlog.middleware.AuditlogMiddleware"
OURS = "audit.middleware.SessionAuditlogMiddleware"


# 1. AuditlogMiddleware runs before DRF authenticates the token --------------------------


@pytest.mark.urls("tests.naive_urls")
def test_pitfall_1_actor_token_auth_trap(ann_client, ann, settings):
    settings.MIDDLEWARE = [STOCK if m == OURS else m for m in settings.MIDDLEWARE]
    response = ann_client.post("/api/naive-notes/", {"title": "t"}, HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert response.status_code == 201
    note = Note.objects.get()
    assert note.owner == ann  # DRF did authenticate ann ...
    entry = note.history.get()
    assert entry.actor is None  # ... but the middleware had already captured AnonymousUser
    assert entry.remote_addr == "6.6.6.6"  # and the stock middleware believes any X-Forwarded-For


def test_pitfall_1_actor_token_auth_fix(ann_client, ann):
    response = ann_client.post("/api/notes/", {"title": "t"}, HTTP_X_FORWARDED_FOR="6.6.6.6")
    entry = Note.objects.get(pk=response.json()["id"]).history.get()
    assert entry.actor == ann  # audit_context(request) ran after DRF authenticated
    assert entry.actor_email == ann.email
    assert entry.remote_addr == "127.0.0.1"  # no trusted proxy configured: header ignored


def test_session_requests_keep_auditlog_middleware_for_the_admin(admin_client, admin_user, ann):
    note = Note.objects.create(title="t", owner=ann)
    response = admin_client.post(
        f"/admin/notes/note/{note.pk}/change/", {"title": "edited in admin", "body": "", "owner": ann.pk}
    )
    assert response.status_code == 302
    assert note.history.latest().actor == admin_user


def test_api_requests_leave_no_signal_receivers_behind(ann_client, create_note):
    create_note()
    before = len(pre_save.receivers)
    for i in range(3):
        create_note(title=f"n{i}")
    assert len(pre_save.receivers) == before


# 2. Bulk operations bypass signals --------------------------------------------------------


def test_pitfall_2_bulk_operations_trap(ann, bob):
    notes = [Note.objects.create(title=f"n{i}", owner=ann) for i in range(3)]
    before = LogEntry.objects.count()
    pitfalls.reassign_notes_in_bulk(ann, bob)
    pitfalls.uppercase_titles_in_bulk(notes)
    assert Note.objects.filter(owner=bob, title="N0").exists()  # the rows did change ...
    assert LogEntry.objects.count() == before  # ... and the audit log saw nothing


def test_pitfall_2_bulk_operations_fix(ann, bob):
    notes = [Note.objects.create(title=f"n{i}", owner=ann) for i in range(3)]
    assert reassign_notes(ann, bob) == 3
    for note in notes:
        latest = note.history.latest()
        assert latest.action == LogEntry.Action.UPDATE
        assert latest.changes_dict == {"owner": [ann.pk, bob.pk]}


# 3a. clear() on a registered m2m logs every row of the related model --------------------


def test_pitfall_3_m2m_clear_trap(ann, bob):
    Note.objects.create(title="bob's", owner=bob).tags.add(Tag.objects.create(name="salary-review"))
    note = Note.objects.create(title="ann's", owner=ann)
    note.tags.add(Tag.objects.create(name="home"))
    pitfalls.remove_every_tag(note)
    cleared = note.history.latest().changes["tags"]
    assert cleared["operation"] == "delete"
    assert cleared["objects"] == ["home", "salary-review"]  # bob's tag, in ann's history


def test_pitfall_3_m2m_clear_fix(ann_client, create_note, bob):
    Note.objects.create(title="bob's", owner=bob).tags.add(Tag.objects.create(name="salary-review"))
    note = create_note(tags=["home"])
    ann_client.patch(f"/api/notes/{note['id']}/", {"tags": []})  # the serializer uses set()
    history = ann_client.get(f"/api/notes/{note['id']}/history/").json()
    assert history[0]["changes"] == {"tags": [["home"], []]}
    assert "salary-review" not in str(history)


# 3b. mask_fields hides half a value; secrets belong in exclude_fields ---------------------


@pytest.fixture
def user_registered_with_masked_password():
    original = pitfalls.register_user_masking_the_password()  # password in mask_fields, not exclude_fields
    yield
    pitfalls.register_user_again(original)


def test_pitfall_3_mask_fields_trap(user_factory, user_registered_with_masked_password):
    user = user_factory(username="frank")
    user.set_password("a brand new secret")
    user.save()
    old, new = user.history.latest().changes_dict["password"]
    assert new.startswith("*****")
    visible = user.password[len(user.password) // 2 :]
    assert new.endswith(visible)  # half of the password hash is in the audit log


def test_pitfall_3_mask_fields_fix(user_factory):
    user = user_factory(username="frank")
    user.set_password("a brand new secret")
    user.save()
    assert user.history.count() == 1  # the password change is not an audit event at all
    stored = str(list(LogEntry.objects.values()))
    assert user.password[-8:] not in stored
    fields = auditlog.get_model_fields(User)
    assert {"password", "last_login"} <= set(fields["exclude_fields"]), "the password must never be logged"
    assert "password" not in fields["mask_fields"]


# 4. changes_dict values are strings unless JSON change storage is on ---------------------


def test_pitfall_4_changes_are_strings_trap(ann, settings):
    settings.AUDITLOG_STORE_JSON_CHANGES = False  # django-auditlog's default
    note = Note.objects.create(title="t", owner=ann)
    changes = note.history.latest().changes_dict
    assert changes["owner"] == ["None", str(ann.pk)]  # "None", not None; "1", not 1
    assert changes["id"] == ["None", str(note.pk)]
    user = User.objects.create_user("gina", "gina@example.com", "x" * 12)
    assert user.history.latest().changes_dict["is_staff"] == ["None", "False"]
    assert f"owner: None → {ann.pk}" in note.history.latest().changes_str


def test_pitfall_4_changes_are_strings_fix(ann):
    # settings.AUDITLOG_STORE_JSON_CHANGES = True in config/settings.py
    note = Note.objects.create(title="t", owner=ann)
    changes = note.history.latest().changes_dict
    assert changes["owner"] == [None, ann.pk]
    assert changes["id"] == [None, note.pk]
    user = User.objects.create_user("gina", "gina@example.com", "x" * 12)
    assert user.history.latest().changes_dict["is_staff"] == [None, False]
    # changes_display_dict is for people: it stays strings either way.
    assert note.history.latest().changes_display_dict["title"] == ["None", "t"]


def test_changes_str_needs_string_values_in_json_mode(ann):
    # django-auditlog 3.4 formats changes_str with "{:s}": with JSON storage an entry
    # holding None/int/bool values raises. Use changes_display_dict for display instead.
    note = Note.objects.create(title="t", owner=ann)
    with pytest.raises((TypeError, ValueError)):
        note.history.latest().changes_str  # noqa: B018
    note.title = "u"
    note.save()
    assert note.history.latest().changes_str == "title: t → u"  # string values are fine


# 5. The hit logger read request.user before the view ran -----------------------------


def test_pitfall_5_hit_user_read_before_the_view_trap(ann_client, ann, settings):
    ours = "hits.middleware.APIHitLoggerMiddleware"
    trap = "hits.pitfalls.hit_logger_reading_the_user_first"  # after AuthenticationMiddleware
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != ours] + [trap]
    response = ann_client.get("/api/notes/")
    assert response.status_code == 200  # DRF did authenticate ann's token ...
    hit = ApiHit.objects.get()
    assert hit.user is None  # ... but the hit says nobody made the call


def test_pitfall_5_hit_user_read_before_the_view_fix(ann_client, ann):
    assert ann_client.get("/api/notes/").status_code == 200
    assert ApiHit.objects.get().user == ann  # hits/middleware.py asked after the view ran
