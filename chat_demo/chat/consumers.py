"""The WebSocket consumers: a chat room, and each user's notification feed.

A consumer is async (one event loop serves every connection); the ORM is not, so every
database call goes through database_sync_to_async (pitfall 1).
"""

import json
import time
from collections import deque

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings

from . import closing, services
from .groups import account_group, room_group, session_group, user_group


class RateLimit:
    """At most ``count`` frames in any ``seconds``: a sliding window, per connection."""

    def __init__(self, count, seconds):
        self.seconds = seconds
        self.times = deque(maxlen=count)

    def allow(self):
        now = time.monotonic()
        if len(self.times) == self.times.maxlen and now - self.times[0] < self.seconds:
            return False
        self.times.append(now)
        return True


def message_text(text_data):
    """The "message" of a frame, trimmed; or (None, errors) as DRF would word them."""
    try:
        content = json.loads(text_data)
    except (ValueError, RecursionError):  # RecursionError: "[[[[...", thousands deep
        return None, {"detail": 'Send JSON: {"message": "..."}.'}
    text = content.get("message") if isinstance(content, dict) else None
    if not isinstance(text, str):
        return None, {"message": ["This field is required and must be a string."]}
    if not text.strip():
        return None, {"message": ["This field may not be blank."]}
    if not storable(text):
        return None, {"message": ["Null characters and unpaired surrogates are not allowed."]}
    return text.strip(), None


def storable(text):
    """No NUL (PostgreSQL's text refuses it) and no lone surrogate (not encodable as UTF-8)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in text


class SignedInConsumer(AsyncWebsocketConsumer):
    """A connection lives no longer than the login that opened it: the account's group and
    the session's group let a logout, a disabled account or a new password close it
    (chat/receivers.py), not only refuse the next handshake."""

    def login_groups(self):
        session = self.scope.get("session")
        key = session.session_key if session is not None else None
        return [account_group(self.user.pk), *([session_group(key)] if key else [])]

    async def join_login_groups(self):
        for group in self.login_groups():
            await self.channel_layer.group_add(group, self.channel_name)

    async def leave_login_groups(self):
        for group in self.login_groups():
            await self.channel_layer.group_discard(group, self.channel_name)

    async def login_ended(self, event):
        """A "login.ended" event: the user logged out, was disabled or changed password."""
        self.open = False
        await self.close(code=closing.NOT_LOGGED_IN)


class ChatConsumer(SignedInConsumer):
    """ws/chat/<room>/: every message sent here is saved, then sent to everyone in the room."""

    async def connect(self):
        self.room = self.scope["url_route"]["kwargs"]["room"]
        self.user = self.scope["user"]
        self.joined = self.open = False
        if not self.user.is_authenticated:
            await self.accept()  # then close with a code: the client learns why it was refused
            await self.close(code=closing.NOT_LOGGED_IN)
            return
        self.rate = RateLimit(settings.CHAT_RATE_MESSAGES, settings.CHAT_RATE_SECONDS)
        # In the group before the client hears "open": a message it fetches no history for
        # (sent after its history request) reaches it live.
        await self.channel_layer.group_add(room_group(self.room), self.channel_name)
        await self.join_login_groups()
        self.joined = self.open = True
        await self.accept()

    async def refuse(self, code):
        self.open = False  # frames already on their way are dropped
        await self.close(code=code)

    async def disconnect(self, code):
        if self.joined:
            await self.channel_layer.group_discard(room_group(self.room), self.channel_name)
            await self.leave_login_groups()

    async def receive(self, text_data=None, bytes_data=None):
        if not self.open:
            return
        if text_data is None:
            await self.refuse(closing.UNSUPPORTED)
        elif len(text_data.encode()) > settings.CHAT_FRAME_MAX_BYTES:
            await self.refuse(closing.TOO_LARGE)  # before parsing it
        elif not self.rate.allow():
            await self.refuse(closing.TOO_MANY)
        else:
            await self.save(text_data)

    async def save(self, text_data):
        text, errors = message_text(text_data)
        if errors:
            await self.send(text_data=json.dumps({"errors": errors}))  # the connection stays open
        elif len(text) > settings.CHAT_MESSAGE_MAX_CHARS:
            await self.refuse(closing.TOO_LARGE)
        else:
            # Saved and committed in a worker thread; the room hears it through chat_message.
            await database_sync_to_async(services.post_message)(user=self.user, room=self.room, text=text)

    async def chat_message(self, event):
        """A "chat.message" event from the channel layer (services.broadcast)."""
        if self.open:
            await self.send(text_data=json.dumps(event["message"]))


class NotificationConsumer(SignedInConsumer):
    """ws/notifications/: the logged-in user's mentions, live. It takes no frames."""

    async def connect(self):
        self.user = self.scope["user"]
        self.joined = False
        await self.accept()
        if not self.user.is_authenticated:
            await self.close(code=closing.NOT_LOGGED_IN)
            return
        await self.channel_layer.group_add(user_group(self.user.pk), self.channel_name)
        await self.join_login_groups()
        self.joined = True

    async def disconnect(self, code):
        if self.joined:
            await self.channel_layer.group_discard(user_group(self.user.pk), self.channel_name)
            await self.leave_login_groups()

    async def receive(self, text_data=None, bytes_data=None):
        await self.close(code=closing.UNSUPPORTED)

    async def notification_created(self, event):
        """A "notification.created" event (chat/receivers.py)."""
        if self.joined:
            await self.send(text_data=json.dumps(event["notification"]))


class NoSuchRoute(AsyncWebsocketConsumer):
    """Any other path: closed with a code, not the server error URLRouter raises."""

    async def connect(self):
        await self.accept()
        await self.close(code=closing.NO_SUCH_ROUTE)
