"""The contract over a real socket (pytest-django's live_server: a threaded WSGI server)."""

import requests
from auditlog.models import LogEntry

from hits.models import ApiHit


def test_session_over_http(password, live_server, ann):
    api = f"{live_server.url}/api"
    login = requests.post(f"{api}/token/", json={"username": "ann", "password": password}, timeout=10)
    assert login.status_code == 200
    tokens = login.json()
    auth = {"Authorization": f"Bearer {tokens['access']}", "X-Forwarded-For": "6.6.6.6"}
    created = requests.post(f"{api}/notes/", json={"title": "over http", "tags": ["net"]}, headers=auth, timeout=10)
    assert created.status_code == 201
    note = created.json()
    edited = requests.patch(f"{api}/notes/{note['id']}/", json={"title": "edited"}, headers=auth, timeout=10)
    assert edited.status_code == 200
    junk = {"Authorization": "Bearer \xff\xfe junk"}
    assert requests.get(f"{api}/notes/", headers=junk, timeout=10).status_code == 401
    response = requests.get(f"{api}/notes/{note['id']}/history/", headers=auth, timeout=10)
    history = response.json()
    assert [e["action"] for e in history] == ["update", "update", "create"]
    assert {e["actor"] for e in history} == {"ann"}
    assert {e["remote_addr"] for e in history} == {"127.0.0.1"}  # the spoofed header was ignored
    assert list(ApiHit.objects.order_by("pk").values_list("status_code", "user__username", "ip")) == [
        (200, None, "127.0.0.1"),
        (201, "ann", "127.0.0.1"),
        (200, "ann", "127.0.0.1"),
        (401, None, "127.0.0.1"),
        (200, "ann", "127.0.0.1"),
    ]
    assert tokens["access"] not in str(list(LogEntry.objects.values())) + str(list(ApiHit.objects.values()))
