"""Auth, request/response, management, test and database signals."""

import logging

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.management import call_command
from django.core.signals import got_request_exception, request_finished, request_started, setting_changed
from django.db import connections
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate, pre_migrate
from django.test import override_settings
from django.test.signals import template_rendered

from activity.models import Event
from activity.receivers import feed_limit
from students.models import Course, Student

pytestmark = pytest.mark.django_db
PASSWORD = "a long and secret passphrase"


def test_login_sends_user_logged_in_with_request_and_user(client, user_factory, signal_recorder):
    user = user_factory(username="alice", password=PASSWORD)
    with signal_recorder(user_logged_in) as rec:
        response = client.post("/api/auth/login/", {"username": "alice", "password": PASSWORD}, "application/json")
    assert response.status_code == 200
    call = rec.assert_sent_once(user_logged_in, sender=get_user_model())
    assert call.kwargs["user"] == user and call.kwargs["request"].path == "/api/auth/login/"
    assert Event.objects.filter(signal="user_logged_in", summary="user_logged_in 'alice'").exists()


def test_logout_sends_user_logged_out_also_when_nobody_is_logged_in(client, user, signal_recorder):
    with signal_recorder(user_logged_out) as rec:
        client.post("/api/auth/logout/")
    assert rec.assert_sent_once(user_logged_out).kwargs["user"] is None
    client.force_login(user)
    with signal_recorder(user_logged_out) as rec:
        client.post("/api/auth/logout/")
    assert rec.assert_sent_once(user_logged_out, sender=type(user)).kwargs["user"] == user


def test_login_failed_never_carries_the_password(client, user, signal_recorder, caplog):
    with signal_recorder(user_login_failed) as rec, caplog.at_level(logging.DEBUG):
        response = client.post("/api/auth/login/", {"username": "alice", "password": PASSWORD}, "application/json")
    assert response.status_code == 400
    call = rec.assert_sent_once(user_login_failed)
    assert call.kwargs["credentials"] == {"username": "alice", "password": "********************"}
    assert call.kwargs["request"] is not None
    event = Event.objects.get(signal="user_login_failed")
    assert event.summary == "user_login_failed (what was typed is not recorded)"  # not even the username
    everything = repr(rec.calls) + caplog.text + str(list(Event.objects.values()))
    assert PASSWORD not in everything


def test_authenticate_without_request_still_masks_credentials(user, signal_recorder):
    with signal_recorder(user_login_failed) as rec:
        assert authenticate(username="alice", password=PASSWORD) is None
    assert rec.assert_sent_once(user_login_failed).kwargs["credentials"]["password"] != PASSWORD


def test_every_request_sends_started_then_finished(client, signal_recorder, caplog):
    with signal_recorder(request_started, request_finished) as rec, caplog.at_level(logging.DEBUG, "signals_demo"):
        client.get("/api/events/")
    assert rec.names() == ["request_started", "request_finished"]
    assert rec.calls[0].kwargs["environ"]["PATH_INFO"] == "/api/events/"
    assert "request_started GET /api/events/" in caplog.text
    assert "request_finished" in caplog.text


def boom(request):
    raise RuntimeError("something broke")


@pytest.mark.urls("tests.boom_urls")
def test_got_request_exception_fires_when_a_view_raises(client, signal_recorder):
    client.raise_request_exception = False  # let Django build the 500, as it does for real
    with signal_recorder(got_request_exception) as rec:
        response = client.get("/boom/")
    assert response.status_code == 500
    assert rec.assert_sent_once(got_request_exception).kwargs["request"].path == "/boom/"
    assert Event.objects.get(signal="got_request_exception").summary == "got_request_exception on /boom/"


def test_migrate_signals_fire_once_per_app_and_our_receivers_filter_by_sender(signal_recorder):
    Course.objects.all().delete()
    with signal_recorder(pre_migrate, post_migrate) as rec:
        call_command("migrate", verbosity=0)
    per_app = rec.count(post_migrate)
    assert per_app > 1  # once for every app with a models module, not once per migrate
    students_calls = [c for c in rec.calls if c.kwargs["app_config"].label == "students"]
    assert [c.name for c in students_calls] == ["pre_migrate", "post_migrate"]
    # Our post_migrate receiver (sender=the students app config) restored the courses once.
    assert sorted(Course.objects.values_list("name", flat=True)) == ["Literature", "Mathematics", "Physics"]


def test_post_migrate_receiver_is_idempotent():
    call_command("migrate", verbosity=0)
    call_command("migrate", verbosity=0)
    assert Course.objects.count() == 3


def test_setting_changed_clears_the_cached_feed_limit(client, signal_recorder, user_factory):
    client.force_login(user_factory(is_staff=True))  # the feed is staff only; one event
    for n in range(2):
        Student.objects.create(name=f"S{n}", age=20, mobileno="123456")
    assert feed_limit() == 50
    with signal_recorder(setting_changed) as rec, override_settings(ACTIVITY_FEED_LIMIT=2):
        assert len(client.get("/api/events/").json()) == 2
    assert [(c.kwargs["setting"], c.kwargs["enter"]) for c in rec.calls] == [
        ("ACTIVITY_FEED_LIMIT", True),
        ("ACTIVITY_FEED_LIMIT", False),
    ]
    assert len(client.get("/api/events/").json()) == 3  # the exit cleared it again


def test_template_rendered_fires_for_the_office_notice(django_capture_on_commit_callbacks, signal_recorder, mailoutbox):
    with signal_recorder(template_rendered) as rec, django_capture_on_commit_callbacks(execute=True):
        Student.objects.create(name="Mira", age=20, mobileno="123456")
    call = rec.assert_sent_once(template_rendered)
    assert call.kwargs["template"].name == "students/new_student_email.txt"
    assert call.kwargs["context"]["name"] == "Mira"
    assert mailoutbox[0].subject == "New student: Mira"


def test_connection_created_fires_for_each_new_connection(signal_recorder):
    fresh = connections.create_connection("default")
    try:
        with signal_recorder(connection_created) as rec:
            fresh.ensure_connection()
        call = rec.assert_sent_once(connection_created)
        assert call.kwargs["connection"] is fresh
        assert call.sender is type(fresh)
    finally:
        fresh.close()


@pytest.mark.postgres
def test_connection_created_sets_the_statement_timeout_on_postgresql(settings):
    fresh = connections.create_connection("default")
    try:
        with fresh.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            assert cursor.fetchone()[0] == f"{settings.DATABASE_STATEMENT_TIMEOUT_MS // 1000}s"
    finally:
        fresh.close()


def test_flush_sends_post_migrate_without_apps_and_our_receiver_copes(signal_recorder):
    with signal_recorder(post_migrate) as rec:
        call_command("flush", "--no-input", verbosity=0)
    students_call = next(c for c in rec.calls if c.kwargs["app_config"].label == "students")
    assert "apps" not in students_call.kwargs
    assert Course.objects.count() == 3  # flushed, then re-created by our receiver
