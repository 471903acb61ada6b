"""jwt_demo's settings: the lesson's settings, after the plumbing every demo shares.

config/plumbing/settings.py (identical in every demo; not the lesson) holds the
development defaults, production hardening (DJANGO_ENV=production), the database URL,
static files and the API settings every demo has. It is imported first so that what
follows can extend it: everything below is part of this demo's lesson.
"""

import os
from datetime import timedelta

from django.core.exceptions import ImproperlyConfigured

from config.plumbing.settings import *  # noqa: F403 (plumbing: identical in every demo)
from config.plumbing.settings import (  # the names this file extends
    DEMO_LOGGER,
    INSTALLED_APPS,
    LOGGING,
    PRODUCTION,
    REST_FRAMEWORK,
    SECRET_KEY,
    SPECTACULAR_SETTINGS,
    required_env,
    throttle_rate,
)

INSTALLED_APPS += [
    # Before SimpleJWT's blacklist app: its `flushexpiredtokens` command is replaced by
    # jwt_auth's, which also prunes the revocation table (Django runs the command of the
    # first app in INSTALLED_APPS that has one).
    "jwt_auth",  # the lesson: obtain, rotate, blacklist, revoke, and djwto's signals
    "rest_framework_simplejwt.token_blacklist",
    "accounts",  # the account API: sign-up, login by email or phone, password change and reset
]

# The key that signs the JWTs: its own secret, so that rotating SECRET_KEY (sessions,
# password-reset links) does not log everybody out, and a leak of one does not let anyone
# forge the other.
if PRODUCTION:
    JWT_SIGNING_KEY = required_env("JWT_SIGNING_KEY", "another-long-random-string")
    # The same value for both is refused: it would undo the separation above.
    if JWT_SIGNING_KEY == SECRET_KEY:
        raise ImproperlyConfigured("JWT_SIGNING_KEY must differ from DJANGO_SECRET_KEY (see config/settings.py)")
    # RFC 7518, section 3.2: an HS256 key MUST be at least as long as the hash, 256 bits.
    # A shorter one can be found offline from any single token, and then forges them all.
    if len(JWT_SIGNING_KEY.encode()) < 32:
        raise ImproperlyConfigured("JWT_SIGNING_KEY must be at least 32 bytes (RFC 7518, 3.2): use 50 random ones")
else:
    # Development default only: never used when DJANGO_ENV=production.
    JWT_SIGNING_KEY = "django-insecure-development-only-jwt-signing-key-do-not-deploy"

SIMPLE_JWT = {
    # Short-lived access tokens: a stolen one is useful for 5 minutes at most.
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=5),
    # A refresh token lives one day; every use returns a new one (rotation) and
    # blacklists the old one, so a stolen refresh token is detected on its next use.
    "REFRESH_TOKEN_LIFETIME": timedelta(days=1),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    # last_login is updated by Django's own user_logged_in receiver, which jwt_auth/services.py's
    # send_login_signals() reaches by sending user_logged_in.
    "UPDATE_LAST_LOGIN": False,
    # Tokens carry a hash of the password hash, compared wherever the user's row is loaded
    # (refresh, the account endpoints): a password changed even by QuerySet.update() is
    # caught there. Every request is covered by the cutoff a password change writes.
    "CHECK_REVOKE_TOKEN": True,
    # SimpleJWT's default, spelled out: the 32-byte key rule above is HS256's (RFC 7518, 3.2),
    # and it is the only algorithm verification accepts, whatever a token's "alg" says (pitfall 6).
    "ALGORITHM": "HS256",
    # Not SECRET_KEY: see JWT_SIGNING_KEY above. SimpleJWT verifies with this one key only
    # (it ignores SECRET_KEY_FALLBACKS): changing it ends every session (README, "Keys").
    "SIGNING_KEY": JWT_SIGNING_KEY,
    # Every token names who issued it and for whom; a token with another iss or aud (one
    # signed by another service that shares the key, say) is refused with a 401.
    "ISSUER": os.environ.get("JWT_ISSUER") or "jwt_demo",
    "AUDIENCE": os.environ.get("JWT_AUDIENCE") or "jwt_demo-api",
}

# Caches hold nothing that security depends on forgetting or keeping, except the throttle
# counters. "default": Django's database cache (its tables are created by
# jwt_auth/migrations/0001_cache_table.py, so a plain `migrate` is enough); REDIS_URL
# switches to Django's built-in Redis backend, its client reused (config/redis_cache.py).
# "throttle": the login / password / sign-up counters, shared by every worker process
# (the plumbing's LocMemCache is one per process). The database cache culls a third of
# its rows whenever it passes MAX_ENTRIES (300 by default): unrelated entries could then
# erase a client's count and reopen password guessing. Here culling starts only past
# 1,000,000 counters. With Redis, run it with `maxmemory-policy noeviction`.
REDIS_URL = os.environ.get("REDIS_URL", "")
# redis-py waits seconds for a Redis that hangs (paused, blackholed) where one that is down
# fails at once; a request that reads the cache should fail fast either way.
REDIS_TIMEOUTS = {"socket_connect_timeout": 1, "socket_timeout": 1}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "config.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "jwt_demo",
            "OPTIONS": REDIS_TIMEOUTS,
        },
        "throttle": {
            "BACKEND": "config.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "jwt_demo_throttle",
            "OPTIONS": REDIS_TIMEOUTS,
        },
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "jwt_demo_cache",
        },
        "throttle": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "jwt_demo_throttle",
            "OPTIONS": {"MAX_ENTRIES": 1_000_000},
        },
    }
# Revocation (logout, rotation) and cutoffs (password change, deactivation, deletion) live
# in database tables, the source of truth (jwt_auth/models.py): no cache can forget them.
# A request reads them from a copy in each process's memory (jwt_auth/revocation.py); a
# logout must be honoured at once by every worker, so by default the copy is checked:
# - with Redis (REDIS_URL), by a message each commit publishes and every process subscribes
#   to (jwt_auth/channel.py): no query, no cache lookup per request. Without a working
#   subscription, against a version key each commit changes (one lookup; a miss or an error
#   makes a process read the tables, never pass a token); every 5 s anyway, in case a
#   message or a write was lost;
# - without Redis, against the tables' clock row: one primary-key query per request.
# JWT_REVOCATION_SYNC_SECONDS > 0 without Redis trades that query for a window: another
# process may accept a logged-out token for up to that many seconds (docs/costs.md).
JWT_REVOCATION_CACHE = os.environ.get("JWT_REVOCATION_CACHE") or ("default" if REDIS_URL else None)
JWT_REVOCATION_SYNC_SECONDS = float(os.environ.get("JWT_REVOCATION_SYNC_SECONDS") or (5 if JWT_REVOCATION_CACHE else 0))

REST_FRAMEWORK |= {
    # Bearer JWTs only, refused once revoked (jwt_auth/authentication.py); every view
    # needs one unless it says otherwise (the token endpoints, sign-up, forgot, reset).
    "DEFAULT_AUTHENTICATION_CLASSES": ["jwt_auth.authentication.RevocationAwareJWTAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # The throttles of jwt_auth/throttling.py on every view that checks a password or
    # tells whether an account exists: "login" (POST /api/token/), "password" (forgot,
    # reset; change, email, phone: per user), "signup" (POST /api/auth/signup/). Per
    # identifier (username, email or phone, in any spelling), whatever the client address:
    # "login_account" (failed logins; an attacker who fails on purpose locks that
    # identifier for at most an hour) and "forgot_account" (reset e-mails to one mailbox).
    "DEFAULT_THROTTLE_RATES": REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    | {
        "login_account": throttle_rate("LOGIN_ACCOUNT_THROTTLE_RATE", "20/hour"),
        "forgot_account": throttle_rate("FORGOT_ACCOUNT_THROTTLE_RATE", "5/hour"),
        "password": throttle_rate("PASSWORD_THROTTLE_RATE", "5/minute"),
        "signup": throttle_rate("SIGNUP_THROTTLE_RATE", "10/minute"),
    },
}

AUTH_USER_MODEL = "accounts.User"
# Log in with username, email or phone (accounts/backends.py); it is a ModelBackend, so
# the admin and permissions work as usual.
AUTHENTICATION_BACKENDS = ["accounts.backends.UsernameEmailPhoneBackend"]
# Phone numbers without a leading "+" are read as numbers of this region.
PHONE_DEFAULT_REGION = os.environ.get("PHONE_DEFAULT_REGION", "US")

# Where the forgot-password e-mail points: the front end's page, which posts
# uid + token + new password to /api/auth/password/reset/. In development the console
# (the plumbing's e-mail backend) is the mailbox: reset links are printed there only.
PASSWORD_RESET_URL = os.environ.get("PASSWORD_RESET_URL", "http://localhost:3000/reset-password")
PASSWORD_RESET_TIMEOUT = 60 * 60  # seconds a reset link stays valid
DEFAULT_FROM_EMAIL = "accounts@example.com"

SPECTACULAR_SETTINGS |= {
    "TITLE": "jwt_demo API",
    "DESCRIPTION": "JWT login by username, email or phone, refresh rotation, revocation, and the account API.",
}

LOGGING["loggers"]["jwt_demo"] = DEMO_LOGGER
