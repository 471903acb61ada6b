"""The Celery app: ``celery -A config worker`` finds it here (module ``config.celery``).

Its settings are the ``CELERY_*`` names in config/settings.py (Redis as broker and result
backend, JSON only). Its tasks live in scheduler/engines/celery.py, imported here.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["scheduler.engines"], related_name="celery")  # scheduler/engines/celery.py
