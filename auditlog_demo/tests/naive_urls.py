"""The URL of pitfall 1's trap view (audit/pitfalls.py), for the trap test only."""

from django.urls import path

from audit.pitfalls import NoteCreateViewTrustingTheMiddleware

urlpatterns = [path("api/naive-notes/", NoteCreateViewTrustingTheMiddleware.as_view())]
