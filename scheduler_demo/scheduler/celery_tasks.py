"""Celery version of scheduler.tasks.noop (for `manage.py engine_benchmark`)."""

from celery import shared_task


@shared_task(name="scheduler.noop")
def noop():
    """Does nothing: the benchmark times the engine itself."""
