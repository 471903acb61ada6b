"""Every query of drf_signal_simplejwt, on the custom user and on Note."""

from auditlog.models import LogEntry
from auditlog.signals import accessed

from accounts.models import User
from notes.models import Note, Tag


def test_action_values_are_create_0_update_1_delete_2_access_3():
    assert (LogEntry.Action.CREATE, LogEntry.Action.UPDATE, LogEntry.Action.DELETE, LogEntry.Action.ACCESS) == (
        0,
        1,
        2,
        3,
    )


def test_user_history_latest_and_changes(user_factory):
    user = user_factory(username="carol", first_name="Carol")
    created = user.history.latest()  # Meta.get_latest_by = "timestamp"
    assert created.action == LogEntry.Action.CREATE
    assert created.changes["username"] == [None, "carol"]  # JSON change storage: None, not "None"
    assert created.changes_dict["first_name"] == [None, "Carol"]

    user.first_name = "Caroline"
    user.save()
    updated = user.history.latest()
    assert updated.action == LogEntry.Action.UPDATE
    assert updated.changes_dict == {"first_name": ["Carol", "Caroline"]}
    assert updated.changes_str == "first_name: Carol → Caroline"
    # changes_display_dict uses verbose names and display values.
    assert updated.changes_display_dict == {"first name": ["Carol", "Caroline"]}


def test_user_registration_excludes_password_last_login_and_reverse_relations(user_factory):
    user = user_factory(username="dave")
    fields = set(user.history.latest().changes_dict)
    assert {"username", "email", "is_staff", "date_joined"} <= fields
    assert not fields & {"password", "last_login", "notes", "api_hits"}

    user.set_password("a new secret 123")
    user.save()
    from django.contrib.auth.models import update_last_login

    update_last_login(None, user)
    assert user.history.count() == 1  # neither change is an audit event


def test_history_all_order_by_minus_timestamp_is_newest_first(user):
    note = Note.objects.create(title="one", owner=user)
    note.title = "two"
    note.save()
    note.tags.add(Tag.objects.create(name="work"))
    entries = list(note.history.all().order_by("-timestamp"))
    assert [e.action for e in entries] == [LogEntry.Action.UPDATE, LogEntry.Action.UPDATE, LogEntry.Action.CREATE]
    assert entries[0].changes == {"tags": {"type": "m2m", "operation": "add", "objects": ["work"]}}
    assert entries[1].changes_dict == {"title": ["one", "two"]}
    assert str(entries[2]) == "Created one"


def test_m2m_field_is_registered_for_note(user):
    note = Note.objects.create(title="t", owner=user)
    work, home = Tag.objects.create(name="work"), Tag.objects.create(name="home")
    note.tags.add(work, home)
    note.tags.remove(home)
    changes = [e.changes["tags"] for e in note.history.filter(action=LogEntry.Action.UPDATE).order_by("pk")]
    assert changes == [
        {"type": "m2m", "operation": "add", "objects": ["home", "work"]},
        {"type": "m2m", "operation": "delete", "objects": ["home"]},
    ]


def test_access_action_3_is_logged_by_the_accessed_signal(user):
    note = Note.objects.create(title="t", owner=user)
    accessed.send(Note, instance=note)
    assert note.history.latest().action == LogEntry.Action.ACCESS == 3


def test_delete_keeps_the_history(user):
    note = Note.objects.create(title="t", owner=user)
    pk = note.pk
    note.delete()
    entries = LogEntry.objects.get_for_model(Note).filter(object_id=pk).order_by("-timestamp")
    assert [e.action for e in entries] == [LogEntry.Action.DELETE, LogEntry.Action.CREATE]
    assert entries[0].changes_dict["title"] == ["t", None]


def test_masked_phone_shows_only_its_second_half(user_factory):
    user = user_factory(username="erin")
    user.phone = "+1 555 0199"
    user.save()
    old, new = user.history.latest().changes_dict["phone"]
    assert new == "*****5 0199"
    assert "+1 55" not in new
    assert User.objects.get(pk=user.pk).phone == "+1 555 0199"  # only the log is masked
