"""Settings for scheduler_demo.

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
else:
    # Development default only: never used when DJANGO_ENV=production.
    SECRET_KEY = "django-insecure-development-only-scheduler-demo-key-do-not-deploy"
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
    "rest_framework.authtoken",
    "drf_spectacular",  # the OpenAPI schema at /api/schema/, Swagger UI at /api/docs/
    "drf_spectacular_sidecar",  # Swagger UI's files, served from here instead of a CDN
    # django4-background-tasks: the Task / CompletedTask tables and `process_tasks`.
    "background_task",
    # django-tasks-db: the database backend of Django's Tasks framework (table
    # django_tasks_db_dbtaskresult) and its worker, `manage.py db_worker`.
    "django_tasks_db",
    "accounts",
    "contacts",
    "scheduler",
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
# (postgres://postgres@127.0.0.1:5432/scheduler_demo) or another SQLite file.
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

AUTH_USER_MODEL = "accounts.User"

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

# The throttles' counters (accounts/throttling.py) live in the database, shared by every
# worker process: a local-memory cache is per process, so with four gunicorn workers a
# client would get four times the attempts. Migration accounts/0003 creates the table.
# MAX_ENTRIES: culling must not erase the counters a guesser is building up (Django's
# DatabaseCache deletes a third of the rows when full).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "throttle": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "scheduler_demo_throttle",
        "OPTIONS": {"MAX_ENTRIES": 1_000_000},
    },
}

REST_FRAMEWORK = {
    # Token first: its `WWW-Authenticate: Token` header makes unauthenticated calls 401.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.StrictTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "contacts.parsers.JSONParser",  # DRF's, with too deeply nested JSON a 400, not a 500
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # Login attempts per client address (accounts/throttling.py); "N/second|minute|hour|day".
    # Sign-ups per client address (accounts/throttling.py): each one hashes a password
    # and sends an email. Imports per user: each one says which contacts are members.
    "DEFAULT_THROTTLE_RATES": {
        "login": os.environ.get("LOGIN_THROTTLE_RATE") or "10/minute",
        "signup": os.environ.get("SIGNUP_THROTTLE_RATE") or "20/hour",
        "imports": os.environ.get("IMPORT_THROTTLE_RATE") or "60/hour",
    },
    # DRF's client address for throttling is REMOTE_ADDR: with no proxy in front, an
    # X-Forwarded-For header is the client's own claim. Behind N proxies, set N.
    "NUM_PROXIES": int(os.environ.get("DJANGO_NUM_PROXIES", "0")),
    # drf-spectacular's AutoSchema, plus the error responses DRF sends (config/openapi.py).
    "DEFAULT_SCHEMA_CLASS": "config.openapi.DemoAutoSchema",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "scheduler_demo API",
    "DESCRIPTION": "Sign-up and tokens, the contacts import (202, then a background task), its progress, and invites.",
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
}

# A JSON list of 50,000 contacts is a few MB; Django's 2.5 MB default would refuse it.
# Django checks it on request.body and form fields only; DRF's parsers read the stream
# past it, so every view with a body checks Content-Length first (BodySizeLimit).
DATA_UPLOAD_MAX_MEMORY_SIZE = 16 * 1024 * 1024
# An uploaded file over this size is written to a temporary file, not kept in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # Django's default, 2.5 MB, stated

# --- Which engine runs the background tasks -----------------------------------------
# The import task body is written once (contacts.importer.run_import); each engine has
# a thin wrapper, and contacts.enqueue.enqueue_import queues it on this one.
TASKS_ENGINES = ("background_task", "django_tasks", "celery")
TASKS_ENGINE = os.environ.get("TASKS_ENGINE", "background_task")
if TASKS_ENGINE not in TASKS_ENGINES:
    raise ImproperlyConfigured(f"TASKS_ENGINE must be one of {', '.join(TASKS_ENGINES)}, not {TASKS_ENGINE!r}.")
# Tries in total of a failing task, for the engines that retry (background_task, Celery).
MAX_ATTEMPTS = int(os.environ.get("TASK_MAX_ATTEMPTS", "5"))

# --- django4-background-tasks (read by background_task/settings.py) -----------------
# A failed task is retried MAX_ATTEMPTS times in total, the n-th retry waiting
# n ** BACKOFF_MULTIPLIER + 5 seconds (6 s, 21 s, 86 s, 261 s), then it moves to
# CompletedTask with failed_at and last_error set.
BACKOFF_MULTIPLIER = 4
# A worker locks a task by writing its PID and the time. If the worker dies (SIGKILL,
# OOM, lost machine) nothing unlocks it: the lock simply expires MAX_RUN_TIME seconds
# later and another worker takes the task again. It must be longer than the slowest
# task, or a second worker starts the same task while the first is still running.
MAX_RUN_TIME = int(os.environ.get("SCHEDULER_MAX_RUN_TIME", "600"))
# One task at a time per worker process; scale with more processes, not threads
# (the thread pool shares one process, its locking count is approximate).
BACKGROUND_TASK_RUN_ASYNC = False

# --- Django's Tasks framework --------------------------------------------------------
# Django 6 ships `django.tasks` with two backends only, ImmediateBackend (runs the task
# inside .enqueue()) and DummyBackend (stores it, runs nothing): no worker, no retries.
# The database backend and its worker come from django-tasks-db. On Django 5.2 the
# `django-tasks` backport provides the same API as the module `django_tasks`.
if django.VERSION < (6, 0):
    INSTALLED_APPS.append("django_tasks")
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# --- Celery, with Redis as broker and result backend (read by config/celery.py) --------
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
# JSON only. A worker that accepts pickle runs whatever code a message tells it to
# while unpickling it: anyone who can write to Redis owns every worker (README, pitfall 9).
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_ACCEPT_CONTENT = ["json"]
# Results keep the task name, args, retries and worker: the failure log, like
# background_task's CompletedTask. They expire with the same retention.
CELERY_RESULT_EXTENDED = True
CELERY_RESULT_EXPIRES = 60 * 60 * 24 * 14
# Acknowledge a message after the task ran, not when it is received: a worker killed
# mid-task leaves it unacknowledged, and Redis hands it out again after the visibility
# timeout (1 hour by default; keep it above the slowest task, as MAX_RUN_TIME above).
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # long tasks: a worker reserves one at a time
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = "scheduler_demo"
# A retry waits 1 s, 2 s, 4 s, ... (randomized, "full jitter"), at most this many seconds.
TASK_RETRY_BACKOFF_MAX = int(os.environ.get("TASK_RETRY_BACKOFF_MAX", "600"))
# Every Redis key (queues, results) gets this prefix: several projects, or test runs,
# can share one Redis server without reading each other's messages.
if CELERY_KEY_PREFIX := os.environ.get("CELERY_KEY_PREFIX", ""):
    CELERY_BROKER_TRANSPORT_OPTIONS = {"global_keyprefix": CELERY_KEY_PREFIX}
    CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"global_keyprefix": CELERY_KEY_PREFIX}

# --- The contacts import -------------------------------------------------------------
CONTACTS_IMPORT_BATCH_SIZE = int(os.environ.get("CONTACTS_IMPORT_BATCH_SIZE", "500"))
CONTACTS_IMPORT_MAX_ROWS = 50_000
# The largest upload, in bytes, refused before parsing (contacts/parsers.py, BodySizeLimit):
# 50,000 rows of a Google Contacts export, 30 columns each, fit in it.
CONTACTS_IMPORT_MAX_BYTES = int(os.environ.get("CONTACTS_IMPORT_MAX_BYTES", str(16 * 1024 * 1024)))
# At most this many ids in selected_ids / deselected_ids of one invite.
CONTACTS_INVITE_MAX_IDS = 10_000
# An import running (or pending) with no batch committed for this long is stalled: its
# status says so, and `manage.py resume_stalled_imports` queues it again. A batch of 500
# rows takes well under a second; a minute of silence means the worker is gone.
CONTACTS_IMPORT_STALLED_AFTER = int(os.environ.get("CONTACTS_IMPORT_STALLED_AFTER", "60"))
# Import records older than this are deleted by the daily cleanup.
CONTACTS_IMPORT_RETENTION_DAYS = 30
# The finished-task log (CompletedTask) is expired data after this many days.
COMPLETED_TASK_RETENTION_DAYS = 14
# An invite still unanswered after this many days gets one reminder.
INVITE_REMINDER_AFTER_DAYS = 7

# --- Email: the sign-up's verification code ----------------------------------------------
# Development writes each mail to a file in sent-emails/ (read the code there), never to
# the console or a log; production sends through SMTP (EMAIL_HOST, EMAIL_PORT, ...).
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH") or BASE_DIR / "sent-emails"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "scheduler-demo@localhost")
EMAIL_VERIFICATION_MAX_AGE = 3 * 24 * 60 * 60  # a code works for 3 days

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "scheduler_demo": {"handlers": ["console"], "level": os.environ.get("DEMO_LOG_LEVEL", "WARNING")},
        # The worker logs each task it runs and every traceback it reschedules.
        "background_task": {"handlers": ["console"], "level": os.environ.get("WORKER_LOG_LEVEL", "INFO")},
        "django_tasks_db": {"handlers": ["console"], "level": os.environ.get("WORKER_LOG_LEVEL", "INFO")},
    },
}
