"""The celery engine: Celery with Redis as broker (``TASKS_ENGINE = "celery"``).

The Celery app is config/celery.py (``celery -A config worker``); it imports this module.
"""

from celery import shared_task
from celery.signals import task_failure
from django.conf import settings

from contacts import importer
from contacts.importer import run_import

IMPORT_TASK_NAME = "contacts.import_contacts"  # explicit: the name is what travels in the message


@shared_task(
    name=IMPORT_TASK_NAME,
    autoretry_for=(Exception,),  # a failure is retried, not swallowed...
    max_retries=settings.MAX_ATTEMPTS - 1,  # ...MAX_ATTEMPTS tries in total, then FAILURE
    retry_backoff=True,  # waiting 1 s, 2 s, 4 s, ... with random jitter
    retry_backoff_max=settings.TASK_RETRY_BACKOFF_MAX,
)
def run_import_task(import_id):
    # Only the id travels through Redis (as JSON), never the rows.
    run_import(import_id)


def enqueue_import(import_id, creator):
    run_import_task.delay(import_id)


def mark_import_failed(sender, args=(), kwargs=None, **extra):
    """task_failure: sent once the retries are used up (a retry sends task_retry)."""
    if sender.name == IMPORT_TASK_NAME:
        importer.mark_import_failed(args[0] if args else (kwargs or {}).get("import_id"))


def connect_failure_receiver():
    task_failure.connect(mark_import_failed, dispatch_uid="contacts.failed_celery")


@shared_task(name="scheduler.noop")
def noop():
    """Does nothing: `manage.py engine_benchmark` times the engine itself with it."""
