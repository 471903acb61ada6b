"""signals_demo's settings: the lesson's settings, after the plumbing every demo shares.

config/plumbing/settings.py (identical in every demo; not the lesson) holds the
development defaults, production hardening (DJANGO_ENV=production), the database URL,
static files and the API settings every demo has. It is imported first so that what
follows can extend it: everything below is part of this demo's lesson.
"""

import os
from pathlib import Path

from config.plumbing.settings import *  # noqa: F403 (plumbing: identical in every demo)
from config.plumbing.settings import (  # the names this file extends
    BASE_DIR,
    CACHES,
    DEMO_LOGGER,
    INSTALLED_APPS,
    LOGGING,
    REST_FRAMEWORK,
    SPECTACULAR_SETTINGS,
)

INSTALLED_APPS += [
    "activity",  # the activity feed: receivers for Django's own signals
    "accounts",  # session login and logout (user_logged_in, user_login_failed)
    "students",  # the lesson: a model, its signals, their receivers
]

# The activity feed (GET /api/events/) shows at most this many events.
# A setting_changed receiver clears the cached value (see activity/receivers.py).
ACTIVITY_FEED_LIMIT = 50

# Where the "new student" notice goes (students/receivers.py, sent on commit).
DEFAULT_FROM_EMAIL = "school@example.com"
SCHOOL_OFFICE_EMAIL = os.environ.get("SCHOOL_OFFICE_EMAIL", "office@example.com")

# A connection_created receiver sets this on every PostgreSQL connection (activity/receivers.py).
DATABASE_STATEMENT_TIMEOUT_MS = 30_000

# Student pictures (students/pictures.py): bytes of the file, and width x height decoded.
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
STUDENT_PICTURE_MAX_BYTES = 5 * 1024 * 1024
STUDENT_PICTURE_MAX_PIXELS = 24_000_000  # 6000 x 4000; decoding takes about 3 bytes per pixel

REST_FRAMEWORK |= {
    # Session cookies only. DRF's default adds HTTP Basic, which checks a username and
    # password on every request to every view: a second, unthrottled way to guess passwords
    # next to the throttled login endpoint. The browser, Swagger UI and curl's cookie jar
    # all work with the session that POST /api/auth/login/ sets.
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
}

# The login throttle's counts must be shared by every worker process: LocMemCache is one
# per process, so behind gunicorn with four workers a client would get four times the
# attempts. The database is shared (migration accounts/0002 creates the table).
# MAX_ENTRIES: culling must not erase the counts a guesser is building up (Django's
# DatabaseCache deletes a third of its rows when full).
CACHES["throttle"] = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "signals_demo_throttle",
    "OPTIONS": {"MAX_ENTRIES": 1_000_000},
}

SPECTACULAR_SETTINGS |= {
    "TITLE": "signals_demo API",
    "DESCRIPTION": "Students, session login and the activity feed that the signal receivers write.",
}

LOGGING["loggers"]["signals_demo"] = DEMO_LOGGER
