"""The contract over a real socket (pytest-django's live_server: a threaded WSGI server)."""

import json
import urllib.error
import urllib.request

from auditlog.models import LogEntry

from hits.models import ApiHit


def call(live_server, method, path, body=None, headers=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"{live_server.url}{path}", data=data, method=method)
    request.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (http to our own server)
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def test_session_over_http(password, live_server, ann):
    status, tokens = call(live_server, "POST", "/api/token/", {"username": "ann", "password": password})
    assert status == 200
    auth = {"Authorization": f"Bearer {tokens['access']}", "X-Forwarded-For": "6.6.6.6"}
    status, note = call(live_server, "POST", "/api/notes/", {"title": "over http", "tags": ["net"]}, auth)
    assert status == 201
    assert call(live_server, "PATCH", f"/api/notes/{note['id']}/", {"title": "edited"}, auth)[0] == 200
    assert call(live_server, "GET", "/api/notes/", headers={"Authorization": "Bearer \xff\xfe junk"})[0] == 401
    status, history = call(live_server, "GET", f"/api/notes/{note['id']}/history/", headers=auth)
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
