"""One file per engine, each wrapping the same plain job (``run_import`` in
contacts/importer.py) in its own kind of task. ``settings.TASKS_ENGINE`` picks one."""

from . import background_task, celery, django_tasks

# The engine's name -> its enqueue_import(import_id, creator).
ENGINES = {
    "background_task": background_task.enqueue_import,
    "django_tasks": django_tasks.enqueue_import,
    "celery": celery.enqueue_import,
}


def connect_failure_receivers():
    """Each engine tells its own way that a task failed for good; all three mark the import."""
    background_task.connect_failure_receiver()
    django_tasks.connect_failure_receiver()
    celery.connect_failure_receiver()
