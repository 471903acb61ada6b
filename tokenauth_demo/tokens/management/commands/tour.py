"""python manage.py tour: register, see the token, call the secure page, log out; then an
expired token, a password changed in the shell and the login throttle, each refused.

`python -m demos tour tokenauth_demo` runs this on a fresh SQLite database. Each step says
what it does, does it over HTTP (in-process), and checks the outcome: the tour fails loudly
if the API does not behave as explained. It can run again on the same database: its user
(and the client address of its throttle step) are new on every run.
"""

import secrets
from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models.signals import post_save
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient, APIRequestFactory

from config.plumbing.tour import Tour, mask
from tokens.models import PersonalDetail
from tokens.pitfalls import SessionFirstSecureView

BASE = "/demotoken"  # the token-auth tutorial's URLs


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


class Command(Tour):
    help = "Walk through token authentication: register, secure page, logout, refused token."
    title = "tokenauth_demo: DRF's token authentication, from sign-up to a refused key."

    def handle(self, *args, **options):
        call_command("migrate", verbosity=0)
        self.client = APIClient()
        self.username = f"ada-{secrets.token_hex(3)}"
        self.password = secrets.token_urlsafe(18)  # random and never printed
        super().handle(*args, **options)

    def steps(self):
        return [
            self.register,
            self.rows_the_receiver_created,
            self.no_token,
            self.malformed_header,
            self.the_secure_page,
            self.authentication_class_order,
            self.logout,
            self.the_old_key_after_logout,
            self.login_issues_a_new_key,
            self.an_expired_key,
            self.a_password_change_ends_the_key,
            self.the_login_throttle,
        ]

    def expect_401(self, response):
        refused = response.status_code == 401 and response.get("WWW-Authenticate") == "Token"
        self.expect(refused, f"401 {response.json().get('detail')!r}, WWW-Authenticate: Token")

    def register(self):
        self.step(f"POST {BASE}/register/ as {self.username!r} (password not shown)")
        body = {"username": self.username, "password": self.password}
        with recording_post_save() as sent:
            response = self.client.post(f"{BASE}/register/", body)
        self.expect(response.status_code == 201, f"201 {response.json().get('response')!r}")
        self.key = response.json()["token"]
        self.say(f"  token {mask(self.key)}; signals fired:")
        for signal in sent:
            self.say(f"    {signal}")
        self.say("  (Token and PersonalDetail first: the receiver creates them during the user's post_save)")
        expected = {f"post_save({model.__name__}, created=True)" for model in (get_user_model(), Token, PersonalDetail)}
        self.expect(len(sent) == 3 and set(sent) == expected, "one post_save each for User, Token, PersonalDetail")

    def rows_the_receiver_created(self):
        self.step("Look at the rows the post_save receiver created")
        self.user = get_user_model().objects.get(username=self.username)
        tokens = Token.objects.filter(user=self.user)
        self.expect(tokens.count() == 1 and tokens.get().key == self.key, "1 Token: the key register returned")
        self.expect(PersonalDetail.objects.filter(user=self.user).exists(), "1 PersonalDetail")
        self.expect(not self.user.is_staff and not self.user.is_superuser, "is_staff=False, is_superuser=False")
        # (Logging in later proves the hash matches; no need to spend a second hashing here.)
        hashed = self.user.password != self.password and self.user.has_usable_password()
        self.expect(hashed, f"password stored hashed: {self.user.password.split('$', 1)[0]}$…")

    def no_token(self):
        self.step(f"GET {BASE}/secure/ without a token")
        self.expect_401(self.client.get(f"{BASE}/secure/"))

    def malformed_header(self):
        self.step(f"GET {BASE}/secure/ with a malformed header 'Token a b'")
        self.expect_401(self.client.get(f"{BASE}/secure/", HTTP_AUTHORIZATION="Token a b"))

    def the_secure_page(self):
        self.step(f"GET {BASE}/secure/ with 'Authorization: Token {mask(self.key)}'")
        self.client.credentials(HTTP_AUTHORIZATION=f"Token {self.key}")
        response = self.client.get(f"{BASE}/secure/")
        self.expect(response.status_code == 200, "the key opens the secure page (200)")
        self.say(f"  {response.json()['message']!r}")
        before, after = response["X-User-Before-View"], response["X-User-After-View"]
        seen = f"pitfall 3: middleware saw {before!r} before the view and {after!r} after it"
        self.expect((before, after) == ("anonymous", self.username), seen)

    def authentication_class_order(self):
        self.step(
            "Pitfall 2: the same request without a token, SessionAuthentication listed first",
            "DRF takes WWW-Authenticate from the first authentication class; the session has none.",
        )
        # The trap view is routed nowhere (tokens/pitfalls.py): the tour calls it directly.
        trap_view = SessionFirstSecureView.as_view()
        response = trap_view(APIRequestFactory().get(f"{BASE}/secure/"))
        no_header = response.status_code == 403 and "WWW-Authenticate" not in response
        self.expect(no_header, "403 and no WWW-Authenticate: the client cannot tell it should log in")
        self.say("  the same two classes, TokenAuthentication first:")
        self.expect_401(APIClient().get(f"{BASE}/pitfalls/token-first/"))

    def logout(self):
        self.step(f"POST {BASE}/logout/ with the token")
        response = self.client.post(f"{BASE}/logout/")
        deleted = response.status_code == 204 and not Token.objects.filter(user=self.user).exists()
        self.expect(deleted, "204; the token row is deleted")

    def the_old_key_after_logout(self):
        self.step(f"GET {BASE}/secure/ again with the old token {mask(self.key)}")
        self.expect_401(self.client.get(f"{BASE}/secure/"))

    def login_issues_a_new_key(self):
        self.step(f"POST {BASE}/login/ issues a new key")
        self.client.credentials()
        response = self.client.post(f"{BASE}/login/", {"username": self.username, "password": self.password})
        self.expect(response.status_code == 200, "200 with the user's token")
        old_key, self.key = self.key, response.json()["token"]
        self.expect(self.key != old_key, f"new token {mask(self.key)} (old one was {mask(old_key)})")
        self.client.credentials(HTTP_AUTHORIZATION=f"Token {self.key}")

    def an_expired_key(self):
        lifetime = settings.TOKEN_LIFETIME
        self.step(f"Pitfall 1: the same token, made {lifetime} old (TOKEN_LIFETIME)")
        Token.objects.filter(key=self.key).update(created=timezone.now() - lifetime)
        self.expect_401(self.client.get(f"{BASE}/secure/"))
        self.say("  ExpiringTokenAuthentication refuses it; stock DRF would accept it forever")

    def a_password_change_ends_the_key(self):
        self.step("Pitfall 4: a password set in the shell (set_password, save) ends the key")
        Token.objects.filter(user=self.user).delete()  # the expired one: as login would, issue a fresh key
        key = Token.objects.create(user=self.user).key
        self.client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        self.expect(self.client.get(f"{BASE}/secure/").status_code == 200, f"the fresh key {mask(key)} works")
        self.user.set_password(secrets.token_urlsafe(18))
        self.user.save()
        self.expect_401(self.client.get(f"{BASE}/secure/"))
        self.say(f"  the receivers saw the hash change and deleted {mask(key)}")

    def the_login_throttle(self):
        self.step("The login throttle: wrong passwords from one client address")
        # An address of this run's own (TEST-NET-2), so earlier runs' counts never matter.
        client = APIClient(REMOTE_ADDR=f"198.51.100.{secrets.randbelow(254) + 1}")
        statuses = []
        while len(statuses) < 30 and 429 not in statuses:
            response = client.post(f"{BASE}/login/", {"username": self.username, "password": "wrong"})
            statuses.append(response.status_code)
        self.expect(statuses[-1] == 429, "a 429 within 30 attempts")
        self.expect(int(response["Retry-After"]) > 0, "the 429 says when to come back (Retry-After)")
        self.say(f"  {len(statuses) - 1} x 400, then 429 with Retry-After: {response['Retry-After']} s")
