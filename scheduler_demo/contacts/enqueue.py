"""Queue the contacts import on the engine chosen by ``settings.TASKS_ENGINE``."""

from django.conf import settings
from django.db import transaction

from . import celery_tasks, dj_tasks, tasks


def enqueue_import(import_id, creator=None, engine=None):
    """Queue ``run_import(import_id)`` once the current transaction commits.

    After commit, never before: a Celery worker reads Redis, not our transaction, so a
    message sent inside it may run before the record is committed, or for a record that
    is rolled back; Django's ImmediateBackend would even run the import inside the
    request. Outside a transaction, on_commit runs the function at once.
    """
    engine = engine or settings.TASKS_ENGINE
    transaction.on_commit(lambda: ENGINES[engine](import_id, creator))


def _background_task(import_id, creator):
    tasks.import_contacts(import_id, creator=creator, verbose_name=f"contacts import #{import_id}")


def _django_tasks(import_id, creator):
    dj_tasks.import_contacts.enqueue(import_id)


def _celery(import_id, creator):
    celery_tasks.import_contacts.delay(import_id)


ENGINES = {"background_task": _background_task, "django_tasks": _django_tasks, "celery": _celery}
