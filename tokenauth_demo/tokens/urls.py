from django.urls import path

from . import views

app_name = "tokens"


def endpoint(route, view, name):
    # Also answer without the trailing slash. Otherwise APPEND_SLASH turns a slash-less
    # POST into a redirect that drops the body or, with DEBUG on, a RuntimeError (500).
    view = view.as_view()
    return [path(f"{route}/", view, name=name), path(route, view)]


urlpatterns = [
    *endpoint("register", views.RegisterView, "register"),
    *endpoint("login", views.LoginView, "login"),
    *endpoint("secure", views.SecureView, "secure"),
    *endpoint("logout", views.LogoutView, "logout"),
    # Pitfall 2's fix: the secure page with two authentication classes, the token first.
    # (The trap, session first, is routed only in the tests: tests/trap_urls.py.)
    *endpoint("pitfalls/token-first", views.TokenFirstSecureView, "token-first"),
]
