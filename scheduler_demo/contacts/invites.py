"""The django-base project's invitation rules, as two bulk UPDATEs (no loop over contacts)."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import State, UserContact


def remind_due(contacts, now):
    """Invites sent more than INVITE_REMINDER_AFTER_DAYS ago -> reminder sent."""
    cutoff = now - timedelta(days=settings.INVITE_REMINDER_AFTER_DAYS)
    return contacts.filter(state=State.INVITE_SENT, invited_at__lt=cutoff).update(
        state=State.INVITE_REMINDER_SENT, invited_at=now
    )


def invite_contacts(user, invite_all=False, selected_ids=(), deselected_ids=()):
    """Invite all of ``user``'s contacts but the deselected ones, or only the selected.

    pending -> sent; sent more than 7 days ago -> reminder sent; every other state
    (a member, a reminder already sent, a recent invite, blocked) is left unchanged.
    """
    contacts = UserContact.objects.filter(user=user)
    if not invite_all:
        contacts = contacts.filter(pk__in=selected_ids)
    contacts = contacts.exclude(pk__in=deselected_ids)
    now = timezone.now()
    with transaction.atomic():
        considered = contacts.count()
        reminded = remind_due(contacts.filter(block_invites=False), now)
        invited = contacts.filter(block_invites=False, state=State.INVITE_PENDING).update(
            state=State.INVITE_SENT, invited_at=now
        )
    return {"invited": invited, "reminded": reminded, "unchanged": considered - invited - reminded}


def send_due_reminders(now=None):
    """The hourly pass over every user's invites (one UPDATE)."""
    return remind_due(UserContact.objects.filter(block_invites=False), now or timezone.now())
