"""``python manage.py tour``: the JWT flow step by step, with the signals it sends.

Sign up, log in (by email, by phone, with a wrong password), me, verify, refresh
(rotation), log out (stock SimpleJWT vs. this demo), change the password, flush expired
tokens. Every step checks its own outcome; tokens are only ever shown as ``abcd…``.
"""

import logging
import secrets
from datetime import timedelta

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from rest_framework.test import APIClient, APIRequestFactory
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

import jwt_auth.signals as signals

PASSWORD = "tour password 2024!"
NEW_PASSWORD = "a brand new tour password 2025!"


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

    # --- signals: connected the way djwto's documentation shows ---------------------------
    def connect_signal_handlers(self):
        self.connections = [
            (signals.jwt_logged_in, "GetTokensView"),
            (signals.jwt_login_fail, "GetTokensView"),
            (signals.jwt_blacklisted, "BlackListTokenView"),
            (signals.jwt_token_validated, "ValidateTokensView"),
            (signals.jwt_access_refreshed, "RefreshAccessView"),
            (signals.jwt_refresh_updated, "UpdateRefreshView"),
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
            self.say(f"   signal: {line}")
        self.heard.clear()
        return response.json() if response.content else None

    # --- the walk ---------------------------------------------------------------------------
    def walk(self):
        self.step("Sign up: POST /api/auth/signup/ {username, email, phone, password}")
        body = {"username": "alice", "email": "Alice@Example.com", "phone": "(415) 555-2671", "password": PASSWORD}
        signup = self.call("post", "/api/auth/signup/", body, expect=201)
        self.say(f"user: {signup['user']}  (email lower-cased, phone stored in E.164)")
        self.say(f"tokens: access={short(signup['access'])} refresh={short(signup['refresh'])}")

        self.step("Log in by email, then by phone: POST /api/token/")
        self.call("post", "/api/token/", {"email": "alice@example.com", "password": PASSWORD})
        pair = self.call("post", "/api/token/", {"phone": "+1 415 555 2671", "password": PASSWORD})
        self.say(f"tokens: access={short(pair['access'])} refresh={short(pair['refresh'])}")
        self.say("user_logged_in is this demo's addition: stock SimpleJWT never sends it.")

        self.step("A wrong password: 401, and both failure signals")
        self.call("post", "/api/token/", {"username": "alice", "password": "not it"}, expect=401)

        self.step("Who am I? GET /api/auth/me/ with the access token")
        self.say(f"{self.call('get', '/api/auth/me/', access=pair['access'])}")

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

        self.step("After logout, is the access token dead? (pitfall 1)")
        request = APIRequestFactory().get("/", HTTP_AUTHORIZATION=f"Bearer {rotated['access']}")
        if JWTAuthentication().authenticate(request) is None:
            raise CommandError("stock JWTAuthentication was expected to accept the access token")
        self.say("Stock SimpleJWT JWTAuthentication: still accepted (it checks signature, exp and user only).")
        self.say("This demo's RevocationAwareJWTAuthentication (one cache lookup per request):")
        self.call("get", "/api/auth/me/", access=rotated["access"], expect=401)

        self.step("Change the password: every session of alice ends (pitfall 4)")
        laptop = self.call("post", "/api/token/", {"username": "alice", "password": PASSWORD})
        phone = self.call("post", "/api/token/", {"username": "alice", "password": PASSWORD})
        change = {"old_password": PASSWORD, "new_password": NEW_PASSWORD}
        self.call("post", "/api/auth/password/change/", change, access=laptop["access"], expect=204)
        self.say("The other session's tokens:")
        self.call("get", "/api/auth/me/", access=phone["access"], expect=401)
        self.call("post", "/api/token/refresh/", {"refresh": phone["refresh"]}, expect=401)
        self.say("The new password works:")
        self.call("post", "/api/token/", {"username": "alice", "password": NEW_PASSWORD})

        self.step("Flush expired tokens: manage.py flushexpiredtokens (pitfall 3)")
        total, blacklisted = OutstandingToken.objects.count(), BlacklistedToken.objects.count()
        self.say(f"token tables: {total} outstanding, {blacklisted} blacklisted: they only ever grow")
        # Pretend a day has passed for every token but the newest one.
        newest = OutstandingToken.objects.latest("created_at")
        OutstandingToken.objects.exclude(pk=newest.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
        self.say(f"(the tour backdates {total - 1} tokens so that they are expired)")
        call_command("flushexpiredtokens")
        left = OutstandingToken.objects.count()
        self.say(f"after flushexpiredtokens: {left} outstanding, {BlacklistedToken.objects.count()} blacklisted")
        if left != 1:
            raise CommandError(f"expected 1 live token after the flush, found {left}")
        self.say("Run it daily: cron, or the scheduler demo calling jwt_auth.services.flush_expired_tokens.")


def describe(kwargs):
    """A signal's kwargs, readable and safe: claims reduced to user and a short jti."""
    parts = []
    for key, value in kwargs.items():
        if key == "request":
            parts.append(f"request=<{value.method} {value.path}>")
        elif key.endswith("_claims"):
            parts.append(
                f"{key}={{user_id: {value['user_id']}, jti: {short(value['jti'])}, type: {value['token_type']}}}"
            )
        elif key == "jti":
            parts.append(f"jti={short(value)}")
        elif key == "user":
            parts.append(f"user={value.username}")
        elif key == "credentials":
            parts.append(f"credentials={{{', '.join(sorted(value))}}} (password masked by Django)")
        else:
            parts.append(f"{key}={value}")
    return ", ".join(parts)
