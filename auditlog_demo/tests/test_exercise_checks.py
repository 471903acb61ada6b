"""Behaviour checks for the exercises (`python -m demos exercise list`) whose trap no other
test catches in the demo's real code, or catches only together with another exercise's."""

import pytest
from auditlog.models import LogEntry

from notes.models import Note
from notes.services import reassign_notes

pytestmark = pytest.mark.django_db


def test_reassigning_notes_writes_one_update_entry_per_note(ann, bob):
    # Whatever AUDITLOG_STORE_JSON_CHANGES says: the values may be strings or numbers.
    notes = [Note.objects.create(title=f"n{i}", owner=ann) for i in range(3)]
    before = LogEntry.objects.count()

    assert reassign_notes(ann, bob) == 3

    assert LogEntry.objects.count() == before + 3
    for note in notes:
        latest = note.history.latest()
        assert latest.action == LogEntry.Action.UPDATE
        assert [str(value) for value in latest.changes_dict["owner"]] == [str(ann.pk), str(bob.pk)]
    assert Note.objects.filter(owner=bob).count() == 3
