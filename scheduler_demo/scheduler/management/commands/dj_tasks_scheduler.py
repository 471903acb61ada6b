from django.core.management import call_command
from django.core.management.base import BaseCommand

from scheduler.registration import owned_tasks


class Command(BaseCommand):
    help = (
        "Register the repeating tasks of config/registered_tasks.py (idempotent: one row per "
        "task, only its own rows touched), then run the worker (process_tasks)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--register-only", action="store_true", help="register, do not run the worker")
        parser.add_argument("--duration", type=int, default=0, help="stop the worker after N seconds (0: forever)")
        parser.add_argument("--sleep", type=float, default=5.0, help="seconds between polls of an empty queue")
        parser.add_argument("--queue", help="only run tasks of this queue")

    def handle(self, *args, register_only, duration, sleep, queue, **options):
        from config import registered_tasks  # the project's list, as in drf_signal_simplejwt

        for name, action in registered_tasks.register():
            self.stdout.write(f"  {name}: {action}")
        self.stdout.write(f"{owned_tasks().count()} repeating task(s) registered.")
        if register_only:
            return
        forever = "until stopped (Ctrl+C)" if duration <= 0 else f"for {duration} s"
        self.stdout.write(f"Running process_tasks {forever}...")
        call_command("process_tasks", duration=duration, sleep=sleep, queue=queue)
