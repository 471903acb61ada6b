"""chat_demo's settings: the lesson's settings, after the plumbing every demo shares.

config/plumbing/settings.py (identical in every demo; not the lesson) holds the
development defaults, production hardening (DJANGO_ENV=production), the database URL,
static files and the API settings every demo has. It is imported first so that what
follows can extend it: everything below is part of this demo's lesson.
"""

import os

from config.plumbing.settings import *  # noqa: F403 (plumbing: identical in every demo)
from config.plumbing.settings import (  # the names this file extends
    CACHES,
    DEMO_LOGGER,
    INSTALLED_APPS,
    LOGGING,
    REST_FRAMEWORK,
    SPECTACULAR_SETTINGS,
    int_env,
)

INSTALLED_APPS = [
    # First: daphne's runserver replaces Django's, so `manage.py runserver` serves
    # WebSockets as well as HTTP (Channels' tutorial does the same).
    "daphne",
    *INSTALLED_APPS,
    "channels",
    "accounts",  # the connection ticket for clients that are not a browser
    "chat",  # the lesson: rooms, messages, the consumers and the notification feed
]

# What `runserver` and any ASGI server run: HTTP goes to Django, WebSockets to the
# consumers (config/asgi.py).
ASGI_APPLICATION = "config.asgi.application"

# The channel layer carries a message from the consumer that received it to every
# consumer in the room. InMemoryChannelLayer lives inside one process: nothing to
# install, and right for `runserver`. Two server processes never hear each other
# through it (pitfall 3): REDIS_URL switches to channels-redis, which every process shares.
REDIS_URL = os.environ.get("REDIS_URL", "")
CHANNEL_CAPACITY = int_env("CHAT_CHANNEL_CAPACITY", 100, minimum=1)  # queued events per consumer
# socket_timeout: a consumer waits for its next event in a blocking read of up to 5 s
# (channels-redis's brpop_timeout); redis-py 8 gives up on a read after 5 s by default,
# so an idle connection died with 1011. Longer than the wait, not endless: a Redis that
# hangs still fails the connection (test_an_idle_connection_outlives_the_redis_read_timeout).
REDIS_HOST = {"address": REDIS_URL, "socket_timeout": 15, "socket_connect_timeout": 5}
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_HOST], "capacity": CHANNEL_CAPACITY, "expiry": 60},
        }
    }
else:
    CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels.layers.InMemoryChannelLayer", "CONFIG": {"capacity": CHANNEL_CAPACITY}}
    }

# What one connection may send (chat/consumers.py). Over either limit the server closes
# the connection (close codes in chat/closing.py) and stores nothing.
CHAT_MESSAGE_MAX_CHARS = 1000  # of the "message" field, after trimming spaces
CHAT_FRAME_MAX_BYTES = 8 * 1024  # of the whole frame, checked before it is parsed
CHAT_RATE_MESSAGES = int_env("CHAT_RATE_MESSAGES", 10, minimum=1)  # messages ...
CHAT_RATE_SECONDS = int_env("CHAT_RATE_SECONDS", 10, minimum=1)  # ... per this many seconds
# GET /api/rooms/<room>/messages/: a page holds at most this many messages.
CHAT_HISTORY_PAGE_SIZE = 50
# A connection ticket (POST /api/auth/ticket/) opens one connection, within this many seconds.
CHAT_TICKET_MAX_AGE_S = 60

REST_FRAMEWORK |= {
    # The browser's session only (the chat page, Swagger UI, curl's cookie jar). DRF's
    # default adds HTTP Basic: a second, unthrottled way to guess passwords.
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
}

# The ticket endpoint checks a password: its throttle counts must be shared by every
# server process (LocMemCache is one per process). The database is shared (migration
# accounts/0002 creates the table); MAX_ENTRIES: culling must not erase a guesser's count.
CACHES["throttle"] = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "chat_demo_throttle",
    "OPTIONS": {"MAX_ENTRIES": 1_000_000},
}

# The chat page logs in with Django's own login view (templates/registration/login.html).
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/chat/lobby/"
LOGOUT_REDIRECT_URL = "login"

SPECTACULAR_SETTINGS |= {
    "TITLE": "chat_demo API",
    "DESCRIPTION": "The HTTP side of the chat: message history, and connection tickets for WebSocket clients.",
}

LOGGING["loggers"]["chat_demo"] = DEMO_LOGGER
