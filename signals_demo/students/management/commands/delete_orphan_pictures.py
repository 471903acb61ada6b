"""``manage.py delete_orphan_pictures [--older-than MINUTES]``: delete picture files no row names.

A file storage is not part of the database transaction. ``FieldFile.save()`` writes the
file first, then saves the row; when the transaction rolls back afterwards (a receiver
that raises, a locked database), the row goes back to its old picture and the new file
stays, named by nothing. Django runs hooks on commit (``transaction.on_commit``) but none
on rollback, so such files are swept instead: run this daily (cron), as
``clearsessions`` is. A file younger than ``--older-than`` (60 minutes) is kept: an
upload in flight has written its file and not yet committed its row.
"""

from datetime import timedelta

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from students.models import PersonalDetail

FOLDER = PersonalDetail._meta.get_field("pic").upload_to  # "students/"


class Command(BaseCommand):
    help = "Delete picture files that no PersonalDetail names (left by a rolled-back save)."

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=int, default=60, metavar="MINUTES")

    def handle(self, *args, older_than, **options):
        if older_than < 0:  # a cutoff in the future would delete the uploads in flight
            raise CommandError("--older-than takes minutes, 0 or more")
        if not default_storage.exists(FOLDER):
            self.stdout.write("deleted 0 orphan picture(s)")
            return
        named = set(PersonalDetail.objects.exclude(pic="").values_list("pic", flat=True))
        cutoff = timezone.now() - timedelta(minutes=older_than)
        _, files = default_storage.listdir(FOLDER)
        deleted = 0
        for path in (f"{FOLDER}{name}" for name in files):
            if path not in named and default_storage.get_modified_time(path) <= cutoff:
                default_storage.delete(path)
                deleted += 1
        self.stdout.write(f"deleted {deleted} orphan picture(s)")
