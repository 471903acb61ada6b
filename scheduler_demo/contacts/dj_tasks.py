"""The contacts import on Django's Tasks framework (``TASKS_ENGINE = "django_tasks"``).

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

from .importer import run_import


@task()
def import_contacts(import_id):
    # Only the id travels through the queue (args are stored as JSON in the database).
    run_import(import_id)


__all__ = ["import_contacts", "task_finished"]
