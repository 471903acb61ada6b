"""scheduler_demo's settings: the lesson's settings, after the plumbing every demo shares.

config/plumbing/settings.py (identical in every demo; not the lesson) holds the
development defaults, production hardening (DJANGO_ENV=production), the database URL,
static files and the API settings every demo has. It is imported first so that what
follows can extend it: everything below is part of this demo's lesson: which engine runs
the background tasks, each engine's settings, and the contacts import's limits.
"""

import os

import django
from django.core.exceptions import ImproperlyConfigured

from config.plumbing.settings import *  # noqa: F403 (plumbing: identical in every demo)
from config.plumbing.settings import (  # the names this file extends
    BASE_DIR,
    CACHES,
    DEMO_LOGGER,
    INSTALLED_APPS,
    LOGGING,
    PRODUCTION,
    REST_FRAMEWORK,
    SPECTACULAR_SETTINGS,
    int_env,
    throttle_rate,
)

INSTALLED_APPS += [
    "rest_framework.authtoken",
    # django4-background-tasks: the Task / CompletedTask tables and `process_tasks`.
    "background_task",
    # django-tasks-db: the database backend of Django's Tasks framework (table
    # django_tasks_db_dbtaskresult) and its worker, `manage.py db_worker`.
    "django_tasks_db",
    "accounts",  # sign-up, email verification, tokens
    "contacts",  # the lesson's work: the contacts import, written once
    "scheduler",  # the lesson: one file per engine, the worker, the repeating tasks
]

# --- Which engine runs the background tasks -----------------------------------------
# The import task body is written once (contacts.importer.run_import); each engine has
# a thin wrapper in scheduler/engines/, and contacts.services.enqueue_import queues it on
# this one, after the transaction commits.
TASKS_ENGINES = ("background_task", "django_tasks", "celery")
TASKS_ENGINE = os.environ.get("TASKS_ENGINE", "background_task")
if TASKS_ENGINE not in TASKS_ENGINES:
    raise ImproperlyConfigured(f"TASKS_ENGINE must be one of {', '.join(TASKS_ENGINES)}, not {TASKS_ENGINE!r}.")
# Tries in total of a failing task, for the engines that retry (background_task, Celery).
MAX_ATTEMPTS = int_env("TASK_MAX_ATTEMPTS", 5, minimum=1)

AUTH_USER_MODEL = "accounts.User"

# The throttles' counts (config/plumbing/throttling.py, accounts/throttling.py) live in
# the database, shared by every worker process: a local-memory cache is per process, so
# with four gunicorn workers a client would get four times the attempts (33 of 40 login
# guesses were answered at 10/minute). Migration accounts/0003 creates the table.
# MAX_ENTRIES: culling must not erase the counts a guesser is building up (Django's
# DatabaseCache deletes a third of the rows when full).
CACHES["throttle"] = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "scheduler_demo_throttle",
    "OPTIONS": {"MAX_ENTRIES": 1_000_000},
}

REST_FRAMEWORK |= {
    # Token first: its `WWW-Authenticate: Token` header makes unauthenticated calls 401.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.StrictTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
}
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] |= {
    # Sign-ups and verifications per client address: each one hashes a password and sends
    # an email. Imports per user: each one says which contacts are members.
    "signup": throttle_rate("SIGNUP_THROTTLE_RATE", "20/hour"),
    "imports": throttle_rate("IMPORT_THROTTLE_RATE", "60/hour"),
}

SPECTACULAR_SETTINGS |= {
    "TITLE": "scheduler_demo API",
    "DESCRIPTION": "Sign-up and tokens, the contacts import (202, then a background task), its progress, and invites.",
}

# A JSON list of 50,000 contacts is a few MB; Django's 2.5 MB default would refuse it.
# Django checks it on request.body and form fields only; DRF's parsers read the stream
# past it, so every view with a body checks Content-Length first (BodySizeLimit).
DATA_UPLOAD_MAX_MEMORY_SIZE = 16 * 1024 * 1024
# An uploaded file over this size is written to a temporary file, not kept in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # Django's default, 2.5 MB, stated

# --- django4-background-tasks (read by background_task/settings.py) -----------------
# A failed task is retried MAX_ATTEMPTS times in total, the n-th retry waiting
# n ** BACKOFF_MULTIPLIER + 5 seconds (6 s, 21 s, 86 s, 261 s), then it moves to
# CompletedTask with failed_at and last_error set.
BACKOFF_MULTIPLIER = 4
# A worker locks a task by writing its PID and the time. If the worker dies (SIGKILL,
# OOM, lost machine) nothing unlocks it: the lock simply expires MAX_RUN_TIME seconds
# later and another worker takes the task again. It must be longer than the slowest
# task, or a second worker starts the same task while the first is still running.
MAX_RUN_TIME = int_env("SCHEDULER_MAX_RUN_TIME", 600, minimum=1)
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
TASK_RETRY_BACKOFF_MAX = int_env("TASK_RETRY_BACKOFF_MAX", 600, minimum=1)
# Every Redis key (queues, results) gets this prefix: several projects, or test runs,
# can share one Redis server without reading each other's messages.
if CELERY_KEY_PREFIX := os.environ.get("CELERY_KEY_PREFIX", ""):
    CELERY_BROKER_TRANSPORT_OPTIONS = {"global_keyprefix": CELERY_KEY_PREFIX}
    CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"global_keyprefix": CELERY_KEY_PREFIX}

# --- The contacts import -------------------------------------------------------------
CONTACTS_IMPORT_BATCH_SIZE = int_env("CONTACTS_IMPORT_BATCH_SIZE", 500, minimum=1)
CONTACTS_IMPORT_MAX_ROWS = 50_000
# The largest upload, in bytes, refused before parsing (contacts/parsers.py, BodySizeLimit):
# 50,000 rows of a Google Contacts export, 30 columns each, fit in it.
CONTACTS_IMPORT_MAX_BYTES = int_env("CONTACTS_IMPORT_MAX_BYTES", 16 * 1024 * 1024, minimum=1)
# At most this many ids in selected_ids / deselected_ids of one invite.
CONTACTS_INVITE_MAX_IDS = 10_000
# An import running (or pending) with no batch committed for this long is stalled: its
# status says so, and `manage.py resume_stalled_imports` queues it again. A batch of 500
# rows takes well under a second; a minute of silence means the worker is gone.
CONTACTS_IMPORT_STALLED_AFTER = int_env("CONTACTS_IMPORT_STALLED_AFTER", 60, minimum=1)
# Import records older than this are deleted by the daily cleanup.
CONTACTS_IMPORT_RETENTION_DAYS = 30
# The finished-task log (CompletedTask) is expired data after this many days.
COMPLETED_TASK_RETENTION_DAYS = 14
# An invite still unanswered after this many days gets one reminder.
INVITE_REMINDER_AFTER_DAYS = 7

# --- Email: the sign-up's verification code ----------------------------------------------
# Production sends through the plumbing's backend (SMTP, or DJANGO_EMAIL_BACKEND) with the
# EMAIL_HOST, EMAIL_PORT, ... below. Development differs from the plumbing's console
# backend: a mail holds a verification code, a secret, so it goes to a file in
# sent-emails/ (read the code there), never to the console or a log.
SMTP_SERVER = {  # where production sends
    "host": os.environ.get("EMAIL_HOST", "localhost"),
    "port": int_env("EMAIL_PORT", 25, minimum=1),
    "username": os.environ.get("EMAIL_HOST_USER", ""),
    "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
    "use_tls": os.environ.get("EMAIL_USE_TLS", "") == "1",
    "timeout": 10,
}
SENT_EMAILS_FOLDER = str(os.environ.get("EMAIL_FILE_PATH") or BASE_DIR / "sent-emails")  # development's
FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
if django.VERSION >= (6, 1):
    # Django 6.1 reads MAILERS (the plumbing set its backend) and refuses the old EMAIL_*
    # settings beside it: a backend's details go in its OPTIONS, and only the ones it takes.
    if not PRODUCTION:
        MAILERS["default"] = {"BACKEND": FILE_BACKEND, "OPTIONS": {"file_path": SENT_EMAILS_FOLDER}}  # noqa: F405
    elif MAILERS["default"]["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend":  # noqa: F405
        MAILERS["default"]["OPTIONS"] = SMTP_SERVER  # noqa: F405
else:
    if not PRODUCTION:
        EMAIL_BACKEND = FILE_BACKEND
    EMAIL_FILE_PATH = SENT_EMAILS_FOLDER
    EMAIL_HOST, EMAIL_PORT = SMTP_SERVER["host"], SMTP_SERVER["port"]
    EMAIL_HOST_USER, EMAIL_HOST_PASSWORD = SMTP_SERVER["username"], SMTP_SERVER["password"]
    EMAIL_USE_TLS, EMAIL_TIMEOUT = SMTP_SERVER["use_tls"], SMTP_SERVER["timeout"]
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "scheduler-demo@localhost")
EMAIL_VERIFICATION_MAX_AGE = 3 * 24 * 60 * 60  # a code works for 3 days

LOGGING["loggers"] |= {
    "scheduler_demo": DEMO_LOGGER,
    # The worker logs each task it runs and every traceback it reschedules.
    "background_task": {"handlers": ["console"], "level": os.environ.get("WORKER_LOG_LEVEL", "INFO")},
    "django_tasks_db": {"handlers": ["console"], "level": os.environ.get("WORKER_LOG_LEVEL", "INFO")},
}
