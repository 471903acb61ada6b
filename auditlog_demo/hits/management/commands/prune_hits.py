from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from hits.models import ApiHit

# Today minus this many days is still a date (year 1 is datetime's first); more would be an
# OverflowError. Seven centuries of hits is more than anyone keeps.
MAX_DAYS = 250_000
# Rows deleted per transaction. SQLite has one writer: one DELETE of millions of rows holds
# the write lock for many seconds, and every API request's hit INSERT (and every note write)
# waits meanwhile, up to the 20 s busy timeout, then fails. A batch is over in milliseconds.
BATCH_SIZE = 5_000


class Command(BaseCommand):
    help = "Delete API hits older than N days, a batch per transaction."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, required=True, help="keep the last N days (N >= 0)")
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="rows per transaction (>= 1)")

    def handle(self, *args, days, batch_size, **options):
        if days < 0:
            raise CommandError("--days must be 0 or more")
        if days > MAX_DAYS:
            raise CommandError(f"--days must be at most {MAX_DAYS}")
        if batch_size < 1:
            raise CommandError("--batch-size must be 1 or more")
        cutoff = timezone.now() - timedelta(days=days)
        deleted = 0
        while batch := delete_one_batch(cutoff, batch_size):
            deleted += batch
        self.stdout.write(f"Deleted {deleted} API hit(s) older than {days} day(s).")


def delete_one_batch(cutoff, batch_size):
    """Delete up to ``batch_size`` of the oldest hits before ``cutoff``; return how many."""
    with transaction.atomic():
        old = ApiHit.objects.filter(timestamp__lt=cutoff).order_by("timestamp", "pk")
        pks = list(old.values_list("pk", flat=True)[:batch_size])
        return ApiHit.objects.filter(pk__in=pks).delete()[0] if pks else 0
