from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("jwt_auth", "0004_throttle_cache_table")]

    operations = [
        migrations.AddField(
            model_name="revokedtoken",
            name="stamp",
            field=models.BigIntegerField(db_index=True, default=0),
            preserve_default=False,  # rows from before this migration: read at each process's first sync
        ),
        migrations.CreateModel(
            name="UserTokenCutoff",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("user_id", models.CharField(max_length=255, unique=True)),
                ("valid_after", models.DateTimeField()),
                ("expires_at", models.DateTimeField(db_index=True)),
                ("stamp", models.BigIntegerField(db_index=True)),
            ],
        ),
        migrations.CreateModel(
            name="RevocationClock",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("value", models.BigIntegerField(default=0)),
            ],
        ),
    ]
