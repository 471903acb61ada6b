"""The notification feed, pushed from a signal: a Notification row, saved anywhere (a
chat message, the admin, a shell), reaches its recipient's open ws/notifications/
connections, and only once its transaction has committed."""

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from .groups import user_group
from .models import Notification


@receiver(post_save, sender=Notification, dispatch_uid="chat.push_notification")
def push_notification(sender, instance, created, **kwargs):
    if created:
        # Not now: the row may still roll back, and a pushed notification cannot be unsent.
        transaction.on_commit(lambda: push(instance))


def push(notification):
    event = {"type": "notification.created", "notification": notification.as_frame()}
    async_to_sync(get_channel_layer().group_send)(user_group(notification.recipient_id), event)
