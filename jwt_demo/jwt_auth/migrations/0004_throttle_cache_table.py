"""Create the throttle cache's table (CACHES["throttle"]) on databases migrated before it.

0001 ran ``createcachetable`` when only the default cache existed; running it again is
idempotent and creates every database cache table still missing.
"""

from importlib import import_module

from django.db import migrations

create_cache_table = import_module("jwt_auth.migrations.0001_cache_table").create_cache_table


class Migration(migrations.Migration):
    dependencies = [("jwt_auth", "0003_revokedtoken")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop, elidable=False)]
