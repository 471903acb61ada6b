"""Trap code, kept out of the app: what tests/test_pitfalls.py proves wrong (pitfalls 2, 5, 7).

Never imported by the engines, the views or the settings; only the trap tests use it.
"""

from background_task import background
from background_task.models import Task

from contacts.pitfalls import import_one_row_at_a_time
from scheduler.engines.background_task import repeating_tasks


def scheduler_that_deletes_every_task_on_start():
    """Pitfall 2, the trap: what drf_signal_simplejwt's dj_tasks_scheduler did on each start,
    wipe the task table and re-add the repeating tasks. The users' queued one-off tasks (their
    contacts imports) go with it. The fix, scheduler/registration.py: touch only owned rows."""
    Task.objects.all().delete()
    for spec in repeating_tasks():
        spec.task(repeat=spec.repeat)


@background(name="scheduler.pitfalls.import_with_the_rows_as_task_params")
def import_with_the_rows_as_task_params(user_id, contacts):
    """Pitfalls 5 and 7, the trap: the django-base project's import task. The rows travel in the
    task's arguments (copied into the task log, phone numbers and all), and every error is
    swallowed, so a failed import is logged as a success. The fix, scheduler/engines/: only
    the import's id travels, and an exception leaves the task to be retried."""
    from django.contrib.auth import get_user_model

    import_one_row_at_a_time(get_user_model().objects.get(pk=user_id), contacts)
