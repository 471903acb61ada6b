"""An index on OutstandingToken.expires_at, for ``flushexpiredtokens``.

SimpleJWT indexes ``jti`` (unique) and ``user_id`` (foreign key), the lookups of every
refresh, logout and password change. The daily flush deletes ``WHERE expires_at <= now``:
without this index that is a full scan of a table holding every token ever issued.
The table belongs to SimpleJWT, so the index is plain SQL (valid on SQLite and PostgreSQL).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("jwt_auth", "0001_cache_table"),
        ("token_blacklist", "0013_alter_blacklistedtoken_options_and_more"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX jwt_demo_outstanding_expires_at ON token_blacklist_outstandingtoken (expires_at)",
            reverse_sql="DROP INDEX jwt_demo_outstanding_expires_at",
        )
    ]
