"""``python manage.py tour``: the JWT flow step by step, with the signals it sends.

Log in, a wrong password, me, verify, refresh (rotation), log out (stock SimpleJWT vs.
this demo, and a cache that forgets), change the password (through the API and in the
shell), flush expired tokens; last, the account API (sign up, log in by email and by
phone). Every step checks its own outcome; tokens are only ever shown masked. Each run
makes new users (and touches only their tokens), so it runs again on the same database.
"""

import json
import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import caches
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient, APIRequestFactory
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

import jwt_auth.signals as signals
from accounts.phone import normalize_phone
from config.plumbing.tour import Tour, mask

PASSWORD = "tour password 2024!"
NEW_PASSWORD = "a brand new tour password 2025!"
SHELL_PASSWORD = "set in the shell, tour password 2026!"

# The signals the tour prints, connected with the sender constants (pitfall 9).
HEARD_SIGNALS = [
    (signals.jwt_logged_in, signals.LOGIN_SENDER),
    (signals.jwt_login_fail, signals.LOGIN_SENDER),
    (signals.jwt_blacklisted, signals.BLACKLIST_SENDER),
    (signals.jwt_token_validated, signals.VALIDATE_SENDER),
    (signals.jwt_access_refreshed, signals.REFRESH_ACCESS_SENDER),
    (signals.jwt_refresh_updated, signals.UPDATE_REFRESH_SENDER),
    (user_logged_in, None),
    (user_login_failed, None),
]


class Command(Tour):
    help = "A guided walkthrough of JWT login, rotation, logout and revocation (fresh database)."
    title = "jwt_demo: obtain, rotate, blacklist and revoke JWTs, with the signals each step sends."

    def steps(self):
        return [
            self.log_in,
            self.wrong_password,
            self.who_am_i,
            self.verify,
            self.refresh,
            self.log_out,
            self.after_logout,
            self.change_password,
            self.changed_in_the_shell,
            self.flush,
            self.account_api,
        ]

    def handle(self, *args, **options):
        call_command("migrate", verbosity=0)
        self.heard = []
        # A fresh client address per run: the login throttle counts per address, and a
        # shared cache (Redis) would otherwise remember earlier runs.
        self.client = APIClient(REMOTE_ADDR=f"127.0.{secrets.randbelow(250)}.{secrets.randbelow(250) + 1}")
        self.name, self.phone = new_identity()
        get_user_model().objects.create_user(self.name, f"{self.name}@example.com", PASSWORD, phone=self.phone)
        for signal, sender in HEARD_SIGNALS:
            signal.connect(self.hear, sender=sender)
        try:
            super().handle(*args, **options)
        finally:
            for signal, sender in HEARD_SIGNALS:
                signal.disconnect(self.hear, sender=sender)

    def hear(self, sender, signal, **kwargs):
        self.heard.append(f"{signal_name(signal)}(sender={getattr(sender, '__name__', sender)!r}, {describe(kwargs)})")

    def call(self, method, path, body=None, access=None, status=200):
        """One request, checked (``expect``) to answer ``status``. Prints the signals it sent."""
        self.heard.clear()
        headers = {"HTTP_AUTHORIZATION": f"Bearer {access}"} if access else {}
        response = getattr(self.client, method)(path, body, format="json", **headers)
        claim = f"{method.upper()} {path} -> {status}"
        got = response.status_code
        self.expect(got == status, claim if got == status else f"{claim} (it answered {got})")
        for line in self.heard:
            self.say(f"    -> {line}")
        return response.json() if response.content else None

    def log_in(self):
        self.step("Log in: POST /api/token/ {username, password}", "A pair: a short access token, a refresh token.")
        self.pair = self.call("post", "/api/token/", {"username": self.name, "password": PASSWORD})
        self.say(f"  tokens: access={mask(self.pair['access'])} refresh={mask(self.pair['refresh'])}")
        self.expect(self.pair["access"] != self.pair["refresh"], "two different tokens: an access and a refresh")
        self.say("  user_logged_in is this demo's addition: stock SimpleJWT never sends it.")

    def wrong_password(self):
        self.step("A wrong password: 401", "Both failure signals: djwto's jwt_login_fail and Django's.")
        self.call("post", "/api/token/", {"username": self.name, "password": "not it"}, status=401)

    def who_am_i(self):
        self.step("Who am I? GET /api/auth/me/ with the access token")
        me = self.call("get", "/api/auth/me/", access=self.pair["access"])
        self.say(f"  {profile(me)}")
        self.expect(me["username"] == self.name, f"the token names {self.name}")

    def verify(self):
        self.step("Verify the access token: POST /api/token/verify/")
        self.call("post", "/api/token/verify/", {"token": self.pair["access"]})

    def refresh(self):
        self.step("Refresh: a new access token AND a new refresh token (rotation)")
        old, self.pair = self.pair, self.call("post", "/api/token/refresh/", {"refresh": self.pair["refresh"]})
        self.say(f"  new tokens: access={mask(self.pair['access'])} refresh={mask(self.pair['refresh'])}")
        self.expect(self.pair["refresh"] != old["refresh"], "the refresh token is a new one (rotated)")
        self.say("  The old refresh token is now blacklisted; using it again:")
        self.call("post", "/api/token/refresh/", {"refresh": old["refresh"]}, status=401)

    def log_out(self):
        self.step("Log out: POST /api/token/blacklist/ {refresh}")
        self.call("post", "/api/token/blacklist/", {"refresh": self.pair["refresh"]})
        self.say("  The same refresh token again:")
        self.call("post", "/api/token/blacklist/", {"refresh": self.pair["refresh"]}, status=401)

    def after_logout(self):
        self.step("After logout, is the access token dead? (pitfalls 1 and 7)")
        request = APIRequestFactory().get("/", HTTP_AUTHORIZATION=f"Bearer {self.pair['access']}")
        stock = JWTAuthentication().authenticate(request)
        self.expect(stock is not None, "stock SimpleJWT JWTAuthentication still accepts it (signature, exp, user)")
        self.say("  This demo's RevocationAwareJWTAuthentication (the revocation table, mirrored in memory):")
        self.call("get", "/api/auth/me/", access=self.pair["access"], status=401)
        for alias in caches:
            caches[alias].clear()
        self.say("  Every cache cleared (the tour's own choice; a cache may forget at any time):")
        self.call("get", "/api/auth/me/", access=self.pair["access"], status=401)

    def change_password(self):
        self.step("Change the password: every session ends (pitfall 4)")
        laptop = self.call("post", "/api/token/", {"username": self.name, "password": PASSWORD})
        phone = self.call("post", "/api/token/", {"username": self.name, "password": PASSWORD})
        change = {"old_password": PASSWORD, "new_password": NEW_PASSWORD}
        self.call("post", "/api/auth/password/change/", change, access=laptop["access"], status=204)
        self.say("  The other session's tokens:")
        self.call("get", "/api/auth/me/", access=phone["access"], status=401)
        self.call("post", "/api/token/refresh/", {"refresh": phone["refresh"]}, status=401)
        self.say("  The new password works:")
        self.call("post", "/api/token/", {"username": self.name, "password": NEW_PASSWORD})

    def changed_in_the_shell(self):
        self.step("A password set in the shell or the admin: old tokens die too")
        pair = self.call("post", "/api/token/", {"username": self.name, "password": NEW_PASSWORD})
        user = get_user_model().objects.get(username=self.name)
        user.set_password(SHELL_PASSWORD)  # what the admin or `manage.py shell` does
        user.save()
        self.say("  user.set_password(...); user.save() -- no API call, nothing blacklisted.")
        self.say("  verify, me and refresh give the same answer (the save wrote the user's cutoff):")
        self.call("post", "/api/token/verify/", {"token": pair["access"]}, status=401)
        self.call("get", "/api/auth/me/", access=pair["access"], status=401)
        self.call("post", "/api/token/refresh/", {"refresh": pair["refresh"]}, status=401)

    def flush(self):
        self.step("Flush expired tokens: manage.py flushexpiredtokens (pitfall 3)")
        tokens = OutstandingToken.objects.filter(user__username=self.name)
        total = tokens.count()
        self.say(f"  {self.name}'s token rows: {total}, kept forever unless something deletes them")
        newest = tokens.latest("created_at")
        # Pretend a day has passed for every token of this user but the newest one.
        tokens.exclude(pk=newest.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
        self.say(f"  (the tour backdates {total - 1} of them so that they are expired)")
        call_command("flushexpiredtokens")
        self.expect(tokens.count() == 1, "after flushexpiredtokens one live token is left (expired revocations go too)")
        self.say("  Run it daily: cron, or a scheduler calling jwt_auth.services.flush_expired_tokens.")

    def account_api(self):
        self.step("The account API (secondary): sign up, then log in by email and by phone")
        name, phone = new_identity()
        body = {"username": name, "email": f"{name.title()}@Example.com", "phone": phone, "password": PASSWORD}
        signup = self.call("post", "/api/auth/signup/", body, status=201)
        self.say(f"  user: {profile(signup['user'])}")
        self.expect(signup["user"]["email"] == f"{name}@example.com", "the email is stored lower-cased")
        self.expect(signup["user"]["phone"] == phone, "the phone is stored in E.164")
        self.expect({"access", "refresh"} <= signup.keys(), "a sign-up hands out tokens: it is a login")
        self.call("post", "/api/token/", {"email": f"{name}@example.com", "password": PASSWORD})
        self.call("post", "/api/token/", {"phone": phone, "password": PASSWORD})


def signal_name(signal):
    names = {user_logged_in: "user_logged_in (Django)", user_login_failed: "user_login_failed (Django)"}
    return names.get(signal) or next(name for name, value in vars(signals).items() if value is signal)


def profile(user):
    return ", ".join(f"{field}={user[field]}" for field in ("id", "username", "email", "phone"))


def new_identity():
    """A username and a phone number no earlier run has used."""
    users = get_user_model().objects
    while True:
        name = f"alice-{secrets.token_hex(3)}"
        phone = normalize_phone(f"+1 415 555 {secrets.randbelow(9000) + 1000}")
        if not users.filter(username=name).exists() and not users.filter(phone=phone).exists():
            return name, phone


def describe(kwargs):
    """A signal's kwargs, short and safe: names only (the request line is above it; claims
    and credentials are never printed), a jti masked."""
    parts = []
    for key, value in kwargs.items():
        if key == "jti":
            parts.append(f"jti={mask(value)}")
        elif key == "user":
            parts.append(f"user={value.username}")
        elif key == "error":
            parts.append(f"error={{{', '.join(json.loads(value))}}}")
        else:
            parts.append(key)
    return ", ".join(parts)
