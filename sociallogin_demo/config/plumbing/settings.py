"""Plumbing settings: identical in every demo; not the lesson.

Development is the default: DEBUG on, a clearly marked insecure key, SQLite in the demo's
folder. ``DJANGO_ENV=production`` switches to production mode: every secret comes from
the environment, a missing one stops startup naming it, and ``manage.py check --deploy``
passes. The demo's config/settings.py imports everything here, then adds its lesson.
"""

import os
import re
from pathlib import Path

import dj_database_url
import django
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent  # the demo's folder
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
    startup naming the variable (not a bare ValueError, nor a zero that would make, say,
    every new token expire as it is issued)."""
    raw = os.environ.get(name) or str(default)
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or value < minimum:
        raise ImproperlyConfigured(f"{name} must be a whole number of at least {minimum}, not {raw!r}")
    return value


def throttle_rate(name, default):
    """A throttle rate from the environment, "N/second|minute|hour|day" as DRF parses it."""
    rate = os.environ.get(name) or default
    if not re.fullmatch(r"\d+/(s|sec|second|m|min|minute|h|hour|d|day)", rate):
        raise ImproperlyConfigured(f"{name} must look like '{default}', not {rate!r}")
    return rate


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
    EMAIL_BACKEND_PATH = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
else:
    # Development default only: never used when DJANGO_ENV=production.
    SECRET_KEY = "django-insecure-development-only-demo-key-do-not-deploy"
    DEBUG = True
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
    EMAIL_BACKEND_PATH = "django.core.mail.backends.console.EmailBackend"  # prints emails

# Django 6.1 configures email with MAILERS and deprecates EMAIL_BACKEND; 5.2 knows only
# EMAIL_BACKEND. Set whichever the installed Django reads.
if django.VERSION >= (6, 1):
    MAILERS = {"default": {"BACKEND": EMAIL_BACKEND_PATH}}
else:
    EMAIL_BACKEND = EMAIL_BACKEND_PATH

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",  # the OpenAPI schema at /api/schema/, Swagger UI at /api/docs/
    "drf_spectacular_sidecar",  # Swagger UI's files, served from here instead of a CDN
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.plumbing.middleware.refuse_nul_bytes",  # a NUL in a URL: 400, not PostgreSQL's 500
    "config.plumbing.middleware.TrailingSlashMiddleware",  # CommonMiddleware, with a JSON 404
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
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

# SQLite in the demo's folder by default; DATABASE_URL switches to PostgreSQL
# (postgres://postgres@127.0.0.1:5432/<demo>) or another SQLite file.
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
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Every new password (sign-up, change, reset) runs through these validators.
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

# The throttles (config/plumbing/throttling.py) count in a cache of their own, never in
# "default": a cache culls when full (LocMemCache: a third of 300 entries by default), and
# a count culled by unrelated traffic is a fresh budget for a password guesser. 100,000
# entries is far beyond the client addresses one process sees in a window. LocMemCache is
# per process: a demo served by several processes points "throttle" at a shared cache.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
    "throttle": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "throttle",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    },
}

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # No MultiPartParser: it would read a file of any size to disk on every endpoint
    # (Django spools uploads; DATA_UPLOAD_MAX_MEMORY_SIZE does not count them), then
    # ignore it. A view that takes a file names its parsers and bounds the file first.
    "DEFAULT_PARSER_CLASSES": [
        "config.plumbing.parsers.JSONParser",  # DRF's, plus 400 (not 500) for absurd nesting
        "rest_framework.parsers.FormParser",  # bounded by DATA_UPLOAD_MAX_MEMORY_SIZE
    ],
    # DRF's handler, plus JSON (413/400) for the bodies and query strings Django refuses
    # (too large, too many fields): otherwise an HTML page, or under DEBUG a 500.
    "EXCEPTION_HANDLER": "config.plumbing.exceptions.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # Login attempts per client address; each demo adds the scopes of its own throttles.
    "DEFAULT_THROTTLE_RATES": {"login": throttle_rate("LOGIN_THROTTLE_RATE", "10/minute")},
    # How many reverse proxies sit in front of the app. With DRF's default (None) a client
    # can send any X-Forwarded-For and get a fresh throttle bucket each time.
    "NUM_PROXIES": int_env("DJANGO_NUM_PROXIES", 0, minimum=0),
    # drf-spectacular's AutoSchema, plus the error responses DRF sends (openapi.py).
    "DEFAULT_SCHEMA_CLASS": "config.plumbing.openapi.AutoSchemaWithErrors",
}

SPECTACULAR_SETTINGS = {
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,  # the schema does not describe /api/schema/ itself
    # The schema and the docs page are public, whatever the API's default permission;
    # a stale or garbage Authorization header is ignored.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    # Request and response bodies as separate components: read-only fields (id) are not
    # asked for in requests, write-only ones (password) never promised in responses.
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI's JavaScript, CSS and icon from our own /static/ (drf-spectacular-sidecar),
    # never from a CDN: the docs page works offline and loads no third-party code.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "PREPROCESSING_HOOKS": ["config.plumbing.openapi.without_slashless_aliases"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {},
}
# The demo's own logger, for config/settings.py: LOGGING["loggers"]["<demo>"] = DEMO_LOGGER.
DEMO_LOGGER = {"handlers": ["console"], "level": os.environ.get("DEMO_LOG_LEVEL", "WARNING")}
if PRODUCTION:
    # Django prints a 500's traceback only with DEBUG on (and mails ADMINS): without this,
    # a server error in production leaves no trace. Tracebacks hold no request body.
    LOGGING["loggers"]["django.request"] = {"handlers": ["console"], "level": "ERROR", "propagate": False}
