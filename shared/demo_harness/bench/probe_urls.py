"""The demo's URLs plus /probe/<variant>/: one tiny view per authentication variant."""

from django.urls import include, path

from .probe_auth import variant_classes, view_for

urlpatterns = [
    *(path(f"probe/{slug}/", view_for(classes)) for slug, (_name, classes) in variant_classes().items()),
    path("", include("config.urls")),
]
