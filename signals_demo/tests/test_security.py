"""Who may read the feed, what a failed login leaves behind, how callers authenticate."""

import base64
import http.client
import importlib
import json
import logging
from http.cookies import SimpleCookie
from urllib.parse import urlparse

import pytest
from django.apps import apps
from django.contrib.auth.signals import user_login_failed
from django.db import connection
from django.test import Client

from activity.models import Event
from activity.receivers import FAILED_LOGIN_SUMMARY
from demo_harness.server import serve_demo

pytestmark = pytest.mark.django_db
PASSWORD = "a long and secret passphrase"
# What people type at a failed login: often the password, one box too early.
TYPED_USERNAME = "Tr0ub4dor-and-3-in-the-wrong-box"
TYPED_PASSWORD = "correct-horse-typed-wrongly"


def everything_stored():
    """Every row of every table, as text."""
    return "\n".join(str(list(model._base_manager.values())) for model in apps.get_models())


# --- the feed: staff only -----------------------------------------------------------------
def test_events_feed_refuses_anonymous_callers(api_client):
    response = api_client.get("/api/events/")
    assert response.status_code == 403
    assert response.json() == {"detail": "Authentication credentials were not provided."}


def test_events_feed_refuses_a_logged_in_user_who_is_not_staff(api_client, user_factory):
    api_client.force_login(user_factory(username="bob"))
    response = api_client.get("/api/events/")
    assert response.status_code == 403
    assert "events" not in response.json() and "summary" not in response.content.decode()


def test_events_feed_is_served_to_staff(api_client, user_factory):
    api_client.force_login(user_factory(username="head", is_staff=True))
    response = api_client.get("/api/events/")
    assert response.status_code == 200
    assert response.json()[0]["summary"] == "user_logged_in 'head'"


# --- nothing typed at a failed login is kept ----------------------------------------------
def test_what_was_typed_at_a_failed_login_appears_in_no_response_row_or_log(api_client, user_factory, caplog):
    user_factory(username="head", password=PASSWORD, is_staff=True)
    with caplog.at_level(logging.DEBUG):  # every logger, Django's included
        failed = api_client.post("/api/auth/login/", {"username": TYPED_USERNAME, "password": TYPED_PASSWORD})
        assert failed.status_code == 400
        assert api_client.post("/api/auth/login/", {"username": "head", "password": PASSWORD}).status_code == 200
        feed = api_client.get("/api/events/")
    assert feed.status_code == 200
    assert Event.objects.get(signal="user_login_failed").summary == FAILED_LOGIN_SUMMARY
    seen = failed.content.decode() + feed.content.decode() + caplog.text + everything_stored()
    for typed in (TYPED_USERNAME, TYPED_PASSWORD):
        assert typed not in seen
        assert typed[:6] not in seen  # no prefix either


def test_failed_login_summary_does_not_depend_on_what_was_typed(user_factory, client):
    # A masked value ("T*****") or its length would still leak part of it.
    for typed in ("a", TYPED_USERNAME, "x" * 150):
        client.post("/api/auth/login/", {"username": typed, "password": typed}, "application/json")
    assert set(Event.objects.filter(signal="user_login_failed").values_list("summary", flat=True)) == {
        FAILED_LOGIN_SUMMARY
    }


def test_migration_overwrites_usernames_that_older_versions_recorded():
    migration = importlib.import_module("activity.migrations.0002_forget_typed_credentials")
    Event.objects.create(signal="user_login_failed", sender="django.contrib.auth", summary="user_login_failed for 'pw'")
    kept = Event.objects.create(signal="user_logged_in", sender="User", summary="user_logged_in 'head'")

    class SchemaEditor:
        pass

    editor = SchemaEditor()
    editor.connection = connection
    migration.forget_typed_credentials(apps, editor)
    assert list(Event.objects.filter(signal="user_login_failed").values_list("summary", flat=True)) == [
        FAILED_LOGIN_SUMMARY
    ]
    assert Event.objects.get(pk=kept.pk).summary == "user_logged_in 'head'"
    assert migration.FAILED_LOGIN_SUMMARY == FAILED_LOGIN_SUMMARY


# --- session cookies only: no HTTP Basic ---------------------------------------------------
def basic(username, password):
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def test_http_basic_credentials_are_not_accepted(api_client, user_factory):
    user_factory(username="head", password=PASSWORD, is_staff=True)
    response = api_client.get("/api/events/", HTTP_AUTHORIZATION=basic("head", PASSWORD))
    assert response.status_code == 403  # right password, still anonymous
    assert "WWW-Authenticate" not in response  # and no invitation to try Basic


def test_http_basic_is_no_password_oracle(api_client, user_factory, signal_recorder):
    user_factory(username="head", password=PASSWORD, is_staff=True)
    with signal_recorder(user_login_failed) as rec:
        right = api_client.get("/api/events/", HTTP_AUTHORIZATION=basic("head", PASSWORD))
        wrong = api_client.get("/api/events/", HTTP_AUTHORIZATION=basic("head", "guess"))
    assert (right.status_code, right.json()) == (wrong.status_code, wrong.json())  # nothing to tell apart
    assert rec.calls == []  # no password was even checked


# --- login CSRF ----------------------------------------------------------------------------
@pytest.fixture
def browser():
    """A client that checks CSRF the way a browser request is checked (the test client skips it)."""
    return Client(enforce_csrf_checks=True)


def test_login_without_a_csrf_token_is_403_and_logs_nobody_in(browser, user_factory, signal_recorder):
    user_factory(username="mallory", password=PASSWORD)
    # What a page on another site can send: a form POST with the attacker's credentials.
    with signal_recorder(user_login_failed) as rec:
        response = browser.post("/api/auth/login/", {"username": "mallory", "password": PASSWORD})
    assert response.status_code == 403
    assert response.json()["detail"].startswith("CSRF Failed")
    assert "sessionid" not in response.cookies and "_auth_user_id" not in browser.session
    assert rec.calls == []  # refused before any password was checked


def test_login_with_the_csrf_token_from_a_get_is_200(browser, user_factory):
    user_factory(username="alice", password=PASSWORD)
    got = browser.get("/api/auth/login/")
    assert got.status_code == 200
    token = got.cookies["csrftoken"].value
    assert got.json() == {"csrftoken": got.json()["csrftoken"]} and got.json()["csrftoken"]
    response = browser.post(
        "/api/auth/login/",
        {"username": "alice", "password": PASSWORD},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 200 and response.json() == {"username": "alice"}
    assert "sessionid" in response.cookies
    assert response.cookies["csrftoken"].value != token  # login() rotates the token


def test_getting_the_csrf_cookie_does_not_use_up_login_attempts(api_client, user_factory, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"login": "2/minute"}}
    user_factory(username="alice", password=PASSWORD)
    assert [api_client.get("/api/auth/login/").status_code for _ in range(3)] == [200, 200, 200]
    assert api_client.post("/api/auth/login/", {"username": "alice", "password": PASSWORD}).status_code == 200


def https_login_request(served, method, body=None, headers=None):
    """(status, cookies, body) of one request to the login URL, as if over HTTPS behind a proxy."""
    url = urlparse(served.url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    https = {"X-Forwarded-Proto": "https", "Content-Type": "application/json"}
    connection.request(method, "/api/auth/login/", body and json.dumps(body), {**https, **(headers or {})})
    response = connection.getresponse()
    cookies = SimpleCookie("\n".join(response.headers.get_all("Set-Cookie") or []))
    return response.status, cookies, response.read()


def test_login_csrf_flow_over_https_in_production_mode(demo_dir):
    """Production (HTTPS behind a proxy): besides the cookie and the header, Django's CSRF
    check wants a same-origin Referer (or Origin) on a secure request."""
    with serve_demo(demo_dir, production=True, superuser=("head", PASSWORD)) as served:
        url = urlparse(served.url)

        def request(method, body=None, headers=None):
            return https_login_request(served, method, body, headers)

        _, cookies, _ = request("GET")
        token = cookies["csrftoken"].value
        credentials = {"username": "head", "password": PASSWORD}
        csrf = {"Cookie": f"csrftoken={token}", "X-CSRFToken": token}
        assert request("POST", credentials)[0] == 403  # no token
        assert request("POST", credentials, csrf)[0] == 403  # no Referer on an HTTPS request
        referer = {"Referer": f"https://{url.netloc}/"}
        status, cookies, body = request("POST", credentials, {**csrf, **referer})
        assert (status, json.loads(body)) == (200, {"username": "head"}) and "sessionid" in cookies


def test_login_throttle_counts_across_every_worker_process(demo_dir):
    """gunicorn runs several worker processes. With Django's default cache (LocMemCache,
    one per process) each worker keeps its own count, and a client whose attempts land
    on four workers gets four times the attempts, or more. The count lives in the database."""
    with serve_demo(demo_dir, production=True, workers=4, env={"LOGIN_THROTTLE_RATE": "3/minute"}) as served:
        url = urlparse(served.url)
        _, cookies, _ = https_login_request(served, "GET")
        token = cookies["csrftoken"].value
        csrf = {"Cookie": f"csrftoken={token}", "X-CSRFToken": token, "Referer": f"https://{url.netloc}/"}
        statuses = [
            https_login_request(served, "POST", {"username": "nobody", "password": f"guess {n}"}, csrf)[0]
            for n in range(12)
        ]
    assert statuses == [400] * 3 + [429] * 9
