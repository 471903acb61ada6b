"""Create the table of the "default" cache (CACHES in config/settings.py), where allauth
remembers each ID token it accepted until the token expires.

``createcachetable`` is idempotent and creates every database cache table still missing,
so ``migrate`` is all a new or an older database needs.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop, elidable=False)]
