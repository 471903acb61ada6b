"""What the suite needs to know about each demo's API: how to get a user signed in,
where its login endpoint is, and its main authenticated read endpoint."""

import json
from dataclasses import dataclass, field

from . import sociallogin
from .support import bearer, csrf_headers, http, shell, token_auth

# The main authenticated read endpoint of each demo (the load test's target).
READ_PATH = {
    "signals_demo": "/api/events/",
    "tokenauth_demo": "/demotoken/secure/",
    "jwt_demo": "/api/auth/me/",
    "auditlog_demo": "/api/notes/",
    "scheduler_demo": "/api/contacts/",
    "chat_demo": "/api/rooms/lobby/messages/",
    "sociallogin_demo": "/api/me/",
}

# (path, status of a wrong password) of each JSON endpoint that checks a password.
# sociallogin_demo has none of the suite's kind: its users sign in at a provider, and
# allauth's own pages and API (throttled by ACCOUNT_RATE_LIMITS, not by
# LOGIN_THROTTLE_RATE) check a local password; test_throttle.py says what applies.
LOGIN = {
    "signals_demo": ("/api/auth/login/", 400),
    "tokenauth_demo": ("/demotoken/login/", 400),
    "jwt_demo": ("/api/token/", 401),
    "auditlog_demo": ("/api/token/", 401),
    "scheduler_demo": ("/api/auth/token/", 400),
    # A password traded for a one-connection WebSocket ticket; the browser's session
    # comes from the login form instead (FORM_LOGIN).
    "chat_demo": ("/api/auth/ticket/", 400),
}
# chat_demo's browser login: Django's own LoginView, an HTML form.
FORM_LOGIN = "/login/"


@dataclass
class Account:
    username: str
    password: str
    headers: dict  # what authenticates a request
    tokens: dict = field(default_factory=dict)  # access / refresh / key / sessionid


def create_users(served, users, staff=False):
    """Create users directly in the database: [(username, password), ...]."""
    spec = json.dumps([[u, p] for u, p in users])
    shell(
        served,
        "import json\n"
        "from django.contrib.auth import get_user_model\n"
        "User = get_user_model()\n"
        f"for username, password in json.loads({spec!r}):\n"
        "    User.objects.create_user(username=username, email=f'{username}@example.com', password=password,"
        f" is_staff={staff!r})\n",
    )


def login_response(name, base_url, username, password, headers=None):
    path, _ = LOGIN[name]
    headers = dict(headers or {})
    if name == "signals_demo":  # a session login: CSRF-checked (login CSRF)
        headers = {**csrf_headers(base_url, path), **headers}
    return http.post(base_url + path, json={"username": username, "password": password}, headers=headers)


def form_login(base_url, username, password, headers=None):
    """chat_demo's login form, CSRF-checked like any Django form: a 302 that sets the
    session cookie, or a 200 that shows the form again."""
    csrf = csrf_headers(base_url, FORM_LOGIN)
    form = {"username": username, "password": password, "csrfmiddlewaretoken": csrf["X-CSRFToken"]}
    return http.post(base_url + FORM_LOGIN, data=form, headers={**csrf, **(headers or {})})


def session_account(username, password, response):
    sessionid = response.cookies["sessionid"]
    return Account(username, password, {"Cookie": f"sessionid={sessionid}"}, {"sessionid": sessionid})


def sign_in(name, base_url, username, password, headers=None):
    """Log an existing user in; returns an Account whose headers authenticate."""
    if name == "chat_demo":  # the API takes the browser's session only
        response = form_login(base_url, username, password, headers)
        assert response.status_code == 302, (name, response.status_code, response.text[:300])
        return session_account(username, password, response)
    response = login_response(name, base_url, username, password, headers)
    assert response.status_code == 200, (name, response.status_code, response.text)
    if name == "signals_demo":
        return session_account(username, password, response)
    body = response.json()
    if name in ("jwt_demo", "auditlog_demo"):
        tokens = {"access": body["access"], "refresh": body["refresh"]}
        return Account(username, password, bearer(tokens["access"]), tokens)
    return Account(username, password, token_auth(body["token"]), {"key": body["token"]})


def sign_up(name, served, username, password, headers=None):
    """A new user, through the demo's own sign-up API where it has one, then signed in.
    sociallogin_demo: a new account at its provider (the provider's shared password, not
    ``password``), whose ID token allauth's headless API trades for a SimpleJWT pair."""
    headers = headers or {}
    if name == "sociallogin_demo":
        return social_sign_up(served, username, headers)
    email = f"{username}@example.com"
    body = {"username": username, "password": password, "email": email}
    if name == "tokenauth_demo":
        response = http.post(served.url + "/demotoken/register/", json=body, headers=headers)
        assert response.status_code == 201, response.text
        key = response.json()["token"]
        return Account(username, password, token_auth(key), {"key": key})
    if name == "jwt_demo":
        response = http.post(served.url + "/api/auth/signup/", json=body, headers=headers)
        assert response.status_code == 201, response.text
        tokens = {"access": response.json()["access"], "refresh": response.json()["refresh"]}
        return Account(username, password, bearer(tokens["access"]), tokens)
    if name == "scheduler_demo":
        response = http.post(served.url + "/api/auth/signup/", json=body, headers=headers)
        assert response.status_code == 201, response.text
    else:  # signals_demo, auditlog_demo, chat_demo: no sign-up endpoint; signals_demo's feed is staff only
        create_users(served, [(username, password)], staff=name == "signals_demo")
    return sign_in(name, served.url, username, password, headers)


def social_sign_up(served, username, headers=None):
    """sociallogin_demo: a verified account at the provider, its ID token (as a mobile
    app's provider SDK gets one) traded at allauth's headless API for a SimpleJWT pair."""
    sociallogin.add_provider_user(served, username)
    id_token = sociallogin.native_id_token(served, username)
    body = sociallogin.token_login_body(served, id_token)
    response = http.post(served.url + sociallogin.TOKEN_LOGIN, json=body, headers=headers or {})
    assert response.status_code == 200, (response.status_code, response.text[:500])
    meta = response.json()["meta"]
    tokens = {"access": meta["access_token"], "refresh": meta["refresh_token"], "id_token": id_token}
    return Account(username, served.provider_password, bearer(tokens["access"]), tokens)
