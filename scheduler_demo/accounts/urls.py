from django.urls import path

from .views import SignupView, TokenView, VerifyEmailView

urlpatterns = [
    path("signup/", SignupView.as_view(), name="signup"),
    path("token/", TokenView.as_view(), name="token"),
    path("verify-email/", VerifyEmailView.as_view(), name="verify-email"),
]
