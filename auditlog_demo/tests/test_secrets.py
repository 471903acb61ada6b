"""Passwords and tokens never reach the hit log, the audit log, logs or other responses."""

import json
import logging

from auditlog.models import LogEntry
from django.core import serializers
from rest_framework.test import APIClient

from hits.models import ApiHit


def stored_text():
    rows = list(ApiHit.objects.all()) + list(LogEntry.objects.all())
    return serializers.serialize("json", rows)


def test_a_whole_session_stores_no_password_or_token(password, ann, staff, caplog):
    secrets = [password, "wrong password 123"]
    responses = []
    client = APIClient(HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0")
    with caplog.at_level(logging.DEBUG):
        client.post("/api/token/", {"username": "ann", "password": "wrong password 123"})
        tokens = client.post("/api/token/", {"username": "ann", "password": password}).json()
        refreshed = client.post("/api/token/refresh/", {"refresh": tokens["refresh"]}).json()
        secrets += [tokens["access"], tokens["refresh"], refreshed["access"]]
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {refreshed['access']}")
        note = client.post("/api/notes/", {"title": "t", "tags": ["home"]}).json()
        # a token in the query string and a password in a note body travel too
        responses.append(client.get(f"/api/notes/?token={tokens['access']}"))
        responses.append(client.patch(f"/api/notes/{note['id']}/", {"title": "t2"}))
        responses.append(client.get(f"/api/notes/{note['id']}/history/"))
        responses.append(client.delete(f"/api/notes/{note['id']}/"))
        responses.append(client.get("/api/notes/", HTTP_AUTHORIZATION=f"Bearer {tokens['access']}x"))
        staff_tokens = client.post("/api/token/", {"username": "sam", "password": password}).json()
        secrets += [staff_tokens["access"], staff_tokens["refresh"]]
        staff_client = APIClient()
        staff_client.credentials(HTTP_AUTHORIZATION=f"Bearer {staff_tokens['access']}")
        responses.append(staff_client.get("/api/hits/"))
        responses.append(staff_client.get(f"/api/users/{ann.pk}/history/"))

    assert ApiHit.objects.count() == 12
    assert LogEntry.objects.exists()
    haystacks = {
        "hit log + audit log": stored_text(),
        "log output": caplog.text,
        "other responses": " ".join(r.content.decode() for r in responses),
    }
    for secret in secrets:
        for token_part in {secret, *secret.split(".")[2:]}:  # a JWT's signature alone is enough to worry
            for where, text in haystacks.items():
                assert token_part not in text, f"a secret leaked into {where}"
    # and nothing that looks like a header or a body was stored
    hit_fields = json.loads(serializers.serialize("json", ApiHit.objects.all()))[0]["fields"]
    assert set(hit_fields) == {
        "timestamp", "method", "path", "status_code", "user", "ip", "browser", "os", "device", "duration_ms"
    }  # fmt: skip
