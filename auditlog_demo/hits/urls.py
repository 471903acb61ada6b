from django.urls import path

from .views import ApiHitListView

urlpatterns = [
    path("hits/", ApiHitListView.as_view(), name="hit-list"),
]
