"""The contacts import as the views and commands start it: plain functions, no task library.

``import_contacts(user=..., rows=...)`` stores the upload and queues its job on the engine
``settings.TASKS_ENGINE`` names; the job itself is ``run_import`` (contacts/importer.py),
which each engine wraps in its own kind of task (scheduler/engines/).
"""

from django.conf import settings
from django.db import transaction

from scheduler.engines import ENGINES

from .models import Source, UserContactsImport
from .uploads import Upload


def import_contacts(*, user, rows, source=Source.PHONE, upload=None):
    """Store ``rows`` as a new import of ``user``'s and queue it; -> the import record.

    ``upload`` (contacts/uploads.py) says how a file was read: its format, encoding, notes.
    """
    upload = upload or Upload(rows, "json", "")
    with transaction.atomic():
        record = UserContactsImport.objects.create(
            user=user,
            source=source,
            rows=rows,
            total=len(rows),
            format=upload.format,
            encoding=upload.encoding,
            notes=upload.notes,
            engine=settings.TASKS_ENGINE,
        )
        # Queued when this transaction commits: never for a record that is rolled back,
        # never before the worker can read the record.
        enqueue_import(record.pk, creator=user)
    return record


def enqueue_import(import_id, creator=None, engine=None):
    """Queue ``run_import(import_id)`` once the current transaction commits.

    After commit, never before: a Celery worker reads Redis, not our transaction, so a
    message sent inside it may run before the record is committed, or for a record that
    is rolled back; Django's ImmediateBackend would even run the import inside the
    request. Outside a transaction, on_commit runs the function at once.
    """
    engine = engine or settings.TASKS_ENGINE
    transaction.on_commit(lambda: ENGINES[engine](import_id, creator))
