"""The django_tasks engine: Django's Tasks framework (``TASKS_ENGINE = "django_tasks"``).

``@task`` comes from ``django.tasks`` on Django 6 and from the ``django-tasks`` backport
on Django 5.2 (same API). The backend is django-tasks-db's DatabaseBackend (settings
TASKS), run by ``manage.py db_worker``. It has no retries: a task that raises is
marked FAILED with its traceback, once (tests/test_engines.py).
"""

try:
    from django.tasks import task
    from django.tasks.signals import task_finished
except ImportError:  # Django 5.2: the backport
    from django_tasks import task
    from django_tasks.signals import task_finished

from contacts import importer
from contacts.importer import run_import


@task()
def run_import_task(import_id):
    # Only the id travels through the queue (args are stored as JSON in the database).
    run_import(import_id)


def enqueue_import(import_id, creator):
    run_import_task.enqueue(import_id)


def mark_import_failed(sender, task_result, **kwargs):
    """task_finished: no retries here, so a FAILED result is final."""
    if task_result.task.module_path == run_import_task.module_path and task_result.status == "FAILED":
        importer.mark_import_failed(task_result.args[0] if task_result.args else task_result.kwargs.get("import_id"))


def connect_failure_receiver():
    task_finished.connect(mark_import_failed, dispatch_uid="contacts.failed_django_tasks")


@task()
def noop():
    """Does nothing: `manage.py engine_benchmark` times the engine itself with it."""
