"""What auditing costs. Run inside auditlog_demo: python -m demo_harness.bench.probe_audit [--quick]

- a Note save with django-auditlog recording it vs the same save with auditing
  disabled (inside one rolled-back transaction);
- PATCH /api/notes/<id>/ (JWT; an audited write) through the full middleware stack with
  and without the API hit logger: throughput ratio and the queries it adds.
"""

import sys

from ..plugin import create_user
from .core import alternating, count_queries, emit, setup_django

LOGGER = "hits.middleware.APIHitLoggerMiddleware"


def main(quick):
    setup_django()
    from auditlog.context import disable_auditlog
    from django.conf import settings
    from django.db import transaction
    from django.test import override_settings
    from rest_framework.test import APIClient
    from rest_framework_simplejwt.tokens import RefreshToken

    from notes.models import Note

    per_round, rounds = (100, 5) if quick else (400, 9)
    owner = create_user("bench", "bench passphrase 123")
    note = Note.objects.create(title="bench", body="", owner=owner)
    counter = iter(range(10**9))

    def save():
        note.title = f"bench {next(counter)}"
        note.save()

    def plain_save():
        with disable_auditlog():
            save()

    result = {"demo": "auditlog_demo"}
    with transaction.atomic():
        result["save"] = alternating({"audited save": save, "plain save": plain_save}, per_round, rounds, "plain save")
        result["save"]["audited save"]["queries"] = count_queries(save)
        result["save"]["plain save"]["queries"] = count_queries(plain_save)
        transaction.set_rollback(True)

    token = str(RefreshToken.for_user(owner).access_token)

    def client_with(middleware):
        # A test client builds its middleware chain on its first request and keeps it.
        with override_settings(MIDDLEWARE=middleware):
            client = APIClient(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_USER_AGENT="bench/1.0")
            client.get("/api/notes/")
        return client

    clients = {
        "hit logger off": client_with([m for m in settings.MIDDLEWARE if m != LOGGER]),
        "hit logger on": client_with(settings.MIDDLEWARE),
    }

    def read(name):
        response = clients[name].get("/api/notes/")
        assert response.status_code == 200, response.status_code

    result["hits"] = alternating(
        {name: lambda n=name: read(n) for name in clients}, per_round, rounds, "hit logger off"
    )
    for name in clients:
        result["hits"][name]["queries"] = count_queries(lambda n=name: read(n))
    emit(result)


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
