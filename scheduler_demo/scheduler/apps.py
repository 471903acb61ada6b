from django.apps import AppConfig


class SchedulerConfig(AppConfig):
    """The seed's dj_scheduler app: repeating-task registration and the worker command."""

    name = "scheduler"
