"""Settings for scheduler_demo.

Development is the default: DEBUG on, a clearly-marked insecure key, SQLite in this
folder. ``DJANGO_ENV=production`` switches to production mode, where every secret
comes from the environment and ``manage.py check --deploy`` passes.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
PRODUCTION = os.environ.get("DJANGO_ENV", "development") == "production"

if PRODUCTION:
    SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]  # fail loudly when missing
    DEBUG = False
    ALLOWED_HOSTS = os.environ["DJANGO_ALLOWED_HOSTS"].split(",")
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
    # django4-background-tasks: the Task / CompletedTask tables and `process_tasks`.
    "background_task",
    "accounts",
    "contacts",
    "scheduler",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

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
    # The web process and the `process_tasks` worker write to the same file at once.
    # WAL lets readers (progress polling) run during a write; IMMEDIATE takes the write
    # lock when a transaction starts instead of failing halfway with "database is
    # locked"; `timeout` is how long a writer waits for the other one.
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
STATIC_ROOT = BASE_DIR / "staticfiles"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

# A JSON list of 50,000 contacts is a few MB; Django's 2.5 MB default would refuse it.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- django4-background-tasks (read by background_task/settings.py) -----------------
# A failed task is retried MAX_ATTEMPTS times in total, the n-th retry waiting
# n ** BACKOFF_MULTIPLIER + 5 seconds (6 s, 21 s, 86 s, 261 s), then it moves to
# CompletedTask with failed_at and last_error set.
MAX_ATTEMPTS = 5
BACKOFF_MULTIPLIER = 4
# A worker locks a task by writing its PID and the time. If the worker dies (SIGKILL,
# OOM, lost machine) nothing unlocks it: the lock simply expires MAX_RUN_TIME seconds
# later and another worker takes the task again. It must be longer than the slowest
# task, or a second worker starts the same task while the first is still running.
MAX_RUN_TIME = int(os.environ.get("SCHEDULER_MAX_RUN_TIME", "600"))
# One task at a time per worker process; scale with more processes, not threads
# (the thread pool shares one process, its locking count is approximate).
BACKGROUND_TASK_RUN_ASYNC = False

# --- The contacts import -------------------------------------------------------------
CONTACTS_IMPORT_BATCH_SIZE = int(os.environ.get("CONTACTS_IMPORT_BATCH_SIZE", "500"))
CONTACTS_IMPORT_MAX_ROWS = 50_000
# Import records older than this are deleted by the daily cleanup.
CONTACTS_IMPORT_RETENTION_DAYS = 30
# The finished-task log (CompletedTask) is expired data after this many days.
COMPLETED_TASK_RETENTION_DAYS = 14
# An invite still unanswered after this many days gets one reminder.
INVITE_REMINDER_AFTER_DAYS = 7

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "scheduler_demo": {"handlers": ["console"], "level": os.environ.get("DEMO_LOG_LEVEL", "WARNING")},
        # The worker logs each task it runs and every traceback it reschedules.
        "background_task": {"handlers": ["console"], "level": os.environ.get("WORKER_LOG_LEVEL", "INFO")},
    },
}
