"""What the status of a running import tells the learner: when it last moved, and how long
a worker that died would hold it "running" on its engine, and why.

No engine notices a dead worker at once. background_task waits for the task's lock to
expire (MAX_RUN_TIME after a worker took it); Celery with acks late waits for Redis's
visibility timeout (an hour by default) before it hands the message out again;
django-tasks-db never hands a RUNNING task to another worker. ``manage.py
resume_stalled_imports`` queues such an import again at once: the import is resumable
and idempotent, so the new run continues at ``processed``, and the old task, when its
engine finally runs it again, finds the import done.
"""

from datetime import timedelta

from background_task.models import Task
from django.conf import settings
from django.utils import timezone

from .models import UserContactsImport

RESUME = "`manage.py resume_stalled_imports` queues it again now."


def quiet_since(record):
    return record.last_progress_at or record.started_at or record.created_at


def is_stalled(record, now=None):
    """Running (or pending) with no progress for CONTACTS_IMPORT_STALLED_AFTER seconds."""
    if record.status not in (UserContactsImport.Status.RUNNING, UserContactsImport.Status.PENDING):
        return False
    quiet = (now or timezone.now()) - quiet_since(record)
    return quiet > timedelta(seconds=settings.CONTACTS_IMPORT_STALLED_AFTER)


def progress_note(record, now=None):
    """One sentence or two for a running import; "" otherwise."""
    if record.status != UserContactsImport.Status.RUNNING:
        return ""
    since = quiet_since(record)
    seconds = int(((now or timezone.now()) - since).total_seconds())
    engine = record.engine or settings.TASKS_ENGINE
    recovery = {"background_task": _background_task, "celery": _celery, "django_tasks": _django_tasks}[engine]
    return f"Last progress at {since:%H:%M:%S} UTC ({seconds} s ago). {recovery(record)} {RESUME}"


def _background_task(record):
    task = Task.objects.filter(verbose_name=f"contacts import #{record.pk}", locked_at__isnull=False).first()
    taken = task.locked_at if task else record.started_at or record.created_at
    expiry = taken + timedelta(seconds=settings.MAX_RUN_TIME)
    return (
        "If its worker died, background_task gives the task to another worker only when its lock"
        f" expires, MAX_RUN_TIME ({settings.MAX_RUN_TIME} s) after a worker took it: at {expiry:%H:%M:%S} UTC."
    )


def _celery(record):
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {})
    timeout = options.get("visibility_timeout", 3600)  # kombu's default for Redis
    expiry = (record.started_at or record.created_at) + timedelta(seconds=timeout)
    return (
        "If its worker died, Redis hands the unacknowledged message to another worker after the"
        f" visibility timeout ({timeout} s) from its delivery: about {expiry:%H:%M:%S} UTC."
    )


def _django_tasks(record):
    return "If its worker died, django-tasks-db never hands a RUNNING task to another worker."


def stalled_imports(after_seconds):
    """Imports running or pending with nothing committed for ``after_seconds``."""
    cutoff = timezone.now() - timedelta(seconds=after_seconds)
    waiting = UserContactsImport.objects.filter(status__in=["running", "pending"]).defer("rows")
    return [record for record in waiting if quiet_since(record) < cutoff]
