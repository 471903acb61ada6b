"""Seven social-login traps, each beside the fix this demo uses. tests/test_pitfalls.py
proves both halves: the harm each trap does, and that the fix prevents it.

None of the traps is wired into the running site; each is the code people write by hand.
"""

import base64
import hashlib
import secrets
from urllib.parse import urlencode

import jwt
import requests
from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.contrib.auth import get_user_model, login
from django.core.cache import cache
from django.shortcuts import redirect

# Pitfall 1: trusting an unverified provider email (account takeover).
# TRAP: "if a local account has this address, it is the same person". Anyone can type
# any address into an account at some provider; if the provider never verified it, the
# first person to sign in with it owns the local account that has it.
# FIX: allauth's own rule (SOCIALACCOUNT_EMAIL_AUTHENTICATION): only an address the
# provider marks `email_verified` signs into an existing account, and only one that the
# local account verified too, or its password is wiped (allauth's wipe_password).


class TrustingEmailAdapter(DefaultSocialAccountAdapter):
    """TRAP (pitfall 1): links a provider account to whichever local account has its address."""

    def pre_social_login(self, request, sociallogin):
        email = sociallogin.user.email
        if sociallogin.is_existing or not email:
            return
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is not None:
            sociallogin.connect(request, user)  # no look at email_verified


# Pitfall 2: a callback that does not tie the sign-in to the browser (login CSRF).
# TRAP: keep the sign-in's secrets (state, PKCE verifier) where any request finds them,
# in a cache keyed by `state`, and accept the callback that names them. An attacker starts
# a sign-in, signs in at the provider as themself, stops before the redirect and sends
# the victim the callback link: the victim's browser is now signed in as the attacker,
# and whatever the victim saves (a card number, a document) lands in the attacker's account.
# FIX: allauth keeps state and verifier in this browser's session and refuses a callback
# whose state this session never issued.


def start_sign_in_without_session(*, authorize_url, client_id, redirect_uri):
    """TRAP (pitfall 2): the authorization URL, its verifier kept in the cache by state."""
    state, verifier = secrets.token_urlsafe(16), secrets.token_urlsafe(48)
    cache.set(f"oidc-verifier:{state}", verifier, 600)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    query = urlencode(
        {
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "response_type": "code",
            "scope": "openid email",
            "state": state,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
    )
    return f"{authorize_url}?{query}"


def callback_without_session_check(request, *, token_url, client_id, client_secret, redirect_uri):
    """TRAP (pitfall 2): any browser holding the link completes the sign-in."""
    tokens = requests.post(
        token_url,
        data={
            "grant_type": "authorization_code",
            "code": request.GET["code"],
            "redirect_uri": redirect_uri,
            "client_id": client_id,
            "client_secret": client_secret,
            "code_verifier": cache.get(f"oidc-verifier:{request.GET['state']}"),
        },
        timeout=10,
    ).json()
    # Straight from the provider's token endpoint, so the signature may go unchecked here
    # (OpenID Connect Core, 3.1.3.7): the flaw is whose browser this is, not the token.
    claims = jwt.decode(tokens["id_token"], options={"verify_signature": False})
    user, _ = get_user_model().objects.get_or_create(username=f"oidc-{claims['sub']}", email=claims["email"])
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return user


# Pitfall 3: an open redirect in `next`.
# TRAP: send the browser wherever `next` says after signing in. A link to
# "/accounts/login/?next=https://evil.example/" then ends, after a real sign-in on the
# real site, on the attacker's look-alike page asking for the password "again".
# FIX: allauth's adapter.is_safe_url: a `next` on another host is ignored. (Overriding it
# to allow your other domains? List them in ALLOWED_HOSTS; never answer True.)


def redirect_to_next(request):
    """TRAP (pitfall 3): the redirect after sign-in, straight from the query string."""
    return redirect(request.GET.get("next", "/profile/"))


class AnyNextAccountAdapter(DefaultAccountAdapter):
    """TRAP (pitfall 3), inside allauth: an adapter that calls every `next` safe."""

    def is_safe_url(self, url):
        return True


# Pitfall 4: accepting an ID token meant for another client (`aud`).
# TRAP: check the signature and the issuer, not the audience. Any app that uses the same
# provider (a game, a quiz) receives ID tokens signed by the same key; its operator can
# replay a visitor's token at your API and sign in as them.
# FIX: allauth verifies `aud` against this site's client ID (and `iss`, `exp`, the
# signature against the provider's published keys).


def claims_without_audience_check(id_token, *, jwks_url, issuer):
    """TRAP (pitfall 4): signature and issuer checked, audience not."""
    key = jwt.PyJWKClient(jwks_url).get_signing_key_from_jwt(id_token)
    return jwt.decode(id_token, key, algorithms=["RS256"], issuer=issuer, options={"verify_aud": False})


# Pitfall 5: storing the provider's access tokens in plaintext.
# TRAP: SOCIALACCOUNT_STORE_TOKENS = True: allauth keeps each user's provider access and
# refresh tokens in the socialaccount_socialtoken table, unencrypted. A database backup
# that leaks is then a key to every user's Google account (mail, files), not only ours.
# FIX: SOCIALACCOUNT_STORE_TOKENS = False (config/settings.py): the demo needs to know who
# the user is, not to act at the provider on their behalf. Need it? Encrypt the column.
STORE_TOKENS_TRAP = {"SOCIALACCOUNT_STORE_TOKENS": True}


# Pitfall 6: remembering spent ID tokens in a per-process cache.
# TRAP: Django's default cache, LocMemCache: allauth remembers each ID token's `jti` there
# to refuse a replay, but that memory is one per server process (another worker has never
# seen the token) and forgets when it culls (a third of its 300 entries once full). A
# stolen ID token then signs in again after enough unrelated cache traffic.
# FIX: a cache every process shares that keeps its entries until they expire: the
# database cache here (config/settings.py, created by migration social/0001), or Redis.
PER_PROCESS_REPLAY_MEMORY_TRAP = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


# Pitfall 7: signing the app out with allauth only.
# TRAP: the app calls allauth's sign-out (DELETE /_allauth/app/v1/auth/session) and forgets
# its tokens. allauth ends its own session; it never issued the SimpleJWT pair and does not
# know it: the refresh token, copied off the phone, buys access tokens for another day.
# FIX: the app also posts its refresh token to /api/auth/logout/ (social/views.py), which
# blacklists it. Without "rest_framework_simplejwt.token_blacklist" in INSTALLED_APPS,
# SimpleJWT's view answers 200 and blacklists nothing.
