"""python manage.py tour: register, see the token, call the secure page, log out; then an
expired token, a password changed in the shell and the login throttle, each refused."""

import logging
import secrets
from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db.models.signals import post_save
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tokens.models import PersonalDetail


def mask(key):
    """Tokens are secrets: show at most the first 4 characters."""
    return f"{key[:4]}…"


@contextmanager
def recording_post_save():
    """Collect the model name of every post_save sent inside the block."""
    sent = []

    def record(sender, created, **kwargs):
        sent.append(f"post_save({sender.__name__}, created={created})")

    post_save.connect(record, weak=False, dispatch_uid="tokens.tour.recorder")
    try:
        yield sent
    finally:
        post_save.disconnect(dispatch_uid="tokens.tour.recorder")


class Command(BaseCommand):
    help = "Walk through token authentication: register, secure page, logout, refused token."

    def handle(self, *args, **options):
        call_command("migrate", verbosity=0)
        # The 401s and 403 below are intended; keep django.request's warnings off the screen.
        request_logger = logging.getLogger("django.request")
        level = request_logger.level
        request_logger.setLevel(logging.ERROR)
        try:
            self.walk()
        finally:
            request_logger.setLevel(level)

    def walk(self):
        self.number = 0
        client = APIClient()
        username = f"ada-{secrets.token_hex(3)}"
        password = secrets.token_urlsafe(18)  # random and never printed

        self.step(f"POST /demotoken/register/ as {username!r} (password not shown)")
        with recording_post_save() as sent:
            response = client.post("/demotoken/register/", {"username": username, "password": password})
        self.expect(response.status_code == 201, f"expected 201, got {response.status_code}: {response.content!r}")
        key = response.json()["token"]
        self.say(f"201 {response.json()['response']!r}, token {mask(key)}")
        self.say("signals fired: " + ", ".join(sent))
        self.say("(Token and PersonalDetail come first: our receiver creates them while the user's post_save is sent)")
        models = (get_user_model(), Token, PersonalDetail)
        expected = {f"post_save({model.__name__}, created=True)" for model in models}
        self.expect(len(sent) == 3 and set(sent) == expected, f"unexpected signals {sent}")

        self.step("Look at the rows the post_save receiver created")
        user = get_user_model().objects.get(username=username)
        tokens = Token.objects.filter(user=user)
        self.expect(tokens.count() == 1 and tokens.get().key == key, "expected exactly the returned token")
        self.expect(PersonalDetail.objects.filter(user=user).exists(), "expected a PersonalDetail")
        self.expect(not user.is_staff and not user.is_superuser, "a new user must not be staff or superuser")
        # (Login in step 9 proves the hash matches; no need to spend a second hashing here.)
        self.expect(user.password != password and user.has_usable_password(), "the password must be hashed")
        self.say(f"1 Token ({mask(tokens.get().key)}), 1 PersonalDetail; is_staff=False, is_superuser=False")
        self.say(f"password stored hashed: {user.password.split('$', 1)[0]}$…")

        self.step("GET /demotoken/secure/ without a token")
        response = client.get("/demotoken/secure/")
        self.expect_401(response)

        self.step("GET /demotoken/secure/ with a malformed header 'Token a b'")
        response = client.get("/demotoken/secure/", HTTP_AUTHORIZATION="Token a b")
        self.expect_401(response)

        self.step(f"GET /demotoken/secure/ with 'Authorization: Token {mask(key)}'")
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        response = client.get("/demotoken/secure/")
        self.expect(response.status_code == 200, f"expected 200, got {response.status_code}")
        self.say(f"200 {response.json()['message']!r}")
        before, after = response["X-User-Before-View"], response["X-User-After-View"]
        self.expect((before, after) == ("anonymous", username), f"unexpected middleware view {before!r}/{after!r}")
        self.say(f"pitfall 3: middleware saw {before!r} before the view and {after!r} after it")

        self.step("Pitfall 2: the same request without a token, SessionAuthentication listed first")
        response = APIClient().get("/demotoken/pitfalls/session-first/")
        self.expect(response.status_code == 403, f"expected 403, got {response.status_code}")
        self.say("403 and no WWW-Authenticate header: the client cannot tell it should log in")
        response = APIClient().get("/demotoken/pitfalls/token-first/")
        self.say("the same two classes, TokenAuthentication first:")
        self.expect_401(response)

        self.step("POST /demotoken/logout/ with the token")
        response = client.post("/demotoken/logout/")
        self.expect(response.status_code == 204, f"expected 204, got {response.status_code}")
        self.expect(not Token.objects.filter(user=user).exists(), "logout must delete the token")
        self.say("204; the token row is deleted")

        self.step(f"GET /demotoken/secure/ again with the old token {mask(key)}")
        response = client.get("/demotoken/secure/")
        self.expect_401(response)

        self.step("POST /demotoken/login/ issues a new key")
        client.credentials()
        response = client.post("/demotoken/login/", {"username": username, "password": password})
        self.expect(response.status_code == 200, f"expected 200, got {response.status_code}")
        new_key = response.json()["token"]
        self.expect(new_key != key, "login after logout must issue a new key")
        self.say(f"200, new token {mask(new_key)} (old one was {mask(key)})")
        client.credentials(HTTP_AUTHORIZATION=f"Token {new_key}")
        self.expiring_token(client, new_key)
        self.password_change_ends_the_key(client, username)
        self.throttled_login(username)

        self.stdout.write(self.style.SUCCESS(f"\nTour finished: {self.number} steps, every outcome checked."))

    def expiring_token(self, client, key):
        lifetime = settings.TOKEN_LIFETIME
        self.step(f"Pitfall 1: the same token, made {lifetime} old (TOKEN_LIFETIME)")
        Token.objects.filter(key=key).update(created=timezone.now() - lifetime)
        response = client.get("/demotoken/secure/")
        self.expect_401(response)
        self.say("ExpiringTokenAuthentication refuses it; stock DRF would accept it forever")

    def password_change_ends_the_key(self, client, username):
        self.step("Pitfall 4: a password set in the shell (set_password, save) ends the key")
        user = get_user_model().objects.get(username=username)
        Token.objects.filter(user=user).delete()  # the expired one: as login would, issue a fresh key
        key = Token.objects.create(user=user).key
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        self.expect(client.get("/demotoken/secure/").status_code == 200, "the fresh key must work")
        user.set_password(secrets.token_urlsafe(18))
        user.save()
        response = client.get("/demotoken/secure/")
        self.expect_401(response)
        self.say(f"the receivers saw the hash change and deleted {mask(key)}")

    def throttled_login(self, username):
        self.step("The login throttle: wrong passwords from one client address")
        # An address of this run's own (TEST-NET-2), so earlier runs' counts never matter.
        client = APIClient(REMOTE_ADDR=f"198.51.100.{secrets.randbelow(254) + 1}")
        statuses = []
        while len(statuses) < 30 and 429 not in statuses:
            response = client.post("/demotoken/login/", {"username": username, "password": "wrong"})
            statuses.append(response.status_code)
        self.expect(statuses[-1] == 429, f"expected a 429 within 30 attempts, got {statuses}")
        self.expect(int(response["Retry-After"]) > 0, "a 429 must say when to come back")
        self.say(f"{len(statuses) - 1} x 400, then 429 with Retry-After: {response['Retry-After']} s")

    # --- output helpers -------------------------------------------------------------
    def step(self, text):
        self.number += 1
        self.stdout.write(self.style.MIGRATE_HEADING(f"\n{self.number}. {text}"))

    def say(self, text):
        self.stdout.write(f"   -> {text}")

    def expect(self, condition, message):
        if not condition:
            raise CommandError(f"step {self.number}: {message}")

    def expect_401(self, response):
        self.expect(response.status_code == 401, f"expected 401, got {response.status_code}")
        self.expect(response.get("WWW-Authenticate") == "Token", "expected WWW-Authenticate: Token")
        self.say(f"401 {response.json()['detail']!r}, WWW-Authenticate: Token")
