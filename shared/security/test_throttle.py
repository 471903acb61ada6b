"""Login endpoints answer 429 after LOGIN_THROTTLE_RATE attempts per client.

Each demo runs in production mode with ``LOGIN_THROTTLE_RATE=3/minute`` (the variable
tokenauth_demo and jwt_demo read). Other clients are real other addresses: the test
connects from 127.0.0.2 and 127.0.0.3, which reach the server on 127.0.0.1 over loopback.
"""

import http.client
import json
from urllib.parse import urlencode, urlparse

import pytest

from .api import FORM_LOGIN, LOGIN
from .conftest import LOGIN_LIMIT
from .support import DEMOS, HTTPS, csrf_headers, known_bug

NO_THROTTLE = {}  # demo -> reason, for a demo whose login endpoint has no throttle
SPOOFABLE = {}  # demo -> reason, for a demo whose login throttle X-Forwarded-For bypasses
FORM_LOGIN_DEMOS = ["chat_demo"]  # a browser's login form beside the JSON endpoint
FORM_NOT_THROTTLED = {}  # demo -> reason, for a demo whose login form has no throttle
# The demos whose JSON login reads LOGIN_THROTTLE_RATE. sociallogin_demo's local
# passwords are checked by allauth, which counts failures with its own ACCOUNT_RATE_LIMITS
# (login_failed: 10 a minute per address, 5 in 5 minutes per account), not that variable:
# test_allauth_login_form_is_429_after_its_own_limit below.
LOGIN_DEMOS = [demo for demo in DEMOS if demo in LOGIN]


def post_from(served, path, body, headers, source):
    """POST from the loopback address ``source``; (status, headers, body)."""
    parsed = urlparse(served.url)
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30, source_address=(source, 0))
    try:
        connection.request("POST", path, body, {**HTTPS, **headers})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode(errors="replace")
    finally:
        connection.close()


def login(served, username, password, source="127.0.0.1", headers=None):
    """POST the login endpoint from the loopback address ``source``; (status, headers, body)."""
    path, _ = LOGIN[served.demo_dir.name]
    if served.demo_dir.name == "signals_demo":  # a session login: CSRF-checked; the GET is not throttled
        headers = {**csrf_headers(served.url, path), **(headers or {})}
    body = json.dumps({"username": username, "password": password})
    return post_from(served, path, body, {"Content-Type": "application/json", **(headers or {})}, source)


def form_login(served, username, password, source):
    """POST the login form from ``source``, with the CSRF token a GET of the form handed out."""
    csrf = csrf_headers(served.url, FORM_LOGIN)
    body = urlencode({"username": username, "password": password, "csrfmiddlewaretoken": csrf["X-CSRFToken"]})
    return post_from(served, FORM_LOGIN, body, {"Content-Type": "application/x-www-form-urlencoded", **csrf}, source)


@pytest.mark.parametrize("demo", LOGIN_DEMOS)
def test_login_is_429_after_the_configured_number_of_attempts(request, production_server, demo):
    known_bug(request, demo in NO_THROTTLE, NO_THROTTLE.get(demo))
    served = production_server(demo)
    _, wrong_password_status = LOGIN[demo]
    source = "127.0.0.2"  # this test's own client address

    for attempt in range(LOGIN_LIMIT):
        status, _, body = login(served, "nobody", f"wrong-{attempt}", source)
        assert status == wrong_password_status, (attempt, status, body)

    status, headers, body = login(served, "nobody", "wrong-again", source)
    assert status == 429, (status, body)
    assert int(headers["Retry-After"]) > 0
    assert "wrong-again" not in body

    # Another client is not affected: the count is per client address.
    status, _, _ = login(served, "nobody", "wrong", "127.0.0.3")
    assert status == wrong_password_status


@pytest.mark.parametrize("demo", LOGIN_DEMOS)
def test_a_spoofed_x_forwarded_for_does_not_reset_the_count(request, production_server, demo):
    known_bug(request, demo in NO_THROTTLE, NO_THROTTLE.get(demo))
    known_bug(request, demo in SPOOFABLE, SPOOFABLE.get(demo))
    served = production_server(demo)
    source = "127.0.0.4"

    statuses = [
        login(served, "nobody", "wrong", source, {"X-Forwarded-For": f"203.0.113.{n}"})[0]
        for n in range(LOGIN_LIMIT + 2)
    ]

    assert statuses[-1] == 429, statuses


@pytest.mark.parametrize("demo", FORM_LOGIN_DEMOS)
def test_the_login_form_is_429_after_the_configured_number_of_attempts(request, production_server, demo):
    # The form checks the same passwords as the JSON endpoint: a guesser uses whichever is
    # not throttled.
    known_bug(request, demo in FORM_NOT_THROTTLED, FORM_NOT_THROTTLED.get(demo))
    served = production_server(demo)

    statuses = [form_login(served, "nobody", f"wrong-{n}", "127.0.0.5")[0] for n in range(LOGIN_LIMIT + 1)]

    assert statuses == [200] * LOGIN_LIMIT + [429], statuses
