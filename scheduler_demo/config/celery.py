"""The Celery app: ``celery -A config worker`` finds it here (module ``config.celery``).

Its settings are the ``CELERY_*`` names in config/settings.py (Redis as broker and result
backend, JSON only). Tasks live in ``<app>/celery_tasks.py``, found by autodiscovery.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(related_name="celery_tasks")
