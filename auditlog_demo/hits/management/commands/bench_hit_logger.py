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


class AuditedPatch:
    """The same PATCH /api/notes/<id>/ again and again, each with a new title."""

    def __init__(self):
        user, _ = User.objects.get_or_create(username="bench-user")
        self.token = str(RefreshToken.for_user(user).access_token)
        self.url = f"/api/notes/{Note.objects.create(title='bench', owner=user).pk}/"
        self.counter = 0

    def client(self, middleware):
        # A client builds its middleware chain on its first request: do that inside
        # the override so the client keeps this chain afterwards.
        with override_settings(MIDDLEWARE=middleware):
            client = APIClient(HTTP_AUTHORIZATION=f"Bearer {self.token}", HTTP_USER_AGENT="bench/1.0")
            client.get("/api/notes/")
        return client

    def send(self, client):
        self.counter += 1
        return client.patch(self.url, {"title": f"bench {self.counter}"})

    def rate(self, client, requests):
        started = time.perf_counter()
        for _ in range(requests):
            self.send(client)
        return requests / (time.perf_counter() - started)

    def queries(self, client):
        with CaptureQueriesContext(connection) as captured:
            self.send(client)
        return len(captured)


class Command(BaseCommand):
    help = "Measure the API hit logger's overhead on an audited endpoint."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=100, help="requests per variant per round")
        parser.add_argument("--rounds", type=int, default=10)

    def handle(self, *args, requests, rounds, **options):
        call_command("migrate", verbosity=0)
        patch = AuditedPatch()
        clients = {
            "with logger": patch.client(settings.MIDDLEWARE),
            "without logger": patch.client([m for m in settings.MIDDLEWARE if m != LOGGER]),
        }
        rates = self.alternating_rounds(patch, clients, requests, rounds)
        queries = {name: patch.queries(client) for name, client in clients.items()}
        self.report(rates, queries, rounds)

    def alternating_rounds(self, patch, clients, requests, rounds):
        """Requests per second of each client, per round; who goes first alternates, so
        both see the same machine load."""
        rates = {name: [] for name in clients}
        for round_number in range(rounds):
            order = list(clients.items())
            for name, client in order if round_number % 2 == 0 else reversed(order):
                rates[name].append(patch.rate(client, requests))
        return rates

    def report(self, rates, queries, rounds):
        ratio = statistics.median(w / wo for w, wo in zip(rates["with logger"], rates["without logger"], strict=True))
        for name, values in rates.items():
            self.stdout.write(f"{name:<15} {statistics.median(values):8.1f} req/s   {queries[name]} queries/request")
        self.stdout.write(f"throughput kept with the logger: {ratio:.1%} (median of {rounds} rounds; target >= 85%)")
        extra = queries["with logger"] - queries["without logger"]
        self.stdout.write(f"extra queries per request: {extra} (target <= 1)")
