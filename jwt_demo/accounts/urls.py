from django.urls import path

from . import views

urlpatterns = [
    path("signup/", views.SignupView.as_view(), name="signup"),
    path("me/", views.MeView.as_view(), name="me"),
    path("password/change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/forgot/", views.PasswordForgotView.as_view(), name="password_forgot"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("email/", views.EmailChangeView.as_view(), name="email_change"),
    path("phone/", views.PhoneChangeView.as_view(), name="phone_change"),
]
