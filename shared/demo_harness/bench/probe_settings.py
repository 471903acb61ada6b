"""The demo's own settings plus the probe views (for the end-to-end auth benchmark).

DJANGO_SETTINGS_MODULE=demo_harness.bench.probe_settings gunicorn config.wsgi ...
"""

from config.settings import *  # noqa: F403  (the demo's settings, unchanged)

ROOT_URLCONF = "demo_harness.bench.probe_urls"
