"""Idempotent registration of repeating tasks (what drf_signal_simplejwt's scheduler got wrong).

Drf_signal_simplejwt deleted *every* row of the task table and re-created its repeating tasks on
each start: queued one-off tasks (a user's contacts import) vanished with them. Here
the scheduler only touches rows it owns, marked by OWNER_PREFIX in verbose_name, and
leaves exactly one row per repeating task, keeping its next run time.
"""

from dataclasses import dataclass

from background_task.models import Task
from django.db import transaction
from django.utils import timezone

OWNER_PREFIX = "[scheduler] "


@dataclass(frozen=True)
class RepeatingTask:
    task: object  # a @background task (background_task.tasks.TaskProxy)
    repeat: int  # seconds: Task.HOURLY, Task.DAILY, ...

    @property
    def name(self):
        return self.task.name

    @property
    def verbose_name(self):
        every = dict(Task.REPEAT_CHOICES).get(self.repeat, f"every {self.repeat} s")
        return f"{OWNER_PREFIX}{every}: {self.name}"


def owned_tasks():
    return Task.objects.filter(verbose_name__startswith=OWNER_PREFIX)


@transaction.atomic
def sync_repeating_tasks(wanted):
    """Make the task table hold exactly one row per RepeatingTask; returns what it did.

    - missing -> created (first run now);
    - present -> kept with its run_at (re-registering never resets the schedule);
    - several rows -> the running (locked) or earliest one kept, the others deleted;
    - owned but no longer wanted -> deleted.
    A row locked by a running worker is never deleted: the worker re-creates the next
    repetition when the run ends, so deleting it would not stop it, only duplicate it.
    """
    now = timezone.now()
    unlocked_ids = set(
        Task.objects.unlocked(now).filter(verbose_name__startswith=OWNER_PREFIX).values_list("pk", flat=True)
    )
    by_name = {}
    for task in owned_tasks().select_for_update().order_by("run_at", "pk"):
        by_name.setdefault(task.task_name, []).append(task)

    report = []
    for name, tasks in by_name.items():
        spec = next((spec for spec in wanted if spec.name == name), None)
        running = [task for task in tasks if task.pk not in unlocked_ids]
        keep = (running or tasks)[0] if spec else None
        extra = [task.pk for task in tasks if task is not keep and task.pk in unlocked_ids]
        Task.objects.filter(pk__in=extra).delete()
        if spec is None:
            report.append((name, f"removed {len(extra)} (no longer registered)"))
            continue
        if (keep.repeat, keep.verbose_name) != (spec.repeat, spec.verbose_name):
            Task.objects.filter(pk=keep.pk).update(repeat=spec.repeat, verbose_name=spec.verbose_name)
        report.append((name, f"kept, next run {keep.run_at:%Y-%m-%d %H:%M:%S}" + _removed(extra)))

    for spec in wanted:
        if spec.name not in by_name:
            task = spec.task(repeat=spec.repeat, verbose_name=spec.verbose_name)
            report.append((spec.name, f"created, first run {task.run_at:%Y-%m-%d %H:%M:%S}"))
    return report


def _removed(extra):
    return f", removed {len(extra)} duplicate(s)" if extra else ""
