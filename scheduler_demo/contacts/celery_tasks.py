"""The contacts import on Celery (``TASKS_ENGINE = "celery"``), with Redis as broker.

Found by ``app.autodiscover_tasks(related_name="celery_tasks")`` in config/celery.py.
"""

from celery import shared_task
from django.conf import settings

from .importer import run_import


@shared_task(
    name="contacts.import_contacts",  # explicit: the name is what travels in the message
    autoretry_for=(Exception,),  # a failure is retried, not swallowed...
    max_retries=settings.MAX_ATTEMPTS - 1,  # ...MAX_ATTEMPTS tries in total, then FAILURE
    retry_backoff=True,  # waiting 1 s, 2 s, 4 s, ... with random jitter
    retry_backoff_max=settings.TASK_RETRY_BACKOFF_MAX,
)
def import_contacts(import_id):
    # Only the id travels through Redis (as JSON), never the rows.
    run_import(import_id)
