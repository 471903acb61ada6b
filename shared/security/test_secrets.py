"""Secrets never leak: a scripted session per demo, then a search of everything.

Each demo is served with everything logged at DEBUG (Django, the demo, gunicorn's access
log; see support.VERBOSE_SETTINGS). The session signs up or is created, fails a login
with a wrong password, logs in, uses the API, changes the password and refreshes where
the demo can. Then the server output, any worker output, every table and column of the
database and every response except the ones that issued a secret are searched for every
password, token (a session key, chat_demo's WebSocket ticket) and password hash used (see
support.needles: a secret counts as leaked when any 12 characters of it show). Allowed: a
secret in the one place that stores it by design (the password hash in the user table,
DRF's token table, SimpleJWT's outstanding refresh tokens, the session table's key).
sociallogin_demo's session goes through its provider, served beside it: the provider's
password, the site's client secret and the provider's ID token count as secrets too.
"""

from dataclasses import dataclass, field

import pytest

from . import sociallogin
from .api import FORM_LOGIN, LOGIN, READ_PATH
from .support import (
    NO_THROTTLE,
    Client,
    bearer,
    password,
    same_origin,
    search,
    search_sqlite,
    serve,
    sqlite_path,
    start_worker,
    stop_worker,
    token_auth,
    wait_until,
)


@dataclass
class Session:
    client: Client
    secrets: dict = field(default_factory=dict)  # label -> value
    stored: set = field(default_factory=set)  # (table, column, label) that hold a secret by design
    output: list = field(default_factory=list)  # other printed output (a worker's)

    def add(self, label, value, stored_in=None):
        self.secrets[label] = value
        if stored_in:
            self.stored.add((*stored_in, label))
        return value

    def expect(self, response, status):
        assert response.status_code == status, (response.request.method, response.url, response.text[:300])
        return response


def signals_session(served, session, username, secret):
    c = session.client
    login, _ = LOGIN["signals_demo"]
    session.expect(c.get(login), 200)  # the CSRF cookie: login checks CSRF
    csrf = {"X-CSRFToken": c.session.cookies["csrftoken"], **same_origin(served.url)}
    wrong = {"username": username, "password": session.add("wrong", password())}
    session.expect(c.post(login, json=wrong, headers=csrf), 400)
    right = {"username": username, "password": secret}
    response = session.expect(c.post(login, json=right, headers=csrf, issues={"sessionid"}), 200)
    session.add("sessionid", response.cookies["sessionid"], ("django_session", "session_key"))
    csrf["X-CSRFToken"] = c.session.cookies["csrftoken"]  # login rotates the token
    student = {"name": "Ravi", "age": 23, "mobileno": "+91 98765 43210"}
    session.expect(c.post("/api/students/", json=student, headers=csrf), 201)
    session.expect(c.get("/api/students/"), 200)
    session.expect(c.get(READ_PATH["signals_demo"]), 200)  # staff: the feed is theirs
    session.expect(c.post("/api/auth/logout/", headers=csrf), 204)
    session.expect(c.get(READ_PATH["signals_demo"]), 403)  # logged out: not any more


def tokenauth_session(served, session, username, secret):
    c = session.client
    stored = ("authtoken_token", "key")
    body = {"username": username, "password": secret, "email": f"{username}@example.com"}
    key1 = session.expect(c.post("/demotoken/register/", json=body, issues={"key1"}), 201).json()["token"]
    session.add("key1", key1, stored)
    wrong = {"username": username, "password": session.add("wrong", password())}
    session.expect(c.post("/demotoken/login/", json=wrong), 400)
    right = {"username": username, "password": secret}
    assert session.expect(c.post("/demotoken/login/", json=right, issues={"key1"}), 200).json()["token"] == key1
    session.expect(c.get("/demotoken/secure/", headers=token_auth(key1)), 200)
    session.expect(c.post("/demotoken/secure/", headers=token_auth(key1)), 200)
    session.expect(c.post("/demotoken/logout/", headers=token_auth(key1)), 204)
    session.expect(c.get("/demotoken/secure/", headers=token_auth(key1)), 401)
    key2 = session.expect(c.post("/demotoken/login/", json=right, issues={"key2"}), 200).json()["token"]
    session.add("key2", key2, stored)
    session.expect(c.get("/demotoken/secure/", headers=token_auth(key2)), 200)


def jwt_session(served, session, username, secret):
    c = session.client
    stored = ("token_blacklist_outstandingtoken", "token")

    def pair(response, n):
        session.add(f"access{n}", response.json()["access"])
        session.add(f"refresh{n}", response.json()["refresh"], stored)
        return response.json()["access"], response.json()["refresh"]

    body = {"username": username, "email": f"{username}@example.com", "password": secret}
    pair(session.expect(c.post("/api/auth/signup/", json=body, issues={"access0", "refresh0"}), 201), 0)
    wrong = {"username": username, "password": session.add("wrong", password())}
    session.expect(c.post("/api/token/", json=wrong), 401)
    access1, refresh1 = pair(
        session.expect(
            c.post("/api/token/", json={"username": username, "password": secret}, issues={"access1", "refresh1"}),
            200,
        ),
        1,
    )
    by_email = {"email": f"{username}@example.com", "password": secret}
    pair(session.expect(c.post("/api/token/", json=by_email, issues={"access2", "refresh2"}), 200), 2)
    session.expect(c.get("/api/auth/me/", headers=bearer(access1)), 200)
    session.expect(c.post("/api/token/verify/", json={"token": access1}), 200)
    refreshed = c.post("/api/token/refresh/", json={"refresh": refresh1}, issues={"access3", "refresh3"})
    access3, _ = pair(session.expect(refreshed, 200), 3)
    session.expect(c.post("/api/token/refresh/", json={"refresh": refresh1}), 401)  # rotated: reuse refused
    new_secret = session.add("new password", password())
    change = {"old_password": secret, "new_password": new_secret}
    session.expect(c.post("/api/auth/password/change/", json=change, headers=bearer(access3)), 204)
    session.expect(c.get("/api/auth/me/", headers=bearer(access3)), 401)
    again = {"username": username, "password": new_secret}
    access4, refresh4 = pair(session.expect(c.post("/api/token/", json=again, issues={"access4", "refresh4"}), 200), 4)
    email = {"email": f"{username}@example.org", "password": new_secret}
    session.expect(c.request("PATCH", "/api/auth/email/", json=email, headers=bearer(access4)), 200)
    session.expect(c.post("/api/token/blacklist/", json={"refresh": refresh4}), 200)
    session.expect(c.get("/api/auth/me/", headers=bearer(access4)), 401)


def auditlog_session(served, session, username, secret):
    # No sign-up or password-change endpoint: the user is serve_demo's superuser (staff,
    # so the same session also reads the hit log and the audit history).
    c = session.client
    wrong = {"username": username, "password": session.add("wrong", password())}
    session.expect(c.post("/api/token/", json=wrong), 401)
    tokens = session.expect(
        c.post("/api/token/", json={"username": username, "password": secret}, issues={"access1", "refresh1"}), 200
    ).json()
    access1 = session.add("access1", tokens["access"])
    session.add("refresh1", tokens["refresh"])
    auth = bearer(access1)
    note = {"title": "Groceries", "body": "milk", "tags": ["home", "todo"]}
    note_id = session.expect(c.post("/api/notes/", json=note, headers=auth), 201).json()["id"]
    session.expect(c.request("PATCH", f"/api/notes/{note_id}/", json={"tags": ["home"]}, headers=auth), 200)
    session.expect(c.get("/api/notes/", headers=auth), 200)
    refreshed = c.post("/api/token/refresh/", json={"refresh": tokens["refresh"]}, issues={"access2"})
    access2 = session.add("access2", session.expect(refreshed, 200).json()["access"])
    auth = bearer(access2)
    session.expect(c.get(f"/api/notes/{note_id}/history/", headers=auth), 200)
    session.expect(c.request("DELETE", f"/api/notes/{note_id}/", headers=auth), 204)
    session.expect(c.get("/api/notes/", headers={"Authorization": "Bearer not.a.jwt"}), 401)
    session.expect(c.get("/api/hits/?limit=1000", headers=auth), 200)
    me = c.get("/api/users/1/history/", headers=auth)
    session.expect(me, 200)


def scheduler_session(served, session, username, secret):
    c = session.client
    body = {"username": username, "password": secret, "email": f"{username}@example.com"}
    session.expect(c.post("/api/auth/signup/", json=body), 201)
    wrong = {"username": username, "password": session.add("wrong", password())}
    session.expect(c.post("/api/auth/token/", json=wrong), 400)
    right = {"username": username, "password": secret}
    key = session.expect(c.post("/api/auth/token/", json=right, issues={"key"}), 200).json()["token"]
    session.add("key", key, ("authtoken_token", "key"))
    auth = token_auth(key)
    contacts = [
        {"name": "Bob Stone", "phone": "+44 7700 900123"},
        {"name": "Carol King", "email": "carol@example.com"},
        {"name": "no contact"},
    ]
    import_id = session.expect(c.request("PUT", "/api/contacts/import/", json=contacts, headers=auth), 202).json()[
        "import_id"
    ]
    worker = start_worker(served, "--sleep", "0.2")
    try:
        wait_until(
            lambda: c.get(f"/api/contacts/imports/{import_id}/", headers=auth).json()["status"] == "done",
            timeout=60,
            message="the worker to finish the import",
        )
    finally:
        session.output.append(stop_worker(worker))
    session.expect(c.get("/api/contacts/", headers=auth), 200)
    session.expect(c.post("/api/contacts/invite/", json={"invite_all": True}, headers=auth), 200)
    carol = {"username": "carol", "password": session.add("carol's password", password()), "email": "carol@example.com"}
    session.expect(c.post("/api/auth/signup/", json=carol), 201)
    session.expect(c.get("/api/contacts/", headers=auth), 200)


def chat_session(served, session, username, secret):
    # No sign-up endpoint: the user is serve_demo's superuser. A script trades the password
    # for a ticket (only its hash is stored); the browser logs in with Django's form.
    c = session.client
    ticket, _ = LOGIN["chat_demo"]
    wrong = {"username": username, "password": session.add("wrong", password())}
    session.expect(c.post(ticket, json=wrong), 400)
    right = {"username": username, "password": secret}
    response = session.expect(c.post(ticket, json=right, issues={"ticket"}), 201)
    session.add("ticket", response.json()["ticket"])
    session.expect(c.get(FORM_LOGIN), 200)  # the CSRF cookie: the form checks CSRF
    origin = same_origin(served.url)
    form = {"username": username, "password": session.add("wrong at the form", password())}
    form["csrfmiddlewaretoken"] = c.session.cookies["csrftoken"]
    session.expect(c.post(FORM_LOGIN, data=form, headers=origin), 200)  # the form again, no session
    form["password"] = secret
    response = session.expect(c.post(FORM_LOGIN, data=form, headers=origin, issues={"sessionid"}), 302)
    sessionid = session.add("sessionid", response.cookies["sessionid"], ("django_session", "session_key"))
    session.expect(c.get(READ_PATH["chat_demo"]), 200)
    session.expect(c.get(READ_PATH["chat_demo"] + "?after=0"), 200)
    logout = {"csrfmiddlewaretoken": c.session.cookies["csrftoken"]}  # login rotates the token
    session.expect(c.post("/logout/", data=logout, headers=origin), 302)
    # Logout deletes the session: the old cookie, sent again, opens nothing.
    session.expect(c.get(READ_PATH["chat_demo"], cookies={"sessionid": sessionid}), 403)


def sociallogin_session(served, session, username, secret):
    # The local account is serve_demo's superuser: a wrong password at allauth's login
    # form. Then a browser signs in through the provider (alice) and a mobile app trades
    # the provider's ID token (carol's) for a SimpleJWT pair, uses it and refreshes it.
    c = session.client
    session.add("provider password", served.provider_password)  # every provider user's
    session.add("client secret", served.client_secret)  # the site's, at the provider
    session.expect(c.get("/accounts/login/"), 200)  # the CSRF cookie: the form checks CSRF
    origin = same_origin(served.url)
    form = {"login": f"{username}@example.com", "password": session.add("wrong", password())}
    form["csrfmiddlewaretoken"] = c.session.cookies["csrftoken"]
    wrong = session.expect(c.post("/accounts/login/", data=form, headers=origin), 200)  # the form again
    assert "sessionid" not in wrong.cookies
    profile = sociallogin.browser_sign_in(c, served, "alice", callback_issues={"sessionid"})
    assert "Signed in as alice@example.com" in session.expect(profile, 200).text
    session.add("sessionid", c.session.cookies["sessionid"], ("django_session", "session_key"))
    session.expect(c.get("/api/me/"), 401)  # the browser's session is not the API's credential

    id_token = session.add("ID token", sociallogin.native_id_token(served, "carol"))
    issued = {"access1", "refresh1", "session token"}
    login = c.post(sociallogin.TOKEN_LOGIN, json=sociallogin.token_login_body(served, id_token), issues=issued)
    meta = session.expect(login, 200).json()["meta"]
    outstanding = ("token_blacklist_outstandingtoken", "token")  # SimpleJWT's list, for the sign-out
    access1 = session.add("access1", meta["access_token"])
    refresh1 = session.add("refresh1", meta["refresh_token"], outstanding)
    if "session_token" in meta:  # allauth's own, for the sign-in steps: a session key
        session.add("session token", meta["session_token"], ("django_session", "session_key"))
    assert session.expect(c.get(READ_PATH["sociallogin_demo"], headers=bearer(access1)), 200).json()["email"] == (
        "carol@example.com"
    )
    refreshed = c.post(sociallogin.REFRESH_PATH, json={"refresh_token": refresh1}, issues={"access2", "refresh2"})
    data = session.expect(refreshed, 200).json()["data"]
    access2 = session.add("access2", data["access_token"])
    refresh2 = refresh1
    if "refresh_token" in data:  # rotated
        refresh2 = session.add("refresh2", data["refresh_token"], outstanding)
    session.expect(c.get(READ_PATH["sociallogin_demo"], headers=bearer(access2)), 200)
    session.expect(c.post(sociallogin.REFRESH_PATH, json={"refresh_token": access2}), 400)  # not a refresh token
    session.expect(c.post("/api/auth/logout/", json={"refresh": refresh2}), 200)  # the app signs out
    session.expect(c.post(sociallogin.REFRESH_PATH, json={"refresh_token": refresh2}), 400)  # blacklisted


SCRIPTS = {
    "signals_demo": signals_session,
    "tokenauth_demo": tokenauth_session,
    "jwt_demo": jwt_session,
    "auditlog_demo": auditlog_session,
    "scheduler_demo": scheduler_session,
    "chat_demo": chat_session,
    "sociallogin_demo": sociallogin_session,
}
# No sign-up endpoint: serve_demo creates the user (sociallogin_demo's local account).
NO_SIGN_UP = ("signals_demo", "auditlog_demo", "chat_demo", "sociallogin_demo")


def password_hashes(path):
    """Every user's password hash, read from the database file (label -> hash)."""
    import sqlite3

    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        table = next(
            name
            for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if name in ("auth_user", "accounts_user")
        )
        rows = connection.execute(f'SELECT username, password FROM "{table}"').fetchall()  # noqa: S608
    finally:
        connection.close()
    return table, {f"hash of {username}": hashed for username, hashed in rows}


@pytest.mark.parametrize("demo", list(SCRIPTS))
def test_a_whole_session_leaks_no_password_or_token(demo):
    username, secret = "leaktester", password()
    superuser = (username, secret) if demo in NO_SIGN_UP else None
    with serve(demo, verbose=True, env=NO_THROTTLE, superuser=superuser) as served:
        session = Session(Client(served.url))
        session.add("password", secret)
        SCRIPTS[demo](served, session, username, secret)
        log = served.log_text()
        database = sqlite_path(served)
        user_table, hashes = password_hashes(database)
        for label, hashed in hashes.items():
            session.add(label, hashed, (user_table, "password"))

        # The logging really was on: gunicorn's access log and django.request's warnings.
        assert f'"GET {READ_PATH[demo]}' in log or '"PUT /api/contacts/import/' in log, log[-2000:]
        assert "WARNING django.request" in log, log[-2000:]
        assert "Traceback" not in log, log[-3000:]

        leaks = {}
        for where, text in [("server output", log), *(("worker output", out) for out in session.output)]:
            if found := search(text, session.secrets):
                leaks[where] = sorted(found)
        for exchange in session.client.exchanges:
            if found := search(exchange.everything(), session.secrets) - exchange.issued:
                leaks[f"response to {exchange.method} {exchange.path} ({exchange.status})"] = sorted(found)
        if stored := search_sqlite(database, session.secrets, allowed=session.stored):
            leaks["database"] = stored
        assert not leaks, leaks
        assert len(session.client.exchanges) >= 7  # the script really ran


def test_the_search_finds_a_planted_secret_anywhere(tmp_path):
    # The searches above must be able to fail: plant secrets the ways a leak would look.
    import sqlite3

    key, jwt_token = "0123456789abcdef0123456789abcdef01234567", "eyJhbGciOi.eyJ1c2VyX2lkIjoxfQ.c2lnbmF0dXJlLXBhcnQ"
    secrets = {"password": "k6tuuNCWIKkya4t41ZpeBhiM", "key": key, "jwt": jwt_token}
    assert search("login failed for password=k6tuuNCWIKkya4t41ZpeBhiM", secrets) == {"password"}
    assert search(f"token {key[:12]}…", secrets) == {"key"}  # 12 characters are too many
    assert search(f"token {key[:4]}…", secrets) == set()  # 4 characters are fine
    assert search("signature c2lnbmF0dXJlLXBhcnQ", secrets) == {"jwt"}
    path = tmp_path / "db.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE tokens (id INTEGER, key TEXT, note BLOB)")
        connection.execute("INSERT INTO tokens VALUES (1, ?, ?)", (key, b"pw k6tuuNCWIKkya4t41ZpeBhiM"))
    connection.close()
    assert search_sqlite(path, secrets) == [("tokens", "key", "key"), ("tokens", "note", "password")]
    assert search_sqlite(path, secrets, allowed={("tokens", "key", "key")}) == [("tokens", "note", "password")]
