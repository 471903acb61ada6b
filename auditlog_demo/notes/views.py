from auditlog.models import LogEntry
from django.db import transaction
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics

from audit.actor import audit_context
from audit.serializers import HistoryLimitSerializer, LogEntrySerializer, newest_entries
from config.plumbing.openapi import VALIDATION_ERROR

from .models import Note
from .serializers import NoteSerializer


class OwnNotesMixin:
    """Only the owner's notes exist for them: anyone else's id is a 404, not a 403."""

    def get_queryset(self):
        return Note.objects.filter(owner=self.request.user).select_related("owner").prefetch_related("tags")


class NoteListCreateView(OwnNotesMixin, generics.ListCreateAPIView):
    """GET/POST /api/notes/"""

    serializer_class = NoteSerializer
    pagination_class = None

    def perform_create(self, serializer):
        # DRF has authenticated the token by now: audit_context names the real user.
        with audit_context(self.request):
            serializer.save(owner=self.request.user)


class NoteDetailView(OwnNotesMixin, generics.RetrieveUpdateDestroyAPIView):
    """GET/PATCH/DELETE /api/notes/<id>/ (PUT too: DRF's full update)."""

    serializer_class = NoteSerializer

    def perform_update(self, serializer):
        with audit_context(self.request):
            serializer.save()

    def perform_destroy(self, instance):
        # The DELETE entry and the delete land together or not at all.
        with transaction.atomic(), audit_context(self.request):
            instance.delete()


def owner_id_at_deletion(entries):
    """The owner recorded by the note's DELETE entry (it holds every field's last value)."""
    deleted = entries.filter(action=LogEntry.Action.DELETE).first()
    if deleted is None:
        return None
    old_owner = deleted.changes_dict.get("owner", [None])[0]
    return None if old_owner is None else str(old_owner)


@extend_schema_view(
    get=extend_schema(
        parameters=[HistoryLimitSerializer], responses={200: LogEntrySerializer(many=True), 400: VALIDATION_ERROR}
    )
)
class NoteHistoryView(generics.ListAPIView):
    """GET /api/notes/<id>/history/?limit=100: newest first, owner only.

    A deleted note's history stays reachable for the user who owned it when it was
    deleted (read from its DELETE entry); everyone else gets a 404, as for live notes.
    """

    serializer_class = LogEntrySerializer
    pagination_class = None

    def get_queryset(self):
        pk = self.kwargs["pk"]
        entries = (
            LogEntry.objects.get_for_model(Note)
            .filter(object_id=pk)
            .select_related("actor")
            .order_by("-timestamp", "-pk")
        )
        note = Note.objects.filter(pk=pk).only("owner_id").first()
        owner_id = str(note.owner_id) if note is not None else owner_id_at_deletion(entries)
        if owner_id != str(self.request.user.pk):
            raise Http404
        return newest_entries(entries, self.request)
