from django.apps import AppConfig


class SchedulerConfig(AppConfig):
    """Drf_signal_simplejwt's dj_scheduler app: repeating-task registration and the worker command."""

    name = "scheduler"
