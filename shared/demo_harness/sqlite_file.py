"""``sqlite_test_database = file`` in a demo's pytest.ini: the SQLite test database in a file.

Registered by the plugin after pytest-django, so that this definition of pytest-django's
``django_db_modify_db_settings`` fixture is the one pytest uses.
"""

import pytest


@pytest.fixture(scope="session")
def django_db_modify_db_settings(request, django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """A file that a child process (manage.py, a worker, a served demo) can open too: the
    in-memory default is invisible to any other process. PostgreSQL test databases are
    shared anyway."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    in_a_file = request.config.getini("sqlite_test_database") == "file"
    if in_a_file and database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("sqlite") / "test.sqlite3")
