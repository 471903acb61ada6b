from django.core.management import call_command
from django.core.management.base import BaseCommand

from scheduler.engines.background_task import repeating_tasks
from scheduler.registration import owned_tasks, sync_repeating_tasks


class Command(BaseCommand):
    """``manage.py background_task_scheduler``: drf_signal_simplejwt's ``dj_tasks_scheduler``
    (its name said Django tasks; it runs django4-background-tasks), done idempotently."""

    help = (
        "Register the repeating tasks of scheduler/engines/background_task.py (idempotent: one row per "
        "task, only its own rows touched), then run the worker (process_tasks)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--register-only", action="store_true", help="register, do not run the worker")
        parser.add_argument("--duration", type=int, default=0, help="stop the worker after N seconds (0: forever)")
        parser.add_argument("--sleep", type=float, default=5.0, help="seconds between polls of an empty queue")
        parser.add_argument("--queue", help="only run tasks of this queue")

    def handle(self, *args, register_only, duration, sleep, queue, **options):
        for name, action in sync_repeating_tasks(repeating_tasks()):
            self.stdout.write(f"  {name}: {action}")
        self.stdout.write(f"{owned_tasks().count()} repeating task(s) registered.")
        if register_only:
            return
        forever = "until stopped (Ctrl+C)" if duration <= 0 else f"for {duration} s"
        self.stdout.write(f"Running process_tasks {forever}...")
        call_command("process_tasks", duration=duration, sleep=sleep, queue=queue)
