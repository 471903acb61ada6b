"""Create the database cache table (settings.CACHES) as part of ``migrate``.

The revocation list lives in the cache; with Django's DatabaseCache its table must
exist before the first request. ``createcachetable`` is idempotent and does nothing
for non-database caches (Redis), so running it here makes ``migrate`` sufficient for
the tour, ``nox -s serve``, the tests and a deployment.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop, elidable=False)]
