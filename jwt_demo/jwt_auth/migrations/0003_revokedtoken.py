from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("jwt_auth", "0002_outstandingtoken_expires_at_index")]

    operations = [
        migrations.CreateModel(
            name="RevokedToken",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("jti", models.CharField(max_length=255, unique=True)),
                ("expires_at", models.DateTimeField(db_index=True)),
            ],
        ),
    ]
