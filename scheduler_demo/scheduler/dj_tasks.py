"""Django Tasks version of scheduler.tasks.noop (for `manage.py engine_benchmark`)."""

try:
    from django.tasks import task
except ImportError:  # Django 5.2: the backport
    from django_tasks import task


@task()
def noop():
    """Does nothing: the benchmark times the engine itself."""
