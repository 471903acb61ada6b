"""python manage.py tour : sign in with a real OpenID Connect provider, redirect by redirect.

`python -m demos tour sociallogin_demo` runs this on a fresh SQLite database. It starts
the local provider (provider/) and this site as real servers, then a scripted browser
(social/dance.py) signs in, prints every redirect, and each claim is checked. It can run
again on the same database: it removes its earlier users first.
"""

from urllib.parse import parse_qs, urlparse

import requests
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialToken
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

from config.plumbing.tour import Tour, mask
from social.dance import native_id_token, sign_in
from social.servers import NATIVE_REDIRECT, OTHER_APP, provider_and_site

PROVIDER_PASSWORD = "tour-provider-passphrase"  # the provider's users' (never printed)
BOB_PASSWORD = "bobs-own-long-password"
TOUR_EMAILS = ["alice@example.com", "bob@example.com", "carol@example.com"]


def where(url, servers):
    """ "site /path?state=…" or "provider /path": which server, and the query values that matter."""
    parsed = urlparse(url)
    name = next(name for name, base in servers.items() if url.startswith(base))
    query = parse_qs(parsed.query)
    shown = [f"{key}={mask(query[key][0], 6)}" for key in ("code", "state") if key in query]
    if "code_challenge_method" in query:
        shown.append(f"code_challenge_method={query['code_challenge_method'][0]}")
    return f"{name:<8} {parsed.path}" + (f"?{'&'.join(shown)}" if shown else "")


class Command(Tour):
    help = "A guided walkthrough of social login: a real OpenID Connect provider, allauth, and a JWT pair."
    title = "sociallogin_demo: sign in with an OpenID Connect provider, every redirect printed."

    def handle(self, *args, **options):
        call_command("migrate", verbosity=0)
        self.reset_previous_run()
        with provider_and_site(password=PROVIDER_PASSWORD) as (self.provider, self.site):
            super().handle(*args, **options)

    def steps(self):
        return [self.servers, self.browser, self.takeover, self.app, self.other_audience, self.no_tokens_kept]

    def reset_previous_run(self):
        get_user_model().objects.filter(email__in=TOUR_EMAILS).delete()

    def servers(self):
        self.step("Start a real OpenID Connect provider, then this site pointed at it")
        discovery = requests.get(self.provider + "/o/.well-known/openid-configuration", timeout=10).json()
        self.say(f"  provider {self.provider}: django-oauth-toolkit, issuer {discovery['issuer']}")
        self.say(f"  signs ID tokens with {', '.join(discovery['id_token_signing_alg_values_supported'][:1])}")
        self.say(f"  this site {self.site}: allauth, OIDC_PROVIDER_URL={self.provider}/o")
        self.expect(discovery["issuer"] == self.provider + "/o", "the provider publishes its discovery document")

    def browser(self):
        self.step('alice presses "Sign in with Local identity provider"', "Each hop a browser makes:")
        dance = sign_in(
            requests.Session(), self.site, provider_id="localidp", username="alice", password=PROVIDER_PASSWORD
        )
        servers = {"site": self.site, "provider": self.provider}
        for hop in dance.hops:
            self.say(f"  {hop.method:<4} {where(hop.url, servers)}  {hop.status}")
            if hop.location:
                self.say(f"         -> {where(hop.location, servers)}")
        authorize = dance.query(1)
        self.expect(
            authorize["code_challenge_method"] == "S256", "PKCE: the code is useless without this site's verifier"
        )
        self.expect(len(authorize["state"]) >= 16, "a random state, kept in alice's session, comes back with the code")
        self.expect("Signed in as alice@example.com" in dance.final.text, "alice lands on /profile/, signed in")

    def takeover(self):
        self.step("mallory claims bob@example.com at the provider, which never verified it")
        bob = get_user_model().objects.create_user("tour-bob", "bob@example.com", BOB_PASSWORD)
        EmailAddress.objects.create(user=bob, email="bob@example.com", verified=True, primary=True)
        self.say("  bob has a local account with that address (verified by bob)")
        dance = sign_in(
            requests.Session(), self.site, provider_id="localidp", username="mallory", password=PROVIDER_PASSWORD
        )
        self.say(f'  mallory ends on {urlparse(dance.hops[-1].url).path}: "Verify Your Email Address"')
        self.expect("Signed in as bob" not in dance.final.text, "an unverified address signs into nobody's account")
        self.expect(not SocialAccount.objects.filter(user=bob).exists(), "bob's account is not linked to mallory's")

    def app(self):
        self.step("A mobile app: the provider's ID token in, a SimpleJWT pair out (allauth's headless API)")
        id_token = self.id_token("carol", settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET)
        self.say(f"  the app signed carol in at the provider (PKCE) and holds an ID token {mask(id_token)}")
        response = self.token_login(id_token)
        meta = response.json()["meta"]
        self.say(f"  POST /_allauth/app/v1/auth/provider/token -> {response.status_code}")
        self.say(f"  access_token {mask(meta['access_token'])} refresh_token {mask(meta['refresh_token'])}")
        me = requests.get(
            self.site + "/api/me/", headers={"Authorization": f"Bearer {meta['access_token']}"}, timeout=10
        )
        self.say(f"  GET /api/me/ with the access token -> {me.status_code} {me.json()}")
        self.expect(me.status_code == 200 and me.json()["email"] == "carol@example.com", "the JWT works on the API")

    def other_audience(self):
        self.step("An ID token the provider issued to another app, replayed here")
        id_token = self.id_token("carol", *OTHER_APP)
        response = self.token_login(id_token)
        self.say(f"  POST /_allauth/app/v1/auth/provider/token -> {response.status_code} {response.json()['errors']}")
        self.expect(response.status_code == 400, "its audience (aud) is another-app: refused")

    def no_tokens_kept(self):
        self.step("What the database keeps of the provider")
        self.say(f"  socialaccount_socialaccount: {SocialAccount.objects.count()} linked accounts (uid, extra_data)")
        self.say(f"  socialaccount_socialtoken: {SocialToken.objects.count()} provider tokens")
        self.expect(not SocialToken.objects.exists(), "no provider access token is stored (STORE_TOKENS = False)")

    def id_token(self, username, client_id, secret):
        return native_id_token(
            requests.Session(),
            self.provider + "/o",
            client_id=client_id,
            secret=secret,
            redirect_uri=NATIVE_REDIRECT,
            username=username,
            password=PROVIDER_PASSWORD,
        )

    def token_login(self, id_token):
        body = {
            "provider": "localidp",
            "process": "login",
            "token": {"client_id": settings.OIDC_CLIENT_ID, "id_token": id_token},
        }
        return requests.post(self.site + "/_allauth/app/v1/auth/provider/token", json=body, timeout=10)
