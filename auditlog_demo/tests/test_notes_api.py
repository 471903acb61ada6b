"""GET/POST /api/notes/, GET/PATCH/DELETE /api/notes/<id>/: owner only."""

import pytest
from rest_framework.test import APIClient

from notes.models import Note, Tag


def test_create_and_list_own_notes(ann_client, create_note):
    created = create_note(title="Groceries", tags=["todo", " home", "home"])
    assert created["owner"] == "ann"
    assert created["tags"] == ["home", "todo"]  # trimmed, deduplicated, sorted
    listed = ann_client.get("/api/notes/").json()
    assert [n["id"] for n in listed] == [created["id"]]


def test_notes_of_others_are_invisible_and_404(bearer, ann_client, create_note, bob):
    note = create_note()
    bob_client = bearer(bob)
    assert bob_client.get("/api/notes/").json() == []
    url = f"/api/notes/{note['id']}/"
    assert bob_client.get(url).status_code == 404
    assert bob_client.patch(url, {"title": "mine now"}).status_code == 404
    assert bob_client.delete(url).status_code == 404
    assert Note.objects.get(pk=note["id"]).title == "Groceries"


def test_patch_updates_fields_and_tags(ann_client, create_note):
    note = create_note(tags=["home", "todo"])
    response = ann_client.patch(f"/api/notes/{note['id']}/", {"title": "Sunday", "tags": ["home", "urgent"]})
    assert response.status_code == 200
    assert response.json()["title"] == "Sunday"
    assert response.json()["tags"] == ["home", "urgent"]
    assert ann_client.get(f"/api/notes/{note['id']}/").json()["tags"] == ["home", "urgent"]


def test_owner_cannot_be_changed_through_the_api(ann_client, create_note, bob):
    note = create_note()
    ann_client.patch(f"/api/notes/{note['id']}/", {"owner": "bob"})
    assert Note.objects.get(pk=note["id"]).owner.username == "ann"


def test_delete(ann_client, create_note):
    note = create_note()
    assert ann_client.delete(f"/api/notes/{note['id']}/").status_code == 204
    assert not Note.objects.filter(pk=note["id"]).exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "title"),
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "ok", "tags": "home"}, "tags"),
        ({"title": "ok", "tags": ["x" * 51]}, "tags"),
        ({"title": "ok", "tags": [None]}, "tags"),
        ({"title": "ok", "tags": [" "]}, "tags"),
        ({"title": "ok", "tags": [f"t{n}" for n in range(21)]}, "tags"),
        ({"title": "ok", "tags": [f"t{n}" for n in range(20_000)]}, "tags"),
        ({"title": "ok", "body": "b" * 10_001}, "body"),
    ],
    ids=[
        "no-title",
        "blank-title",
        "long-title",
        "tags-not-a-list",
        "long-tag",
        "null-tag",
        "blank-tag",
        "21-tags",
        "20000-tags",
        "long-body",
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_writes_nothing(ann_client, payload, field):
    response = ann_client.post("/api/notes/", payload)
    assert response.status_code == 400
    assert field in response.json()
    assert not Note.objects.exists()
    assert not Tag.objects.exists()


def test_failed_tag_write_rolls_back_the_whole_note(ann_client, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("tag table unavailable")

    monkeypatch.setattr(Tag.objects, "get_or_create", boom)
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=ann_client._credentials["HTTP_AUTHORIZATION"])
    assert client.post("/api/notes/", {"title": "t", "tags": ["home"]}).status_code == 500
    assert not Note.objects.exists()  # transaction.atomic: nothing half-written


def test_anonymous_gets_401(db):
    client = APIClient()
    assert client.get("/api/notes/").status_code == 401
    assert client.post("/api/notes/", {"title": "t"}).status_code == 401


def test_twenty_tags_and_a_long_body_are_fine(ann_client, create_note):
    note = create_note(body="b" * 10_000, tags=[f"t{n:02}" for n in range(20)])
    assert len(note["tags"]) == 20


def test_the_bounds_are_in_the_schema(openapi_schema):
    note = openapi_schema["components"]["schemas"]["NoteRequest"]["properties"]
    assert (note["tags"]["maxItems"], note["tags"]["items"]["maxLength"]) == (20, 50)
    assert (note["title"]["maxLength"], note["body"]["maxLength"]) == (200, 10_000)
