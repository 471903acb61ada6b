"""The project's repeating tasks, registered by ``manage.py dj_tasks_scheduler``.

Add a line here to schedule a new repeating task; delete it and the next
``dj_tasks_scheduler`` run removes its row (and only its row).
"""

from background_task.models import Task

from contacts.tasks import cleanup_old_imports, send_invite_reminders
from scheduler.registration import RepeatingTask, sync_repeating_tasks
from scheduler.tasks import prune_task_log

REPEATING_TASKS = [
    RepeatingTask(cleanup_old_imports, Task.DAILY),  # old import records
    RepeatingTask(prune_task_log, Task.DAILY),  # expired data: the finished-task log
    RepeatingTask(send_invite_reminders, Task.HOURLY),  # the reminder pass over invites
]


def register():
    return sync_repeating_tasks(REPEATING_TASKS)
