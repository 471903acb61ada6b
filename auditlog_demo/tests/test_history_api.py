"""GET /api/notes/<id>/history/ (owner) and GET /api/users/<id>/history/ (staff)."""

from notes.models import Note


def test_note_history_is_newest_first_with_actor_and_pairs(ann_client, create_note):
    note = create_note(tags=["home", "todo"])
    url = f"/api/notes/{note['id']}/"
    ann_client.patch(url, {"title": "Sunday", "tags": ["home"]})
    history = ann_client.get(f"{url}history/").json()
    assert [e["action"] for e in history] == ["update", "update", "update", "create"]
    assert history[0]["changes"] == {"tags": [["todo"], []]}  # m2m: [removed, added]
    assert history[1]["changes"] == {"title": ["Groceries", "Sunday"]}
    assert history[2]["changes"] == {"tags": [[], ["home", "todo"]]}
    assert history[3]["changes"]["title"] == [None, "Groceries"]
    assert history[3]["changes"]["owner"][1] == note_owner_id(note)
    assert {e["actor"] for e in history} == {"ann"}
    assert {e["remote_addr"] for e in history} == {"127.0.0.1"}
    assert all(set(e) == {"id", "action", "changes", "actor", "timestamp", "remote_addr"} for e in history)
    timestamps = [e["timestamp"] for e in history]
    assert timestamps == sorted(timestamps, reverse=True)


def note_owner_id(note):
    return Note.objects.get(pk=note["id"]).owner_id


def test_deleted_note_history_stays_reachable_for_its_owner_only(bearer, ann_client, create_note, bob):
    note = create_note()
    ann_client.delete(f"/api/notes/{note['id']}/")
    history = ann_client.get(f"/api/notes/{note['id']}/history/")
    assert history.status_code == 200
    assert [e["action"] for e in history.json()] == ["delete", "update", "create"]
    assert history.json()[0]["changes"]["title"] == ["Groceries", None]
    assert bearer(bob).get(f"/api/notes/{note['id']}/history/").status_code == 404


def test_note_history_of_someone_else_or_unknown_is_404(bearer, create_note, bob):
    note = create_note()
    assert bearer(bob).get(f"/api/notes/{note['id']}/history/").status_code == 404
    assert bearer(bob).get("/api/notes/999999/history/").status_code == 404


def test_note_history_needs_a_token(create_note, client):
    note = create_note()
    assert client.get(f"/api/notes/{note['id']}/history/").status_code == 401


def test_user_history_is_staff_only(bearer, ann, staff, client):
    url = f"/api/users/{ann.pk}/history/"
    assert client.get(url).status_code == 401
    assert bearer(ann).get(url).status_code == 403
    response = bearer(staff).get(url)
    assert response.status_code == 200
    assert response.json()[0]["action"] == "create"
    assert response.json()[0]["changes"]["username"] == [None, "ann"]
    assert "password" not in response.json()[0]["changes"]


def test_user_history_newest_first_and_survives_deletion(bearer, ann, staff):
    ann.first_name = "Ann"
    ann.save()
    staff_client = bearer(staff)
    history = staff_client.get(f"/api/users/{ann.pk}/history/").json()
    assert [e["action"] for e in history] == ["update", "create"]
    pk = ann.pk
    ann.delete()
    history = staff_client.get(f"/api/users/{pk}/history/").json()
    assert [e["action"] for e in history] == ["delete", "update", "create"]
    assert staff_client.get("/api/users/999999/history/").status_code == 404


def test_a_note_owner_sees_who_else_changed_it_but_not_from_which_address(ann_client, create_note, staff, client):
    # Staff edit ann's note in the admin from their office network. The entry names the
    # actor; the actor's IP address is theirs, not ann's to read (she keeps her own).
    note = create_note()
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    owner = note_owner_id(note)
    edit = {"title": "Fixed", "body": "", "owner": owner}
    client.post(f"/admin/notes/note/{note['id']}/change/", edit, REMOTE_ADDR="10.9.8.7")
    history = ann_client.get(f"/api/notes/{note['id']}/history/").json()
    by_staff = [e for e in history if e["actor"] == "sam"]
    assert any(e["changes"].get("title") == ["Groceries", "Fixed"] for e in by_staff)
    assert {e["remote_addr"] for e in by_staff} == {None}
    assert {e["remote_addr"] for e in history if e["actor"] == "ann"} == {"127.0.0.1"}  # her own changes
    assert Note.objects.get(pk=note["id"]).history.latest().remote_addr == "10.9.8.7"  # still audited


def test_a_history_is_read_a_bounded_page_at_a_time(bearer, ann_client, create_note, staff, ann, settings):
    # Unbounded, a note PATCHed in a loop made every later GET serialize all its entries.
    note = create_note()
    url = f"/api/notes/{note['id']}/history/"
    for n in range(5):
        ann_client.patch(f"/api/notes/{note['id']}/", {"title": f"v{n}"})
    newest_two = ann_client.get(f"{url}?limit=2").json()
    assert [e["changes"]["title"] for e in newest_two] == [["v3", "v4"], ["v2", "v3"]]
    assert len(ann_client.get(url).json()) == 7  # default 100: all of them
    for bad in ("0", "1001", "many"):
        response = ann_client.get(f"{url}?limit={bad}")
        assert response.status_code == 400 and list(response.json()) == ["limit"], bad
    assert len(bearer(staff).get(f"/api/users/{ann.pk}/history/?limit=1").json()) == 1
    assert bearer(staff).get(f"/api/users/{ann.pk}/history/?limit=0").status_code == 400
