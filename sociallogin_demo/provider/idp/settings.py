"""A real OpenID Connect provider, run on this machine: django-oauth-toolkit with OIDC on.

No machine that runs the tests reaches Google, so the demo signs in against this one.
It speaks the same protocol (discovery, authorization code with PKCE, RS256 ID tokens,
JWKS, userinfo, revocation); the demo's settings point at Google in the same way.
Development only: every value below is a local default.
"""

import os
from pathlib import Path

import dj_database_url
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "django-insecure-local-oidc-provider-development-only"  # development default
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "oauth2_provider",
    "idp",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = "idp.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'idp.sqlite3'}"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
LOGIN_URL = "/accounts/login/"
# Browsers keep cookies per host, not per port: on 127.0.0.1 the provider's "sessionid"
# would overwrite the demo's, and the demo would lose the sign-in it started (its
# `state`). Google lives on its own host; this provider gets cookie names of its own.
SESSION_COOKIE_NAME = "idp_sessionid"
CSRF_COOKIE_NAME = "idp_csrftoken"
# Tests and the tour sign in many times a run: the fastest hasher, openly (never in production).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def signing_key():
    """The RSA key that signs the ID tokens: IDP_RSA_PRIVATE_KEY, or a new one per start
    (a restarted provider publishes a new JWKS, as a real one does when it rotates keys)."""
    if pem := os.environ.get("IDP_RSA_PRIVATE_KEY"):
        return pem
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": signing_key(),
    "PKCE_REQUIRED": True,  # a code without its verifier is worthless to whoever intercepts it
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,  # S256 only: "plain" sends the verifier itself
    "OAUTH2_VALIDATOR_CLASS": "idp.claims.EmailClaimsValidator",
    "SCOPES": {"openid": "OpenID Connect", "profile": "Your name", "email": "Your email address"},
    "ACCESS_TOKEN_EXPIRE_SECONDS": 300,
}
