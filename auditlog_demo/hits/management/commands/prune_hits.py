from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from hits.models import ApiHit

# Today minus this many days is still a date (year 1 is datetime's first); more would be an
# OverflowError. Seven centuries of hits is more than anyone keeps.
MAX_DAYS = 250_000


class Command(BaseCommand):
    help = "Delete API hits older than N days."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, required=True, help="keep the last N days (N >= 0)")

    def handle(self, *args, days, **options):
        if days < 0:
            raise CommandError("--days must be 0 or more")
        if days > MAX_DAYS:
            raise CommandError(f"--days must be at most {MAX_DAYS}")
        cutoff = timezone.now() - timedelta(days=days)
        deleted, _ = ApiHit.objects.filter(timestamp__lt=cutoff).delete()
        self.stdout.write(f"Deleted {deleted} API hit(s) older than {days} day(s).")
