"""python manage.py bench_hit_logger: what the hit logger costs an audited endpoint.

Sends the same PATCH /api/notes/<id>/ (which writes audit entries) through the full
middleware stack in-process, with and without APIHitLoggerMiddleware, in short
alternating rounds so both see the same machine load, and reports the median of the
per-round throughput ratios plus the queries per request. Run it on a scratch
database: it creates a user and a note.
"""

import statistics
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.models import User
from notes.models import Note

LOGGER = "hits.middleware.APIHitLoggerMiddleware"


class Command(BaseCommand):
    help = "Measure the API hit logger's overhead on an audited endpoint."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=100, help="requests per variant per round")
        parser.add_argument("--rounds", type=int, default=10)

    def handle(self, *args, requests, rounds, **options):
        call_command("migrate", verbosity=0)
        user, _ = User.objects.get_or_create(username="bench-user")
        note = Note.objects.create(title="bench", owner=user)
        token = str(RefreshToken.for_user(user).access_token)
        url = f"/api/notes/{note.pk}/"
        counter = 0

        def make_client(middleware):
            # A client builds its middleware chain on its first request: do that inside
            # the override so the client keeps this chain afterwards.
            with override_settings(MIDDLEWARE=middleware):
                client = APIClient(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_USER_AGENT="bench/1.0")
                client.get("/api/notes/")
            return client

        def patch(client):
            nonlocal counter
            counter += 1
            return client.patch(url, {"title": f"bench {counter}"})

        def rate(client):
            started = time.perf_counter()
            for _ in range(requests):
                patch(client)
            return requests / (time.perf_counter() - started)

        with_logger = make_client(settings.MIDDLEWARE)
        without_logger = make_client([m for m in settings.MIDDLEWARE if m != LOGGER])
        rates = {"with logger": [], "without logger": []}
        for round_number in range(rounds):
            pair = [("with logger", with_logger), ("without logger", without_logger)]
            for name, client in pair if round_number % 2 == 0 else reversed(pair):
                rates[name].append(rate(client))
        queries = {}
        for name, client in (("with logger", with_logger), ("without logger", without_logger)):
            with CaptureQueriesContext(connection) as captured:
                patch(client)
            queries[name] = len(captured)

        ratio = statistics.median(w / wo for w, wo in zip(rates["with logger"], rates["without logger"], strict=True))
        for name, values in rates.items():
            self.stdout.write(f"{name:<15} {statistics.median(values):8.1f} req/s   {queries[name]} queries/request")
        self.stdout.write(f"throughput kept with the logger: {ratio:.1%} (median of {rounds} rounds; target >= 85%)")
        extra = queries["with logger"] - queries["without logger"]
        self.stdout.write(f"extra queries per request: {extra} (target <= 1)")
