"""The notification feed, pushed from a signal: a Notification row, saved anywhere (a
chat message, the admin, a shell), reaches its recipient's open ws/notifications/
connections, and only once its transaction has committed."""

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib.auth.signals import user_logged_out
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from .groups import account_group, session_group, user_group
from .models import Notification


@receiver(post_save, sender=Notification, dispatch_uid="chat.push_notification")
def push_notification(sender, instance, created, **kwargs):
    if created:
        # Not now: the row may still roll back, and a pushed notification cannot be unsent.
        transaction.on_commit(lambda: push(instance))


def push(notification):
    event = {"type": "notification.created", "notification": notification.as_frame()}
    async_to_sync(get_channel_layer().group_send)(user_group(notification.recipient_id), event)


# A WebSocket outlives the request that logged in: ending the login must end it too.
# (QuerySet.update(is_active=False) sends no signal: disable users with save().)


@receiver(user_logged_out, dispatch_uid="chat.end_session_connections")
def end_session_connections(sender, request, user, **kwargs):
    key = request.session.session_key if request is not None else None
    if key:  # sent before logout() flushes the session: the key is still the old one
        end_connections(session_group(key))


@receiver(pre_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="chat.note_password_change")
def note_password_change(sender, instance, raw, update_fields=None, **kwargs):
    if update_fields is not None and "password" not in update_fields:
        instance._password_changed = False  # every login saves last_login alone: no query for it
        return
    stored = sender.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    instance._password_changed = stored is not None and not raw and stored != instance.password


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="chat.end_connections_of_ended_logins")
def end_connections_of_ended_logins(sender, instance, created, **kwargs):
    if not created and (not instance.is_active or getattr(instance, "_password_changed", False)):
        transaction.on_commit(lambda: end_connections(account_group(instance.pk)))


@receiver(post_delete, sender=settings.AUTH_USER_MODEL, dispatch_uid="chat.end_connections_of_deleted_user")
def end_connections_of_deleted_user(sender, instance, **kwargs):
    transaction.on_commit(lambda: end_connections(account_group(instance.pk)))


def end_connections(group):
    async_to_sync(get_channel_layer().group_send)(group, {"type": "login.ended"})
