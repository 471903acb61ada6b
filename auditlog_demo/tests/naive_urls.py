"""A DRF view WITHOUT the pitfall-1 fix, for the trap test only."""

from django.urls import path
from rest_framework import generics

from notes.serializers import NoteSerializer


class NaiveNoteCreateView(generics.CreateAPIView):
    serializer_class = NoteSerializer

    def perform_create(self, serializer):
        serializer.save(owner=self.request.user)  # no audit_context: relies on the middleware


urlpatterns = [path("api/naive-notes/", NaiveNoteCreateView.as_view())]
