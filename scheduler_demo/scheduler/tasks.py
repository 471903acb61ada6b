"""Background tasks of the scheduler app (found by the worker because they live in tasks.py)."""

from datetime import timedelta

from background_task import background
from background_task.models import CompletedTask
from django.conf import settings
from django.utils import timezone


@background(name="scheduler.prune_task_log")
def prune_task_log():
    """Daily: the finished-task log is expired data after COMPLETED_TASK_RETENTION_DAYS."""
    cutoff = timezone.now() - timedelta(days=settings.COMPLETED_TASK_RETENTION_DAYS)
    CompletedTask.objects.filter(run_at__lt=cutoff).delete()


@background(name="scheduler.noop")
def noop():
    """Does nothing: `manage.py engine_benchmark` times the engine itself with it."""
