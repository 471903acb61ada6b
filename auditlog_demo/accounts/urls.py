from django.urls import path

from .views import UserHistoryView

urlpatterns = [
    path("users/<int:pk>/history/", UserHistoryView.as_view(), name="user-history"),
]
