"""Older versions recorded the username typed at a failed login ("user_login_failed for
'...'"), often a password typed in the wrong box. Overwrite those summaries in place."""

from django.db import migrations

FAILED_LOGIN_SUMMARY = "user_login_failed (what was typed is not recorded)"  # as activity/receivers.py


def forget_typed_credentials(apps, schema_editor):
    event_model = apps.get_model("activity", "Event")
    failed = event_model.objects.using(schema_editor.connection.alias).filter(signal="user_login_failed")
    failed.exclude(summary=FAILED_LOGIN_SUMMARY).update(summary=FAILED_LOGIN_SUMMARY)


class Migration(migrations.Migration):
    dependencies = [("activity", "0001_initial")]

    # Backwards: nothing to restore (what was typed is gone on purpose).
    operations = [migrations.RunPython(forget_typed_credentials, migrations.RunPython.noop)]
