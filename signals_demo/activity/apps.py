from django.apps import AppConfig
from django.db.models.signals import class_prepared

from .prepared import remember_prepared_model

# class_prepared is the one signal that must be connected *before* models load:
# it fires while each model class is built, long before any AppConfig.ready() runs.
# This module is imported in the app-registry's first phase (app configs), so every
# model imported in the second phase (all apps' models) is seen.
class_prepared.connect(remember_prepared_model, dispatch_uid="activity.remember_prepared_model")


class ActivityConfig(AppConfig):
    name = "activity"
    verbose_name = "Activity feed"

    def ready(self):
        # Everything else is connected here: models are loaded, imports are safe.
        from . import receivers  # noqa: F401  (importing connects the @receiver functions)
