import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models.signals import post_save, pre_save
from django.dispatch import Signal

from demo_harness import SignalRecorder, services, signal_name
from demo_harness.plugin import FAST_TEST_HASHERS


def test_signal_name_knows_builtins_and_falls_back_for_custom():
    assert signal_name(post_save) == "post_save"
    custom = Signal()
    assert signal_name(custom) == repr(custom)


@pytest.mark.django_db
def test_recorder_captures_sends_in_order_with_kwargs(signal_recorder):
    with signal_recorder(pre_save, post_save) as rec:
        Group.objects.create(name="teachers")
    assert rec.names() == ["pre_save", "post_save"]
    call = rec.assert_sent_once(post_save, sender=Group, created=True)
    assert call.kwargs["instance"].name == "teachers"
    rec.assert_not_sent(post_save, created=False)


@pytest.mark.django_db
def test_recorder_disconnects_on_exit(signal_recorder):
    with signal_recorder(post_save) as rec:
        pass
    Group.objects.create(name="after")
    assert rec.calls == []


def test_recorder_reports_everything_recorded_when_an_assertion_fails():
    custom = Signal()
    with SignalRecorder(custom, names={custom: "custom"}) as rec:
        custom.send(sender=str)
        custom.send(sender=str)
    with pytest.raises(AssertionError, match=r"got 2.*custom\(str\), custom\(str\)"):
        rec.assert_sent_once(custom)


def test_recorder_needs_a_signal():
    with pytest.raises(ValueError):
        SignalRecorder()


@pytest.mark.django_db
def test_count_queries_counts_and_filters(count_queries):
    with count_queries() as q:
        Group.objects.create(name="a")
        list(Group.objects.all())
    assert q.count == 2
    assert len(q.matching("insert into")) == 1


@pytest.mark.django_db
def test_at_most_queries_fails_over_the_limit():
    from demo_harness import at_most_queries

    with pytest.raises(AssertionError, match="at most 0"):
        with at_most_queries(0):
            list(Group.objects.all())


def test_fast_hasher_is_active():
    from django.conf import settings

    assert settings.PASSWORD_HASHERS == FAST_TEST_HASHERS


def test_user_factory_makes_distinct_users_with_hashed_passwords(user_factory):
    first, second = user_factory(), user_factory(password="s3cret-enough")
    assert first.username != second.username
    assert second.check_password("s3cret-enough")
    assert second.password != "s3cret-enough"
    assert get_user_model().objects.count() == 2


def test_the_password_fixture_is_the_password_of_every_user_the_factory_makes(user_factory, password):
    assert user_factory().check_password(password)
    assert not user_factory(password="another-one-entirely").check_password(password)


@pytest.fixture
def two_caches(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "harness-default"},
        "throttle": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "harness-throttle"},
    }
    from django.core.cache import caches

    caches["throttle"].set("left-by-an-earlier-test", 1)
    return caches


def test_fresh_caches_empties_every_cache_before_the_test(two_caches, request):
    request.getfixturevalue("fresh_caches")
    assert two_caches["throttle"].get("left-by-an-earlier-test") is None


def test_without_fresh_caches_a_count_leaks_into_the_next_test(two_caches):
    assert two_caches["throttle"].get("left-by-an-earlier-test") == 1


def test_throttle_rates_changes_the_named_rates_and_keeps_the_others(settings, throttle_rates):
    settings.REST_FRAMEWORK = {"DEFAULT_THROTTLE_RATES": {"login": "10/minute", "signup": "20/hour"}}
    throttle_rates(login="3/minute")
    from rest_framework.settings import api_settings

    assert api_settings.DEFAULT_THROTTLE_RATES == {"login": "3/minute", "signup": "20/hour"}


def test_sqlite_test_database_is_in_memory_unless_pytest_ini_asks_for_a_file(pytester):
    pytester.makeconftest(
        """
import django
from django.conf import settings

def pytest_configure(config):
    settings.configure(DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "x.sqlite3"}},
                       INSTALLED_APPS=["django.contrib.contenttypes"])
    django.setup()
"""
    )
    pytester.makepyfile(
        """
import pytest

@pytest.mark.django_db
def test_where(request):
    from django.db import connection
    print("DATABASE", connection.settings_dict["NAME"])
"""
    )
    in_memory = pytester.runpytest_subprocess("-s", "-p", "no:cacheprovider")
    in_a_file = pytester.runpytest_subprocess("-s", "-p", "no:cacheprovider", "-o", "sqlite_test_database=file")
    assert "DATABASE file:memorydb" in in_memory.stdout.str()
    assert re.search(r"DATABASE /\S+/test\.sqlite3\n", in_a_file.stdout.str())


def test_the_django_processes_a_demo_suite_starts_hash_with_the_fast_hasher_too(pytester):
    # A demo-shaped project (config.settings, as every demo has) whose test starts a child
    # Django, as a served demo, manage.py or a worker would be started.
    pytester.makeini("[pytest]\nDJANGO_SETTINGS_MODULE = config.settings\npythonpath = .\n")
    pytester.mkpydir("config")
    pytester.path.joinpath("config", "settings.py").write_text(
        'SECRET_KEY = "x"\nINSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes"]\n'
        'DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}\n'
    )
    pytester.makepyfile(
        """
import subprocess, sys

def test_child():
    code = "import django; from django.conf import settings; django.setup(); print(settings.PASSWORD_HASHERS)"
    child = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    print("CHILD", child.stdout.strip())
"""
    )
    result = pytester.runpytest_subprocess("-s", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    assert f"CHILD {FAST_TEST_HASHERS}" in result.stdout.str()


def test_a_demo_suite_forks_its_django_processes_and_other_pytest_runs_do_not(pytester, monkeypatch):
    """forkserver.py: on in a demo's suite (config.settings), off in the black-box sessions
    and the bench, whose figures are of servers started as an operator starts them."""
    monkeypatch.delenv("DEMO_HARNESS_FORK", raising=False)
    pytester.makepyfile("import os\n\ndef test_switch():\n    print('FORK', os.environ.get('DEMO_HARNESS_FORK'))\n")
    elsewhere = pytester.runpytest_subprocess("-s", "-p", "no:cacheprovider")
    pytester.makeini("[pytest]\nDJANGO_SETTINGS_MODULE = config.settings\npythonpath = .\n")
    pytester.mkpydir("config")
    pytester.path.joinpath("config", "settings.py").write_text('SECRET_KEY = "x"\nINSTALLED_APPS = []\n')
    in_a_demo = pytester.runpytest_subprocess("-s", "-p", "no:cacheprovider")
    assert "FORK None" in elsewhere.stdout.str()
    assert "FORK 1" in in_a_demo.stdout.str()


def test_api_client_is_drf(api_client):
    from rest_framework.test import APIClient

    assert isinstance(api_client, APIClient)


def test_unavailable_skips_locally_and_fails_in_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        services.unavailable("no server")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI is set"):
        services.unavailable("no server")


def test_redis_requirement_checks_the_configured_url(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")  # nothing listens on port 1
    with pytest.raises(pytest.skip.Exception, match="127.0.0.1:1"):
        services.require_redis()


@pytest.mark.django_db
def test_postgres_requirement_skips_on_sqlite_and_fails_when_expected(monkeypatch):
    monkeypatch.delenv("DEMOS_EXPECT_POSTGRES", raising=False)
    with pytest.raises(pytest.skip.Exception, match="PostgreSQL-only"):
        services.require_postgres()
    monkeypatch.setenv("DEMOS_EXPECT_POSTGRES", "1")
    with pytest.raises(pytest.fail.Exception, match="sqlite"):
        services.require_postgres()


@pytest.mark.django_db
def test_bench_query_count_is_right_even_when_the_query_log_is_full():
    from django.db import connection

    from demo_harness.bench.core import count_queries

    connection.queries_log.extend({"sql": "old", "time": "0"} for _ in range(connection.queries_limit))
    assert len(connection.queries_log) == connection.queries_limit  # full: it no longer grows
    assert count_queries(lambda: Group.objects.create(name="counted")) == 1


def test_all_at_once_releases_every_call_together_and_keeps_their_order():
    import threading

    from demo_harness.concurrency import all_at_once

    waiting = []
    lock = threading.Lock()

    def call(n):
        def run():
            with lock:
                waiting.append(n)
            return n

        return run

    assert all_at_once([call(n) for n in range(5)]) == [0, 1, 2, 3, 4]
    assert sorted(waiting) == [0, 1, 2, 3, 4]


def test_assert_no_server_error_fails_on_a_5xx_and_on_a_locked_database():
    from demo_harness.concurrency import assert_no_server_error

    class Served:
        def __init__(self, log):
            self.log = log

        def log_text(self):
            return self.log

    assert_no_server_error([200, 409, 429], Served(""))
    with pytest.raises(AssertionError):
        assert_no_server_error([200, 500], Served(""))
    with pytest.raises(AssertionError):
        assert_no_server_error([200], Served("OperationalError: database is locked"))
