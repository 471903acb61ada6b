"""``python manage.py resume_stalled_imports [--after SECONDS]``: queue again every import
that made no progress for that long (its worker died, or its task was never queued)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from contacts.progress import quiet_since, stalled_imports
from contacts.services import enqueue_import


class Command(BaseCommand):
    help = "Queue again the imports running or pending with no progress for --after seconds."

    def add_arguments(self, parser):
        parser.add_argument(
            "--after",
            type=int,
            default=settings.CONTACTS_IMPORT_STALLED_AFTER,
            help="seconds without a committed batch (default CONTACTS_IMPORT_STALLED_AFTER); keep it"
            " above the slowest batch, or a live worker's import is queued twice (harmless, wasted)",
        )

    def handle(self, *args, after, **options):
        stalled = stalled_imports(after)
        for record in stalled:
            # Outside a transaction on_commit runs at once: the task is queued now, on the
            # engine the import was queued on.
            enqueue_import(record.pk, engine=record.engine or None)
            self.stdout.write(
                f"import #{record.pk} ({record.status}, quiet since {quiet_since(record):%H:%M:%S} UTC):"
                f" queued again at row {record.processed} of {record.total}"
            )
        if not stalled:
            self.stdout.write(f"no import has been quiet for more than {after} s")
