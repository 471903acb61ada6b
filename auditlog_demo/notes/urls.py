from django.urls import path

from . import views

urlpatterns = [
    path("notes/", views.NoteListCreateView.as_view(), name="note-list"),
    path("notes/<int:pk>/", views.NoteDetailView.as_view(), name="note-detail"),
    path("notes/<int:pk>/history/", views.NoteHistoryView.as_view(), name="note-history"),
]
