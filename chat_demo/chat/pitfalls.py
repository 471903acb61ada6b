"""The traps this demo teaches, as code that really falls into them. Never routed: the
tests and the tour run each one next to the fix that config/asgi.py and chat/ use.

1. The ORM called straight from an async consumer: SynchronousOnlyOperation.
   Fix: database_sync_to_async (ChatConsumer.save).
2. Broadcasting before the commit: the room sees a message that then rolls back.
   Fix: transaction.on_commit (services.post_message, receivers.push_notification).
3. InMemoryChannelLayer with two server processes: each hears only its own clients.
   Fix: channels-redis, one layer for every process (REDIS_URL; no code here).
4. No Origin check: a page on any site opens a WebSocket with the visitor's cookie.
   Fix: AllowedHostsOriginValidator (config/asgi.py).
5. No cap on a frame's size or on how many frames: a client fills the database.
   Fix: ChatConsumer's limits, each closing the connection with a code (chat/closing.py).
6. A consumer that falls behind: the channel layer drops what its full channel cannot
   hold, silently. Fix: numbered messages (seq), so the client sees the gap, and
   GET /api/rooms/<room>/messages/?after=<seq> to fill it (chat/static/chat/chat.js).
"""

import json

from asgiref.sync import async_to_sync
from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer
from channels.routing import URLRouter
from django.db import transaction
from django.urls import re_path

from .consumers import ChatConsumer
from .groups import room_group
from .models import Message
from .routing import ROOM
from .services import next_seq


class SyncOrmConsumer(ChatConsumer):
    """Pitfall 1: saves with the ORM right inside the event loop."""

    async def save(self, text_data):
        text = json.loads(text_data)["message"]
        # Raises SynchronousOnlyOperation: a blocking query here would stall every
        # connection this process serves, so Django refuses to run it.
        Message.objects.create(room=self.room, seq=next_seq(self.room), user=self.user, text=text)


def application_with_sync_orm():
    return AuthMiddlewareStack(URLRouter([re_path(rf"^ws/chat/(?P<room>{ROOM})/$", SyncOrmConsumer.as_asgi())]))


def post_message_broadcast_before_commit(*, user, room, text):
    """Pitfall 2: sends inside the transaction, then the transaction rolls back."""
    with transaction.atomic():
        message = Message.objects.create(room=room, seq=next_seq(room), user=user, text=text)
        event = {"type": "chat.message", "message": message.as_frame()}
        async_to_sync(get_channel_layer().group_send)(room_group(room), event)  # too early
        raise ValueError("a later step fails: the row is rolled back, the frame is out")


def application_without_origin_check():
    """Pitfall 4: the session cookie authenticates a handshake from any page."""
    return AuthMiddlewareStack(URLRouter([re_path(rf"^ws/chat/(?P<room>{ROOM})/$", ChatConsumer.as_asgi())]))


class UnboundedChatConsumer(AsyncWebsocketConsumer):
    """Pitfall 5: stores whatever arrives, as often as it arrives."""

    async def connect(self):
        self.room = self.scope["url_route"]["kwargs"]["room"]
        await self.accept()

    async def receive(self, text_data=None, bytes_data=None):
        text = json.loads(text_data)["message"]
        await database_sync_to_async(store)(room=self.room, user=self.scope["user"], text=text)


def store(*, room, user, text):
    with transaction.atomic():
        return Message.objects.create(room=room, seq=next_seq(room), user=user, text=text)


def application_without_limits():
    return AuthMiddlewareStack(URLRouter([re_path(rf"^ws/chat/(?P<room>{ROOM})/$", UnboundedChatConsumer.as_asgi())]))
