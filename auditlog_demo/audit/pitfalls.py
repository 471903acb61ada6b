"""The audit log's traps (pitfalls 1-3 of auditlog_demo): code that looks right and is not.

Only the trap tests use these (tests/test_pitfalls.py, tests/naive_urls.py); no view,
setting or model imports this module. Each names the fix the demo's real code uses.
"""

from auditlog.registry import auditlog
from rest_framework import generics

from accounts.models import User
from notes.models import Note
from notes.serializers import NoteSerializer


class NoteCreateViewTrustingTheMiddleware(generics.CreateAPIView):
    """Pitfall 1: saves without ``audit_context``, counting on AuditlogMiddleware for the
    actor. The middleware ran before DRF authenticated the token: the actor is empty.
    Fix: notes/views.py wraps its writes in ``audit.actor.audit_context(request)``."""

    serializer_class = NoteSerializer

    def perform_create(self, serializer):
        serializer.save(owner=self.request.user)


def reassign_notes_in_bulk(from_user, to_user):
    """Pitfall 2: one UPDATE statement, no pre_save or post_save, so no audit entry.
    Fix: notes/services.py reassign_notes() saves row by row in a transaction."""
    return Note.objects.filter(owner=from_user).update(owner=to_user)


def uppercase_titles_in_bulk(notes):
    """Pitfall 2 again: bulk_update() sends no signals either."""
    for note in notes:
        note.title = note.title.upper()
    Note.objects.bulk_update(notes, ["title"])


def remove_every_tag(note):
    """Pitfall 3a: clear() on a registered m2m; django-auditlog 3.4 logs every row of the
    related model (other users' tags too). Fix: NoteSerializer uses ``tags.set([...])``."""
    note.tags.clear()


def register_user_masking_the_password():
    """Pitfall 3b: ``mask_fields`` hides only the first half of a value, so half of the
    password hash reaches the log. Fix: accounts/models.py puts password in exclude_fields.
    Returns the real registration's options, for ``register_user_again()``."""
    original = auditlog.get_model_fields(User)
    auditlog.unregister(User)
    auditlog.register(User, mask_fields=["password"])
    return original


def register_user_again(original):
    """Undo ``register_user_masking_the_password()``: the real registration back."""
    auditlog.unregister(User)
    auditlog.register(User, exclude_fields=original["exclude_fields"], mask_fields=original["mask_fields"])
