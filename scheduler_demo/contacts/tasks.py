"""Background tasks of the contacts app.

`process_tasks` imports ``<app>.tasks`` of every installed app (and nothing else) to
learn which task names it can run; a task defined in any other module is never run by
the worker, without an error (tests/test_pitfalls.py, pitfall 1). Each task is a thin
wrapper: the work lives in plain functions another engine can call as well.
"""

from datetime import timedelta

from background_task import background
from django.conf import settings
from django.utils import timezone

from .importer import run_import
from .invites import send_due_reminders
from .models import UserContactsImport

# Explicit names: the default (module.function) changes when code moves, and a queued
# task whose name no module registers any more is silently never run.
IMPORT_TASK_NAME = "contacts.import_contacts"


@background(name=IMPORT_TASK_NAME)
def import_contacts(import_id):
    # Only the id travels through the queue (task_params is stored as JSON, copied into
    # the CompletedTask log and hashed): never the rows themselves.
    run_import(import_id)


@background(name="contacts.cleanup_old_imports")
def cleanup_old_imports():
    """Daily: delete finished import records older than CONTACTS_IMPORT_RETENTION_DAYS."""
    cutoff = timezone.now() - timedelta(days=settings.CONTACTS_IMPORT_RETENTION_DAYS)
    finished = [UserContactsImport.Status.DONE, UserContactsImport.Status.FAILED]
    UserContactsImport.objects.filter(created_at__lt=cutoff, status__in=finished).delete()


@background(name="contacts.send_invite_reminders")
def send_invite_reminders():
    """Hourly: invites unanswered for INVITE_REMINDER_AFTER_DAYS get their reminder."""
    send_due_reminders()
