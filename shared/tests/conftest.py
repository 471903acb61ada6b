import django
from django.conf import settings

pytest_plugins = ["pytester"]  # the harness tests run pytest on small projects of their own


def pytest_configure(config):
    # The harness is tested against a minimal Django project configured in code.
    if not settings.configured:
        settings.configure(
            DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
            INSTALLED_APPS=["django.contrib.auth", "django.contrib.contenttypes", "rest_framework"],
            USE_TZ=True,
            SECRET_KEY="harness-tests-only",
        )
        django.setup()
