"""Writing a message: saved in one transaction, broadcast only once it has committed."""

import re

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F

from .groups import room_group
from .models import Message, Notification, Room

MENTION = re.compile(r"(?<![\w.@+-])@([\w.@+-]{1,150})")  # not the "@" inside ann@example.com
MAX_MENTIONS = 5  # notifications one message can create
MAX_CANDIDATES = 20  # names looked up per message: "@nobody" five times must not hide a real one


@transaction.atomic
def post_message(*, user, room, text):
    """Save the message and a Notification for each user it mentions (at most five),
    then, after the commit, send it to everyone in the room.

    on_commit: until the commit, the row can still roll back, and a client that saw it
    would hold a message that never existed (pitfall 2).
    """
    message = Message.objects.create(room=room, seq=next_seq(room), user=user, text=text)
    for recipient in mentioned_users(text, author=user):
        Notification.objects.create(recipient=recipient, message=message)  # its receiver pushes it
    transaction.on_commit(lambda: broadcast(message))
    return message


def next_seq(room):
    """The room's next message number. The UPDATE locks the room's row until the commit, so
    a second writer to the room waits and takes the number after (numbers follow commits)."""
    Room.objects.get_or_create(name=room)
    Room.objects.filter(name=room).update(last_seq=F("last_seq") + 1)
    return Room.objects.values_list("last_seq", flat=True).get(name=room)


def mentioned_users(text, *, author):
    """The first five existing users the text mentions, in the order it names them. A name
    ends before trailing punctuation ("hi @ann." mentions ann), as usernames rarely end so."""
    names = list(dict.fromkeys(name.rstrip(".") for name in MENTION.findall(text)))[:MAX_CANDIDATES]
    users = get_user_model().objects.filter(username__in=names, is_active=True).exclude(pk=author.pk)
    by_name = {user.get_username(): user for user in users}
    return [by_name[name] for name in names if name in by_name][:MAX_MENTIONS]


def broadcast(message):
    """Every consumer in the room gets the message (ChatConsumer.chat_message)."""
    event = {"type": "chat.message", "message": message.as_frame()}
    async_to_sync(get_channel_layer().group_send)(room_group(message.room), event)
