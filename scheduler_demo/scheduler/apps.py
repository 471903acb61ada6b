from django.apps import AppConfig


class SchedulerConfig(AppConfig):
    """drf_signal_simplejwt's dj_scheduler app: the engines, repeating-task registration and
    the worker command."""

    name = "scheduler"

    def ready(self):
        from .engines import connect_failure_receivers

        # A task that failed for good marks its import "failed", on each engine.
        connect_failure_receivers()
