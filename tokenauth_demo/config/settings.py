"""tokenauth_demo's settings: the lesson's settings, after the plumbing every demo shares.

config/plumbing/settings.py (identical in every demo; not the lesson) holds the
development defaults, production hardening (DJANGO_ENV=production), the database URL,
static files, the throttle cache and the API settings every demo has. It is imported
first so that what follows can extend it: everything below is part of this demo's lesson.
"""

from datetime import timedelta

from config.plumbing.settings import *  # noqa: F403 (plumbing: identical in every demo)
from config.plumbing.settings import (  # the names this file extends
    CACHES,
    DEMO_LOGGER,
    INSTALLED_APPS,
    LOGGING,
    MIDDLEWARE,
    REST_FRAMEWORK,
    SPECTACULAR_SETTINGS,
    int_env,
    throttle_rate,
)

INSTALLED_APPS += [
    "rest_framework.authtoken",  # DRF's Token model: one key per user
    "tokens",  # the lesson: sign-up, login, the secure page, logout, the receivers
]

# Pitfall 3's probe (the lesson, not trap code): on every response, the username or
# "anonymous" that middleware sees before and after the view, in two headers; it decides
# nothing. After AuthenticationMiddleware, so that "before" is what Django itself knows
# (sessions only).
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "tokens.middleware.RequestUserProbeMiddleware",
)

# Pitfall 1's fix: a token older than this is refused (401) and login issues a new one.
TOKEN_LIFETIME = timedelta(seconds=int_env("TOKEN_LIFETIME_SECONDS", 60 * 60 * 24, minimum=1))

REST_FRAMEWORK |= {
    # Token first: its WWW-Authenticate header turns "not authenticated" into 401 (pitfall 2).
    # DRF's default would add Basic and Session: Basic checks a password on every request,
    # a second, unthrottled way to guess passwords next to the throttled login.
    "DEFAULT_AUTHENTICATION_CLASSES": ["tokens.authentication.ExpiringTokenAuthentication"],
    # Secure by default: views that anonymous clients may call say so explicitly.
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
}

# Sign-ups per client address (config.plumbing.throttling.AccountThrottle, scope "signup"):
# each one tells whether a username is taken. Added to the plumbing's rates, which already
# hold login attempts per client address (scope "login", LOGIN_THROTTLE_RATE, 10/minute).
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] |= {"signup": throttle_rate("SIGNUP_THROTTLE_RATE", "20/hour")}

SPECTACULAR_SETTINGS |= {
    "TITLE": "tokenauth_demo API",
    "DESCRIPTION": "Token sign-up, login, a secure page and logout (DRF's TokenAuthentication, expiring).",
}

LOGGING["loggers"]["tokenauth_demo"] = DEMO_LOGGER

# The login throttle's counts must be shared by every worker process: LocMemCache is one
# per process, so behind gunicorn with four workers a client would get four times the
# attempts. The database is shared (migration tokens/0002 creates the table).
# MAX_ENTRIES: culling must not erase the counts a guesser is building up (Django's
# DatabaseCache deletes a third of its rows when full).
CACHES["throttle"] = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "tokenauth_demo_throttle",
    "OPTIONS": {"MAX_ENTRIES": 1_000_000},
}
