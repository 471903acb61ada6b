"""auditlog_demo's settings: the lesson's settings, after the plumbing every demo shares.

config/plumbing/settings.py (identical in every demo; not the lesson) holds the
development defaults, production hardening (DJANGO_ENV=production), the database URL,
static files, the throttle cache and the API settings every demo has. It is imported
first so that what follows can extend it: everything below is part of this demo's lessons,
the audit log (django-auditlog, app ``audit``) and the API hit log (app ``hits``).
"""

from datetime import timedelta

from audit.client_ip import trusted_proxies_from_env
from config.plumbing.settings import *  # noqa: F403 (plumbing: identical in every demo)
from config.plumbing.settings import (  # the names this file extends
    CACHES,
    DATABASES,
    DEMO_LOGGER,
    INSTALLED_APPS,
    LOGGING,
    MIDDLEWARE,
    REST_FRAMEWORK,
    SPECTACULAR_SETTINGS,
)

INSTALLED_APPS += [
    "auditlog",  # django-auditlog: the LogEntry table, its signals and its admin
    "accounts",  # the custom user (audited) and SimpleJWT's login and refresh
    "notes",  # the API both lessons observe: notes with tags, audited
    "audit",  # lesson 1: the audit log's actor, client IP and history endpoints
    "hits",  # lesson 2: the API hit logger
]

# Outermost of ours (after SecurityMiddleware, and WhiteNoise in production): it times the
# whole request and reads request.user only after the view ran, when DRF has written the
# user it authenticated back onto the request.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"), "hits.middleware.APIHitLoggerMiddleware"
)
# django-auditlog's middleware (proxy-aware subclass) for the session-authenticated
# admin; /api/ views set the actor themselves after DRF authenticated (pitfall 1).
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "audit.middleware.SessionAuditlogMiddleware",
)

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Every API request commits twice (the view, then the hit logger): fsync at WAL
    # checkpoints only, or the hit's own commit waits for the disk (45-75% throughput).
    DATABASES["default"]["OPTIONS"]["init_command"] += " PRAGMA synchronous=NORMAL;"

AUTH_USER_MODEL = "accounts.User"

REST_FRAMEWORK |= {
    # Token-only API (no Basic, no session): a bad, expired or forged token is DRF's normal 401.
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework_simplejwt.authentication.JWTAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
}

SPECTACULAR_SETTINGS |= {
    "TITLE": "auditlog_demo API",
    "DESCRIPTION": "Notes with an audit trail (django-auditlog) and an API hit log, behind JWT.",
}

SIMPLE_JWT = {
    # 15 minutes, not SimpleJWT's 5: long enough to try the API by hand with one token, still
    # short because nothing revokes an access token early except a password change (below).
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=15),
    # SimpleJWT's default, written out beside the access lifetime: a login lasts a day. No
    # rotation or blacklist: this demo is not about tokens (jwt_demo is).
    "REFRESH_TOKEN_LIFETIME": timedelta(days=1),
    # Every token carries a digest of the user's password hash ("hash_password", SimpleJWT
    # 5.3+). JWTAuthentication refuses an access token whose digest no longer matches;
    # SimpleJWT 5.5's refresh view does not look, so accounts/views.py RefreshSerializer does:
    # a password change (admin, shell, reset) ends every session at once.
    "CHECK_REVOKE_TOKEN": True,
}

# django-auditlog (pitfall 4): keep changes as JSON values (1, true, null) instead of the
# default strings ("1", "True", "None"). Applies to entries written from now on.
AUDITLOG_STORE_JSON_CHANGES = True

# The API hit logger (hits/middleware.py) logs requests whose path starts with this prefix.
HITS_PATH_PREFIX = "/api/"

# Reverse proxies whose X-Forwarded-For is believed (IPs or networks, comma-separated),
# e.g. DJANGO_TRUSTED_PROXIES=10.0.0.0/8. Empty by default: the header is ignored and the
# client IP is the socket's REMOTE_ADDR. The one client-IP rule of both lessons: the hit
# log, the audit log and the login throttle (audit/client_ip.py).
TRUSTED_PROXIES = trusted_proxies_from_env("DJANGO_TRUSTED_PROXIES")

LOGGING["loggers"]["auditlog_demo"] = DEMO_LOGGER

# The login throttle's counts must be shared by every worker process: LocMemCache is one
# per process, so behind gunicorn with four workers a client would get four times the
# attempts. The database is shared (migration accounts/0002 creates the table).
# MAX_ENTRIES: culling must not erase the counts a guesser is building up (Django's
# DatabaseCache deletes a third of its rows when full).
CACHES["throttle"] = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "auditlog_demo_throttle",
    "OPTIONS": {"MAX_ENTRIES": 1_000_000},
}
