"""Bulk changes that still leave an audit trail (pitfall 2)."""

from django.db import transaction

from .models import Note


def reassign_notes(from_user, to_user):
    """Give every note of ``from_user`` to ``to_user``, one audit entry per note.

    ``Note.objects.filter(owner=from_user).update(owner=to_user)`` is one query and
    writes NO audit entries: QuerySet.update() and bulk_update() send no post_save /
    pre_save signals, and django-auditlog listens to signals. Saving each row costs
    a query per note but is audited. Returns the number of notes moved.
    """
    with transaction.atomic():
        notes = list(Note.objects.select_for_update().filter(owner=from_user))
        for note in notes:
            note.owner = to_user
            note.save(update_fields=["owner"])
    return len(notes)
