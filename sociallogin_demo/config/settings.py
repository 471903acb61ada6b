"""sociallogin_demo's settings: the lesson's settings, after the plumbing every demo shares.

config/plumbing/settings.py (identical in every demo; not the lesson) holds the
development defaults, production hardening (DJANGO_ENV=production), the database URL,
static files and the API settings every demo has. Everything below is the lesson:
django-allauth signs people in with an OpenID Connect provider (Google, Facebook, or the
local provider in provider/), and its headless API hands a mobile app a SimpleJWT pair.
"""

import os
from datetime import timedelta

from django.core.exceptions import ImproperlyConfigured

from config.plumbing.settings import *  # noqa: F403 (plumbing: identical in every demo)
from config.plumbing.settings import (  # the names this file extends
    CACHES,
    DEMO_LOGGER,
    INSTALLED_APPS,
    LOGGING,
    MIDDLEWARE,
    PRODUCTION,
    REST_FRAMEWORK,
    SECRET_KEY,
    SPECTACULAR_SETTINGS,
    required_env,
    throttle_rate,
)

INSTALLED_APPS += [
    "allauth",
    "allauth.account",  # local accounts and their email addresses (verified or not)
    "allauth.socialaccount",  # accounts at a provider, linked to a local one
    "allauth.socialaccount.providers.openid_connect",  # any OIDC provider: the local one here
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.facebook",
    "allauth.headless",  # the JSON API for single-page and mobile apps
    "rest_framework_simplejwt",
    "rest_framework_simplejwt.token_blacklist",  # signing out ends the refresh token
    "social",  # the lesson: the JWT bridge, the sign-in pages, the pitfalls
]
MIDDLEWARE += [
    "allauth.account.middleware.AccountMiddleware",
    "social.middleware.ProviderUnavailableMiddleware",  # a provider that is down: 502, not 500
    "social.middleware.HeadlessBodyMiddleware",  # a body allauth's API cannot parse: a JSON 4xx
    "social.middleware.IdTokenSignInThrottleMiddleware",  # each ID-token sign-in fetches the provider's keys
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",  # the admin
    "allauth.account.auth_backends.AuthenticationBackend",  # sign-in by email address
]

# --- local accounts (allauth.account) -------------------------------------------------------
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
# A local account's address is verified by a link sent to it (printed to the console
# here). Only a verified local address may be signed into by a provider's verified one.
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
LOGIN_REDIRECT_URL = "/profile/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"

# --- social accounts (allauth.socialaccount) ------------------------------------------------
# The local provider (provider/, a real OpenID Connect server) by default; in production
# the same three values name your client at Google, or any OIDC provider.
OIDC_PROVIDER_URL = os.environ.get("OIDC_PROVIDER_URL", "http://127.0.0.1:9100/o")
OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "sociallogin-demo")
# allauth's calls to the provider wait this long at most (allauth's default, made visible).
SOCIALACCOUNT_REQUESTS_TIMEOUT = 5
if PRODUCTION:
    OIDC_CLIENT_SECRET = required_env("OIDC_CLIENT_SECRET", "the-secret-your-provider-issued")
else:
    OIDC_CLIENT_SECRET = "django-insecure-development-only-oidc-client-secret"  # development default

SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        # PKCE (RFC 7636): the code is worthless without the verifier this server kept.
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": "localidp",
                "name": "Local identity provider",
                "client_id": OIDC_CLIENT_ID,
                "secret": OIDC_CLIENT_SECRET,
                "settings": {"server_url": OIDC_PROVIDER_URL, "token_auth_method": "client_secret_post"},
            }
        ],
    },
}


def secret_for(client_id_name, secret_name):
    """A provider's secret: required as soon as its client ID is set, in any mode."""
    if secret := os.environ.get(secret_name):
        return secret
    raise ImproperlyConfigured(f"{secret_name} must be set when {client_id_name} is")


# Google and Facebook: configured from the environment, present only when configured.
if google_client_id := os.environ.get("GOOGLE_CLIENT_ID"):
    SOCIALACCOUNT_PROVIDERS["google"] = {
        "APPS": [{"client_id": google_client_id, "secret": secret_for("GOOGLE_CLIENT_ID", "GOOGLE_CLIENT_SECRET")}],
        "SCOPE": ["openid", "profile", "email"],
        "OAUTH_PKCE_ENABLED": True,
    }
if facebook_app_id := os.environ.get("FACEBOOK_APP_ID"):
    SOCIALACCOUNT_PROVIDERS["facebook"] = {
        "APPS": [{"client_id": facebook_app_id, "secret": secret_for("FACEBOOK_APP_ID", "FACEBOOK_APP_SECRET")}],
        "SCOPE": ["email", "public_profile"],
    }

# A provider's verified address signs into the local account that has it (and links the
# two); an unverified one never does (pitfall 1). allauth reads `email_verified` itself.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"  # the provider's verified claim is the proof
# The provider's access and refresh tokens are not kept (pitfall 5): the demo needs
# only who the user is. allauth would store them in plaintext.
SOCIALACCOUNT_STORE_TOKENS = False


# allauth refuses an ID token it has seen before (a replay) by remembering its `jti` in
# the "default" cache until the token expires. LocMemCache is one per process and culls a
# third of its 300 entries when full: a replay would then pass on another worker, or after
# unrelated traffic (tests/test_replay.py). The database is shared and, with this
# MAX_ENTRIES, culls nothing a day of sign-ins would fill (migration social/0001).
CACHES["default"] = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "sociallogin_demo_cache",
    "OPTIONS": {"MAX_ENTRIES": 1_000_000},
}
# The throttle's counts too: every server process must count the same sign-ins.
CACHES["throttle"] = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "sociallogin_demo_throttle",
    "OPTIONS": {"MAX_ENTRIES": 100_000},
}

# --- the headless API and the JWT bridge ----------------------------------------------------
HEADLESS_CLIENTS = ("app",)  # a mobile app; the browser uses the pages
HEADLESS_TOKEN_STRATEGY = "social.tokens.SimpleJWTTokenStrategy"
HEADLESS_ONLY = False
HEADLESS_FRONTEND_URLS = {}

if PRODUCTION:
    JWT_SIGNING_KEY = required_env("JWT_SIGNING_KEY", "another-long-random-string")
    if JWT_SIGNING_KEY == SECRET_KEY:  # one leak would then forge both sessions and tokens
        raise ImproperlyConfigured("JWT_SIGNING_KEY must differ from DJANGO_SECRET_KEY")
else:
    JWT_SIGNING_KEY = "django-insecure-development-only-jwt-signing-key-do-not-deploy"  # development default
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=5),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=1),
    "SIGNING_KEY": JWT_SIGNING_KEY,
    "UPDATE_LAST_LOGIN": False,
    "CHECK_REVOKE_TOKEN": True,  # a new password ends the pairs issued before it (social/tokens.py)
}

REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] |= {
    "id_token": throttle_rate("ID_TOKEN_THROTTLE_RATE", "30/minute"),  # social/middleware.py
}
REST_FRAMEWORK |= {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework_simplejwt.authentication.JWTAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
}
SPECTACULAR_SETTINGS |= {
    "TITLE": "sociallogin_demo API",
    "DESCRIPTION": "Who the JWT belongs to; allauth's headless API is described at /_allauth/openapi.json.",
}
LOGGING["loggers"]["sociallogin_demo"] = DEMO_LOGGER
