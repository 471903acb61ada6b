from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from hits.models import ApiHit


class Command(BaseCommand):
    help = "Delete API hits older than N days."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, required=True, help="keep the last N days (N >= 0)")

    def handle(self, *args, days, **options):
        if days < 0:
            raise CommandError("--days must be 0 or more")
        cutoff = timezone.now() - timedelta(days=days)
        deleted, _ = ApiHit.objects.filter(timestamp__lt=cutoff).delete()
        self.stdout.write(f"Deleted {deleted} API hit(s) older than {days} day(s).")
