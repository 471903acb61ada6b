"""Settings for tokenauth_demo.

Development is the default: DEBUG on, a clearly-marked insecure key, SQLite in this
folder. ``DJANGO_ENV=production`` switches to production mode, where every secret
comes from the environment and ``manage.py check --deploy`` passes.
"""

import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
PRODUCTION = os.environ.get("DJANGO_ENV", "development") == "production"


def required_env(name, example):
    """A production setting that has no safe default: missing or empty is an error that
    says what to set, not a bare KeyError from deep inside the settings module."""
    value = os.environ.get(name, "")
    if not value:
        raise ImproperlyConfigured(f"{name} must be set when DJANGO_ENV=production, for example {name}={example}")
    return value


def int_env(name, default, minimum):
    """A whole number from the environment, at least ``minimum``: anything else stops
    startup naming the variable (not a bare ValueError, nor a zero lifetime that would
    make every new token expire as it is issued)."""
    raw = os.environ.get(name) or str(default)
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or value < minimum:
        raise ImproperlyConfigured(f"{name} must be a whole number of at least {minimum}, not {raw!r}")
    return value


if PRODUCTION:
    SECRET_KEY = required_env("DJANGO_SECRET_KEY", "a-long-random-string")  # empty is refused too
    DEBUG = False
    ALLOWED_HOSTS = required_env("DJANGO_ALLOWED_HOSTS", "api.example.com,www.example.com").split(",")
    CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
else:
    # Development default only: never used when DJANGO_ENV=production.
    SECRET_KEY = "django-insecure-development-only-tokenauth-demo-key-do-not-deploy"
    DEBUG = True
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",  # the Token model: one key per user
    "drf_spectacular",  # the OpenAPI schema at /api/schema/, Swagger UI at /api/docs/
    "drf_spectacular_sidecar",  # Swagger UI's files, served from here instead of a CDN
    "demotokenauth",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.refuse_nul_bytes",  # a NUL in the URL is a 400, not PostgreSQL's DataError (500)
    "config.middleware.TrailingSlashMiddleware",  # CommonMiddleware; 404, not 500, for a POST without its slash
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Pitfall 3: records which user middleware sees before and after the view.
    "demotokenauth.middleware.RequestUserProbeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
if PRODUCTION:
    # DEBUG off: Django stops serving /static/ (Swagger UI's files). WhiteNoise serves
    # STATIC_ROOT from the app server instead: run `python manage.py collectstatic` on deploy.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite in this folder by default; DATABASE_URL switches to PostgreSQL
# (postgres://postgres@127.0.0.1:5432/tokenauth_demo) or another SQLite file.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int_env("DATABASE_CONN_MAX_AGE", 0, minimum=0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite has one writer at a time. WAL lets readers run during a write; IMMEDIATE takes
    # the write lock when a transaction starts, so a second writer waits (up to `timeout`
    # seconds) instead of failing halfway with "database is locked" (a 500) when it tries to
    # turn its read into a write. PostgreSQL needs nothing here.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE", "timeout": 20}
    )

# /demotoken/register/ runs every new password through these validators.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))  # collectstatic writes here
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The throttle counts live in a cache of their own ("throttle", demotokenauth/throttling.py).
# In "default" (300 entries, then LocMemCache culls a third) any busy use of the cache would
# cull them, and a culled count is a fresh budget for a password guesser. The throttle cache
# holds nothing else, one small entry per client address active within a window: 100,000
# entries (a few tens of MB at most) is far beyond the addresses one process sees in a
# minute; past that, the least recently seen addresses are forgotten first.
# LocMemCache is per process: with several workers, point both at a shared cache (Redis,
# Memcached) or each worker counts alone.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
    "throttle": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "throttle",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    },
}

# Pitfall 1's fix: a token older than this is refused (401) and login issues a new one.
TOKEN_LIFETIME = timedelta(seconds=int_env("TOKEN_LIFETIME_SECONDS", 60 * 60 * 24, minimum=1))


def throttle_rate(name, default):
    """A rate from the environment, "N/second|minute|hour|day" as DRF parses it."""
    rate = os.environ.get(name) or default
    if not re.fullmatch(r"\d+/(s|sec|second|m|min|minute|h|hour|d|day)", rate):
        raise ImproperlyConfigured(f"{name} must look like '{default}', not {rate!r}")
    return rate


# Login attempts, and sign-ups (each one tells whether a username is taken), per client address.
LOGIN_THROTTLE_RATE = throttle_rate("LOGIN_THROTTLE_RATE", "10/minute")
SIGNUP_THROTTLE_RATE = throttle_rate("SIGNUP_THROTTLE_RATE", "20/hour")

REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header turns "not authenticated" into 401 (pitfall 2).
    "DEFAULT_AUTHENTICATION_CLASSES": ["demotokenauth.authentication.ExpiringTokenAuthentication"],
    # Secure by default: views that anonymous clients may call say so explicitly.
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_RATES": {"login": LOGIN_THROTTLE_RATE, "signup": SIGNUP_THROTTLE_RATE},
    # How many reverse proxies sit in front of the app. With DRF's default (None) a
    # client can send any X-Forwarded-For and get a fresh throttle bucket each time.
    "NUM_PROXIES": int_env("DJANGO_NUM_PROXIES", 0, minimum=0),
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "config.parsers.JSONParser",  # DRF's, plus 400 (not 500) for absurdly deep nesting
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # drf-spectacular's AutoSchema, plus the error responses DRF sends (config/openapi.py).
    "DEFAULT_SCHEMA_CLASS": "config.openapi.DemoAutoSchema",
    # DRF's handler, plus JSON (413/400) for the bodies and query strings Django refuses
    # (too large, too many fields): otherwise an HTML page, or under DEBUG a 500.
    "EXCEPTION_HANDLER": "config.exceptions.exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "tokenauth_demo API",
    "DESCRIPTION": "Token sign-up, login, a secure page and logout (DRF's TokenAuthentication, expiring).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,  # the schema does not describe /api/schema/ itself
    "PREPROCESSING_HOOKS": ["config.openapi.without_slashless_aliases"],
    # The schema and the docs page are public (like the sign-up page), whatever the
    # API's default permission; a stale or garbage Authorization header is ignored.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    # Request and response bodies as separate components: read-only fields (id) are not
    # asked for in requests, write-only ones (password) never promised in responses.
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI's JavaScript, CSS and icon from our own /static/ (drf-spectacular-sidecar),
    # never from a CDN: the docs page works offline and loads no third-party code.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}
