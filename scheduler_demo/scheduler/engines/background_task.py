"""The background_task engine: django4-background-tasks (``TASKS_ENGINE = "background_task"``).

``process_tasks`` imports ``<app>.tasks`` of every installed app, and nothing else, to learn
which task names it can run: scheduler/tasks.py imports this module for it. A task defined
in a module no ``tasks.py`` imports is never run by the worker, without an error
(tests/test_pitfalls.py, pitfall 1). Its repeating tasks are registered by
``manage.py background_task_scheduler`` (REPEATING_TASKS, scheduler/registration.py).
"""

import json
from datetime import timedelta

from background_task import background
from background_task.models import CompletedTask, Task
from background_task.signals import task_failed
from django.conf import settings
from django.utils import timezone

from contacts import importer
from contacts.importer import run_import
from contacts.invites import send_due_reminders

# Explicit names: the default (module.function) changes when code moves, and a queued
# task whose name no module registers any more is silently never run.
IMPORT_TASK_NAME = "contacts.import_contacts"


@background(name=IMPORT_TASK_NAME)
def run_import_task(import_id):
    # Only the id travels through the queue (task_params is stored as JSON, copied into
    # the CompletedTask log and hashed): never the rows themselves.
    run_import(import_id)


def enqueue_import(import_id, creator):
    run_import_task(import_id, creator=creator, verbose_name=f"contacts import #{import_id}")


def mark_import_failed(sender, task_id, completed_task, **kwargs):
    """task_failed: the import task used up its MAX_ATTEMPTS attempts."""
    if completed_task.task_name != IMPORT_TASK_NAME:
        return
    args, task_kwargs = json.loads(completed_task.task_params)
    importer.mark_import_failed(args[0] if args else task_kwargs.get("import_id"))


def connect_failure_receiver():
    task_failed.connect(mark_import_failed, dispatch_uid="contacts.mark_import_failed")


# --- the repeating tasks ---------------------------------------------------------------------


@background(name="contacts.cleanup_old_imports")
def cleanup_old_imports():
    """Daily: delete finished import records older than CONTACTS_IMPORT_RETENTION_DAYS."""
    importer.delete_old_imports()


@background(name="contacts.send_invite_reminders")
def send_invite_reminders():
    """Hourly: invites unanswered for INVITE_REMINDER_AFTER_DAYS get their reminder."""
    send_due_reminders()


@background(name="scheduler.prune_task_log")
def prune_task_log():
    """Daily: the finished-task log is expired data after COMPLETED_TASK_RETENTION_DAYS."""
    cutoff = timezone.now() - timedelta(days=settings.COMPLETED_TASK_RETENTION_DAYS)
    CompletedTask.objects.filter(run_at__lt=cutoff).delete()


@background(name="scheduler.noop")
def noop():
    """Does nothing: `manage.py engine_benchmark` times the engine itself with it."""


# Add a line here to schedule a new repeating task; delete it and the next
# ``background_task_scheduler`` run removes its row (and only its row).
def repeating_tasks():
    from scheduler.registration import RepeatingTask

    return [
        RepeatingTask(cleanup_old_imports, Task.DAILY),  # old import records
        RepeatingTask(prune_task_log, Task.DAILY),  # expired data: the finished-task log
        RepeatingTask(send_invite_reminders, Task.HOURLY),  # the reminder pass over invites
    ]
