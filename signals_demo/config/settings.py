"""Settings for signals_demo.

Development is the default: DEBUG on, a clearly-marked insecure key, SQLite in this
folder. ``DJANGO_ENV=production`` switches to production mode, where every secret
comes from the environment and ``manage.py check --deploy`` passes.
"""

import os
from pathlib import Path

import dj_database_url
import django
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
    SECRET_KEY = "django-insecure-development-only-signals-demo-key-do-not-deploy"
    DEBUG = True
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
    EMAIL_BACKEND_PATH = "django.core.mail.backends.console.EmailBackend"  # prints emails

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
    "activity",
    "accounts",
    "students",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.refuse_nul_bytes",  # a NUL in the URL is a 400, not PostgreSQL's DataError (500)
    "config.middleware.TrailingSlashMiddleware",  # CommonMiddleware; 404, not 500, for a POST without its slash
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

# SQLite in this folder by default; DATABASE_URL switches to PostgreSQL
# (postgres://postgres@127.0.0.1:5432/signals_demo) or another SQLite file.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
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
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))  # uploaded pictures
# Student pictures (students/pictures.py): bytes of the file, and width x height decoded.
STUDENT_PICTURE_MAX_BYTES = 5 * 1024 * 1024
STUDENT_PICTURE_MAX_PIXELS = 24_000_000  # 6000 x 4000; decoding takes about 3 bytes per pixel
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The login throttle's counters (accounts/throttling.py) must be shared by every worker
# process: Django's default cache (LocMemCache) is one per process, so behind gunicorn
# with four workers a client would get four times the attempts. The database is shared;
# migration accounts/0002 creates the table. MAX_ENTRIES: culling must not erase the
# counters a guesser is building up (Django's DatabaseCache deletes a third when full).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "throttle": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "signals_demo_throttle",
        "OPTIONS": {"MAX_ENTRIES": 1_000_000},
    },
}

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # No MultiPartParser here: it would read a file of any size to disk on every endpoint
    # (Django spools uploads, DATA_UPLOAD_MAX_MEMORY_SIZE does not count them), then ignore
    # it. Only the picture endpoint takes a file, and checks its Content-Length first.
    "DEFAULT_PARSER_CLASSES": [
        "config.parsers.JSONParser",  # DRF's, plus 400 (not 500) for absurdly deep nesting
        "rest_framework.parsers.FormParser",  # bounded by DATA_UPLOAD_MAX_MEMORY_SIZE
    ],
    # JSON, not Django's HTML 400 page, for a body too large or with too many fields.
    "EXCEPTION_HANDLER": "config.exceptions.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # Session cookies only. DRF's default adds HTTP Basic, which checks a username and
    # password on every request to every view: a second, unthrottled way to guess passwords
    # next to the throttled login endpoint. The browser, Swagger UI and curl's cookie jar
    # all work with the session that POST /api/auth/login/ sets.
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    # Login attempts per client address (accounts/throttling.py); "N/second|minute|hour|day".
    "DEFAULT_THROTTLE_RATES": {"login": os.environ.get("LOGIN_THROTTLE_RATE") or "10/minute"},
    # The client address is REMOTE_ADDR: with no proxy in front, an X-Forwarded-For header
    # is the client's own claim and must not pick its throttle bucket. Behind N proxies, set N.
    "NUM_PROXIES": int(os.environ.get("DJANGO_NUM_PROXIES", "0")),
    # drf-spectacular's AutoSchema, plus the error responses DRF sends (config/openapi.py).
    "DEFAULT_SCHEMA_CLASS": "config.openapi.DemoAutoSchema",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "signals_demo API",
    "DESCRIPTION": "Students, session login and the activity feed that the signal receivers write.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,  # the schema does not describe /api/schema/ itself
    # The schema and the docs page are public; a garbage Authorization header is ignored.
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

# The activity feed (GET /api/events/) shows at most this many events.
# A setting_changed receiver clears the cached value (see activity/receivers.py).
ACTIVITY_FEED_LIMIT = 50

# Django 6.1 configures email with MAILERS and deprecates EMAIL_BACKEND; 5.2 knows only
# EMAIL_BACKEND. Set whichever the installed Django reads.
if django.VERSION >= (6, 1):
    MAILERS = {"default": {"BACKEND": EMAIL_BACKEND_PATH}}
else:
    EMAIL_BACKEND = EMAIL_BACKEND_PATH
DEFAULT_FROM_EMAIL = "school@example.com"
# Where the "new student" notice goes (students/receivers.py, sent on commit).
SCHOOL_OFFICE_EMAIL = os.environ.get("SCHOOL_OFFICE_EMAIL", "office@example.com")

# A connection_created receiver sets this on every PostgreSQL connection (activity/receivers.py).
DATABASE_STATEMENT_TIMEOUT_MS = 30_000

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"signals_demo": {"handlers": ["console"], "level": os.environ.get("DEMO_LOG_LEVEL", "WARNING")}},
}
