"""Settings for jwt_demo.

Development is the default: DEBUG on, a clearly-marked insecure key, SQLite in this
folder. ``DJANGO_ENV=production`` switches to production mode, where every secret
comes from the environment and ``manage.py check --deploy`` passes.
"""

import os
from datetime import timedelta
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
    # The key that signs the JWTs: its own secret, so that rotating SECRET_KEY (sessions,
    # password-reset links) does not log everybody out, and a leak of one does not let
    # anyone forge the other. The same value for both is refused: it would undo that.
    JWT_SIGNING_KEY = required_env("JWT_SIGNING_KEY", "another-long-random-string")
    if JWT_SIGNING_KEY == SECRET_KEY:
        raise ImproperlyConfigured("JWT_SIGNING_KEY must differ from DJANGO_SECRET_KEY (see config/settings.py)")
    # RFC 7518, section 3.2: an HS256 key MUST be at least as long as the hash, 256 bits.
    # A shorter one can be found offline from any single token, and then forges them all.
    if len(JWT_SIGNING_KEY.encode()) < 32:
        raise ImproperlyConfigured("JWT_SIGNING_KEY must be at least 32 bytes (RFC 7518, 3.2): use 50 random ones")
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
    SECRET_KEY = "django-insecure-development-only-jwt-demo-key-do-not-deploy"
    JWT_SIGNING_KEY = "django-insecure-development-only-jwt-signing-key-do-not-deploy"
    DEBUG = True
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
    # The console is the development mailbox: reset links are printed there (and only there).
    EMAIL_BACKEND_PATH = "django.core.mail.backends.console.EmailBackend"

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
    # Before SimpleJWT's blacklist app: its `flushexpiredtokens` command is replaced by
    # jwt_auth's, which also prunes the revocation table (Django runs the command of the
    # first app in INSTALLED_APPS that has one).
    "jwt_auth",
    "rest_framework_simplejwt.token_blacklist",
    "drf_spectacular",  # the OpenAPI schema at /api/schema/, Swagger UI at /api/docs/
    "drf_spectacular_sidecar",  # Swagger UI's files, served from here instead of a CDN
    "accounts",
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
# (postgres://postgres@127.0.0.1:5432/jwt_demo) or another SQLite file.
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

# Caches hold nothing that security depends on forgetting or keeping, except the throttle
# counters. "default": Django's database cache (its tables are created by
# jwt_auth/migrations/0001_cache_table.py, so a plain `migrate` is enough); REDIS_URL
# switches to Django's built-in Redis backend.
# "throttle": the login / password / sign-up counters, apart from everything else. The
# database cache culls a third of its rows (the first by key) whenever it passes
# MAX_ENTRIES (300 by default): unrelated entries could then erase a client's count and
# reopen password guessing. Here culling starts only past 1,000,000 counters (one row per
# client address or user and scope; expired rows are deleted at that point too). With
# Redis, run it with `maxmemory-policy noeviction` so no counter is evicted early.
THROTTLE_MAX_ENTRIES = 1_000_000
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "jwt_demo",
        },
        "throttle": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "jwt_demo_throttle",
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
            "OPTIONS": {"MAX_ENTRIES": THROTTLE_MAX_ENTRIES},
        },
    }
THROTTLE_CACHE = "throttle"  # read by jwt_auth.throttling.SharedScopedRateThrottle
# Revocation (logout, rotation, password change) lives in a database table, the source of
# truth (jwt_auth.models.RevokedToken): no cache can forget it. With Redis, a cache in
# front answers "not revoked" without a query; a miss always falls back to the table
# (jwt_auth/revocation.py). With the database cache it would only add queries: none.
JWT_REVOCATION_CACHE = "default" if REDIS_URL else None

AUTH_USER_MODEL = "accounts.User"
# Log in with username, email or phone (accounts/backends.py); it is a ModelBackend, so
# the admin and permissions work as usual.
AUTHENTICATION_BACKENDS = ["accounts.backends.UsernameEmailPhoneBackend"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Phone numbers without a leading "+" are read as numbers of this region.
PHONE_DEFAULT_REGION = os.environ.get("PHONE_DEFAULT_REGION", "US")

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))  # collectstatic writes here
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["jwt_auth.authentication.RevocationAwareJWTAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "config.parsers.JSONParser",  # DRF's, plus 400 (not 500) for absurdly deep nesting
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # jwt_auth.throttling.SharedScopedRateThrottle (counters in CACHES["throttle"]) on
    # every view that checks a password or tells whether an account exists: "login"
    # (POST /api/token/), "password" (forgot, reset; change, email, phone: per user),
    # "signup" (POST /api/auth/signup/). Per identifier (username, email or phone, in any
    # spelling), whatever the client address: "login_account" (failed logins; an attacker
    # who fails on purpose locks that identifier for at most an hour) and "forgot_account"
    # (reset e-mails to one mailbox).
    "DEFAULT_THROTTLE_RATES": {
        "login": os.environ.get("LOGIN_THROTTLE_RATE") or "10/minute",
        "login_account": os.environ.get("LOGIN_ACCOUNT_THROTTLE_RATE") or "20/hour",
        "forgot_account": os.environ.get("FORGOT_ACCOUNT_THROTTLE_RATE") or "5/hour",
        "password": os.environ.get("PASSWORD_THROTTLE_RATE") or "5/minute",
        "signup": os.environ.get("SIGNUP_THROTTLE_RATE") or "10/minute",
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # DRF's client address for throttling is REMOTE_ADDR: with no proxy in front, an
    # X-Forwarded-For header is the client's own claim and must not pick its throttle
    # bucket (a new value per request would reset the count). Behind N proxies, set N.
    "NUM_PROXIES": int(os.environ.get("DJANGO_NUM_PROXIES", "0")),
    # JSON for the bodies Django refuses (too large: 413; too many fields or files: 400).
    "EXCEPTION_HANDLER": "config.exceptions.exception_handler",
    # drf-spectacular's AutoSchema, plus the error responses DRF sends (config/openapi.py).
    "DEFAULT_SCHEMA_CLASS": "config.openapi.DemoAutoSchema",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "jwt_demo API",
    "DESCRIPTION": "JWT login by username, email or phone, refresh rotation, revocation, and the account API.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,  # the schema does not describe /api/schema/ itself
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

SIMPLE_JWT = {
    # Short-lived access tokens: a stolen one is useful for 5 minutes at most.
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=5),
    # A refresh token lives one day; every use returns a new one (rotation) and
    # blacklists the old one, so a stolen refresh token is detected on its next use.
    "REFRESH_TOKEN_LIFETIME": timedelta(days=1),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    # last_login is updated by Django's own user_logged_in receiver (jwt_auth/views.py).
    "UPDATE_LAST_LOGIN": False,
    # Tokens carry a hash of the password hash: a password changed by *any* path
    # (API, admin, shell) invalidates the tokens issued before it.
    "CHECK_REVOKE_TOKEN": True,
    "ALGORITHM": "HS256",
    # Not SECRET_KEY: see JWT_SIGNING_KEY above. SimpleJWT verifies with this one key only
    # (it ignores SECRET_KEY_FALLBACKS): changing it ends every session (README, "Keys").
    "SIGNING_KEY": JWT_SIGNING_KEY,
    # Every token names who issued it and for whom; a token with another iss or aud (one
    # signed by another service that shares the key, say) is refused with a 401.
    "ISSUER": os.environ.get("JWT_ISSUER") or "jwt_demo",
    "AUDIENCE": os.environ.get("JWT_AUDIENCE") or "jwt_demo-api",
}

# Where the forgot-password e-mail points: the front end's page, which posts
# uid + token + new password to /api/auth/password/reset/.
PASSWORD_RESET_URL = os.environ.get("PASSWORD_RESET_URL", "http://localhost:3000/reset-password")
PASSWORD_RESET_TIMEOUT = 60 * 60  # seconds a reset link stays valid
DEFAULT_FROM_EMAIL = "accounts@example.com"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"jwt_demo": {"handlers": ["console"], "level": os.environ.get("DEMO_LOG_LEVEL", "WARNING")}},
}
if PRODUCTION:
    # Django prints a 500's traceback only with DEBUG on (and mails ADMINS): without this,
    # a server error in production leaves no trace. Tracebacks hold no request body.
    LOGGING["loggers"]["django.request"] = {"handlers": ["console"], "level": "ERROR", "propagate": False}
