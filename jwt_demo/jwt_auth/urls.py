from django.urls import path

from . import views

urlpatterns = [
    path("", views.GetTokensView.as_view(), name="token_obtain"),
    path("refresh/", views.RefreshAccessView.as_view(), name="token_refresh"),
    path("verify/", views.ValidateTokensView.as_view(), name="token_verify"),
    path("blacklist/", views.BlackListTokenView.as_view(), name="token_blacklist"),
]
