"""``python manage.py tour``: the JWT flow step by step, with the signals it sends.

Sign up (a login), log in (by email, by phone, with a wrong password), me, verify,
refresh (rotation), log out (stock SimpleJWT vs. this demo, and a cache that forgets),
change the password (through the API and in the shell), flush expired tokens. Every step
checks its own outcome; tokens are only ever shown as ``abcd…``. Each run signs up a new
user (and touches only that user's tokens), so it runs again on the same database.
"""

import json
import logging
import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import caches
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from rest_framework.test import APIClient, APIRequestFactory
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

import jwt_auth.signals as signals
from accounts.phone import normalize_phone

PASSWORD = "tour password 2024!"
NEW_PASSWORD = "a brand new tour password 2025!"
SHELL_PASSWORD = "set in the shell, tour password 2026!"


def short(token):
    """Never print a token: its first 4 characters are enough to tell two apart."""
    return f"{token[:4]}…"


class Command(BaseCommand):
    help = "A guided walkthrough of JWT login, rotation, logout and revocation (fresh database)."

    def handle(self, *args, **options):
        call_command("migrate", verbosity=0)
        self.heard = []
        self.connect_signal_handlers()
        # A fresh client address per run: the login throttle counts per address, and a
        # shared cache (Redis) would otherwise remember earlier runs.
        self.client = APIClient(REMOTE_ADDR=f"127.0.{secrets.randbelow(250)}.{secrets.randbelow(250) + 1}")
        self.number = 0
        # The 401s below are expected: keep Django's "Unauthorized: ..." warnings quiet.
        request_logger = logging.getLogger("django.request")
        level = request_logger.level
        request_logger.setLevel(logging.ERROR)
        try:
            self.walk()
        finally:
            request_logger.setLevel(level)
            self.disconnect_signal_handlers()
        self.stdout.write(self.style.SUCCESS("\nTour finished: every step did what it said."))

    # --- signals: connected with the sender constants (pitfall 9) ---------------------------
    def connect_signal_handlers(self):
        self.connections = [
            (signals.jwt_logged_in, signals.LOGIN_SENDER),
            (signals.jwt_login_fail, signals.LOGIN_SENDER),
            (signals.jwt_blacklisted, signals.BLACKLIST_SENDER),
            (signals.jwt_token_validated, signals.VALIDATE_SENDER),
            (signals.jwt_access_refreshed, signals.REFRESH_ACCESS_SENDER),
            (signals.jwt_refresh_updated, signals.UPDATE_REFRESH_SENDER),
            (user_logged_in, None),
            (user_login_failed, None),
        ]
        names = {signal: name for name, signal in vars(signals).items() if isinstance(signal, type(user_logged_in))}
        names |= {user_logged_in: "user_logged_in (Django)", user_login_failed: "user_login_failed (Django)"}

        def handler(sender, signal, **kwargs):
            self.heard.append(f"{names[signal]}(sender={getattr(sender, '__name__', sender)!r}, {describe(kwargs)})")

        self.handler = handler
        for signal, sender in self.connections:
            signal.connect(handler, sender=sender)

    def disconnect_signal_handlers(self):
        for signal, sender in self.connections:
            signal.disconnect(self.handler, sender=sender)

    # --- helpers ----------------------------------------------------------------------------
    def step(self, title):
        self.number += 1
        self.heard.clear()
        self.stdout.write(self.style.MIGRATE_HEADING(f"\n{self.number}. {title}"))

    def say(self, text):
        self.stdout.write(f"   {text}")

    def call(self, method, path, body=None, access=None, expect=200):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {access}"} if access else {}
        response = getattr(self.client, method)(path, body, format="json", **headers)
        self.say(f"{method.upper()} {path} -> {response.status_code}")
        if response.status_code != expect:
            raise CommandError(f"{method.upper()} {path}: expected {expect}, got {response.status_code}")
        for line in self.heard:
            self.say(f"-> {line}")
        self.heard.clear()
        return response.json() if response.content else None

    # --- the walk ---------------------------------------------------------------------------
    def walk(self):
        name, phone = new_identity()
        self.step("Sign up: POST /api/auth/signup/ -- it hands out tokens, so it is a login")
        body = {"username": name, "email": f"{name.title()}@Example.com", "phone": phone, "password": PASSWORD}
        signup = self.call("post", "/api/auth/signup/", body, expect=201)
        self.say(f"user: {profile(signup['user'])}")
        self.say("(email lower-cased, phone stored in E.164)")

        self.step("Log in by email, then by phone: POST /api/token/")
        self.call("post", "/api/token/", {"email": f"{name}@example.com", "password": PASSWORD})
        pair = self.call("post", "/api/token/", {"phone": phone, "password": PASSWORD})
        self.say(f"tokens: access={short(pair['access'])} refresh={short(pair['refresh'])}")
        self.say("user_logged_in is this demo's addition: stock SimpleJWT never sends it.")

        self.step("A wrong password: 401, and both failure signals")
        self.call("post", "/api/token/", {"username": name, "password": "not it"}, expect=401)

        self.step("Who am I? GET /api/auth/me/ with the access token")
        self.say(profile(self.call("get", "/api/auth/me/", access=pair["access"])))

        self.step("Verify the access token: POST /api/token/verify/")
        self.call("post", "/api/token/verify/", {"token": pair["access"]})

        self.step("Refresh: a new access token AND a new refresh token (rotation)")
        rotated = self.call("post", "/api/token/refresh/", {"refresh": pair["refresh"]})
        self.say(f"new tokens: access={short(rotated['access'])} refresh={short(rotated['refresh'])}")
        self.say("The old refresh token is now blacklisted; using it again:")
        self.call("post", "/api/token/refresh/", {"refresh": pair["refresh"]}, expect=401)

        self.step("Log out: POST /api/token/blacklist/ {refresh}")
        self.call("post", "/api/token/blacklist/", {"refresh": rotated["refresh"]})
        self.say("The same refresh token again:")
        self.call("post", "/api/token/blacklist/", {"refresh": rotated["refresh"]}, expect=401)
        self.after_logout(rotated["access"])

        self.step("Change the password: every session ends (pitfall 4)")
        new_password = self.change_password(name)

        self.step("A password set in the shell or the admin: old tokens die too")
        self.changed_in_the_shell(name, new_password)

        self.step("Flush expired tokens: manage.py flushexpiredtokens (pitfall 3)")
        self.flush(name)

    def after_logout(self, access):
        self.step("After logout, is the access token dead? (pitfalls 1 and 7)")
        request = APIRequestFactory().get("/", HTTP_AUTHORIZATION=f"Bearer {access}")
        if JWTAuthentication().authenticate(request) is None:
            raise CommandError("stock JWTAuthentication was expected to accept the access token")
        self.say("Stock SimpleJWT JWTAuthentication: still accepted (signature, exp, user only).")
        self.say("This demo's RevocationAwareJWTAuthentication (the revocation table):")
        self.call("get", "/api/auth/me/", access=access, expect=401)
        for alias in caches:
            caches[alias].clear()
        self.say("Every cache cleared (the tour's own choice; a cache may forget at any time):")
        self.call("get", "/api/auth/me/", access=access, expect=401)

    def change_password(self, name):
        laptop = self.call("post", "/api/token/", {"username": name, "password": PASSWORD})
        phone = self.call("post", "/api/token/", {"username": name, "password": PASSWORD})
        change = {"old_password": PASSWORD, "new_password": NEW_PASSWORD}
        self.call("post", "/api/auth/password/change/", change, access=laptop["access"], expect=204)
        self.say("The other session's tokens:")
        self.call("get", "/api/auth/me/", access=phone["access"], expect=401)
        self.call("post", "/api/token/refresh/", {"refresh": phone["refresh"]}, expect=401)
        self.say("The new password works:")
        self.call("post", "/api/token/", {"username": name, "password": NEW_PASSWORD})
        return NEW_PASSWORD

    def changed_in_the_shell(self, name, password):
        pair = self.call("post", "/api/token/", {"username": name, "password": password})
        user = get_user_model().objects.get(username=name)
        user.set_password(SHELL_PASSWORD)  # what the admin or `manage.py shell` does
        user.save()
        self.say("user.set_password(...); user.save() -- no API call, nothing blacklisted.")
        self.say("verify, me and refresh give the same answer (CHECK_REVOKE_TOKEN):")
        self.call("post", "/api/token/verify/", {"token": pair["access"]}, expect=401)
        self.call("get", "/api/auth/me/", access=pair["access"], expect=401)
        self.call("post", "/api/token/refresh/", {"refresh": pair["refresh"]}, expect=401)

    def flush(self, name):
        tokens = OutstandingToken.objects.filter(user__username=name)
        total = tokens.count()
        self.say(f"{name}'s token rows: {total}, kept forever unless something deletes them")
        newest = tokens.latest("created_at")
        # Pretend a day has passed for every token of this user but the newest one.
        tokens.exclude(pk=newest.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
        self.say(f"(the tour backdates {total - 1} of them so that they are expired)")
        call_command("flushexpiredtokens")
        left = tokens.count()
        self.say(f"after flushexpiredtokens: {left} left (expired revocations go too)")
        if left != 1:
            raise CommandError(f"expected 1 live token after the flush, found {left}")
        self.say("Run it daily: cron, or a scheduler calling jwt_auth.services.flush_expired_tokens.")


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
    and credentials are never printed), a jti as its first 4 characters."""
    parts = []
    for key, value in kwargs.items():
        if key == "jti":
            parts.append(f"jti={short(value)}")
        elif key == "user":
            parts.append(f"user={value.username}")
        elif key == "error":
            parts.append(f"error={{{', '.join(json.loads(value))}}}")
        else:
            parts.append(key)
    return ", ".join(parts)
