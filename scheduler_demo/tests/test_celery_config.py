"""Celery's configuration; pitfall 8 (sending before commit) and 9 (accepting pickle).

The pitfall 8 tests read the queue in Redis with no worker running (tests/test_engines.py
runs the real worker): what is in the queue is what a worker would run.
"""

import json
import pickle
import subprocess

import pytest
import redis
from django.db import transaction
from kombu.exceptions import ContentDisallowed
from kombu.serialization import loads, prepare_accept_content

from config.celery import app
from contacts.models import UserContactsImport
from contacts.services import enqueue_import
from scheduler.engines import celery as celery_engine
from scheduler.worker import delete_celery_keys, private_celery_prefix


class RolledBack(Exception):
    pass


@pytest.fixture
def queued(redis_url, settings):
    """``queued()``: the messages waiting in this test run's Celery queue in Redis."""
    settings.TASKS_ENGINE = "celery"
    key = private_celery_prefix() + app.conf.task_default_queue
    client = redis.Redis.from_url(redis_url)

    def read():
        return [json.loads(message)["headers"] for message in client.lrange(key, 0, -1)]

    yield read
    delete_celery_keys()  # no worker may ever run them
    client.close()


class Exploit:
    """What anyone able to write to Redis can put in a message (``marker``: proof it ran)."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):  # unpickling calls this with these arguments: any callable
        return (subprocess.call, (["touch", str(self.marker)],))


def test_celery_uses_redis_and_json_only(settings):
    assert app.conf.broker_url == settings.REDIS_URL == app.conf.result_backend
    assert (app.conf.task_serializer, app.conf.result_serializer) == ("json", "json")
    # JSON only, however it is spelled ("json" or its MIME type), for tasks and results alike.
    json_only = {"json", "application/json"}
    assert app.conf.accept_content and set(app.conf.accept_content) <= json_only, app.conf.accept_content
    assert app.conf.result_accept_content and set(app.conf.result_accept_content) <= json_only
    assert app.conf.task_acks_late and app.conf.result_extended


@pytest.mark.django_db(transaction=True)
def test_pitfall_8_enqueue_before_commit_trap(queued, alice, make_import):
    """``.delay()`` inside the transaction: Redis has the message at once, whatever the
    transaction does next; a worker would run it now, before the commit (the record is not
    visible yet), or after a rollback (the record never existed)."""
    with pytest.raises(RolledBack), transaction.atomic():
        record = make_import(alice, [{"name": "Ghost", "phone": "+447700900000"}])
        celery_engine.run_import_task.delay(record.pk)
        raise RolledBack
    [message] = queued()
    assert (message["task"], message["argsrepr"]) == ("contacts.import_contacts", f"({record.pk},)")
    assert not UserContactsImport.objects.filter(pk=record.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_pitfall_8_enqueue_before_commit_fix(queued, alice, make_import):
    """enqueue_import sends on commit: nothing for a rolled-back transaction."""
    with pytest.raises(RolledBack), transaction.atomic():
        record = make_import(alice, [{"name": "Ghost", "phone": "+447700900000"}])
        enqueue_import(record.pk)
        raise RolledBack
    assert queued() == []
    with transaction.atomic():
        record = make_import(alice, [{"name": "Real", "phone": "+447700900001"}])
        enqueue_import(record.pk)
        assert queued() == []  # not before the commit either
    assert [message["argsrepr"] for message in queued()] == [f"({record.pk},)"]


def test_pitfall_9_pickle_serializer_trap(tmp_path):
    """The django-base project's CELERY_ACCEPT_CONTENT = ['pickle']: unpickling the message runs a command."""
    marker = tmp_path / "attacker-was-here"
    body = pickle.dumps(Exploit(marker))
    loads(body, "application/x-python-serialize", "binary", accept=prepare_accept_content(["pickle"]))
    assert marker.exists()  # a shell command ran, on the worker, before any task code


def test_pitfall_9_pickle_serializer_fix(tmp_path):
    """accept_content = ["json"]: the worker refuses the message without unpickling it."""
    marker = tmp_path / "attacker-was-here"
    body = pickle.dumps(Exploit(marker))
    with pytest.raises(ContentDisallowed):
        loads(body, "application/x-python-serialize", "binary", accept=prepare_accept_content(app.conf.accept_content))
    assert not marker.exists()


def test_pitfall_9_pickled_results_are_refused(tmp_path):
    """Results come back from Redis too: the result backend checks every payload against its
    own list, RESULT_ACCEPT_CONTENT (ACCEPT_CONTENT only when that is unset). JSON only there
    as well, or a pickled payload runs on whoever reads the result. (Celery 5.7's Redis
    backend decodes with RESULT_SERIALIZER's type, so today such a payload fails as JSON; the
    list still decides once a pickle serializer or another backend is configured.)"""
    marker = tmp_path / "attacker-was-here"
    body = pickle.dumps(Exploit(marker))
    with pytest.raises(ContentDisallowed):
        loads(body, "application/x-python-serialize", "binary", accept=app.backend.accept)
    assert not marker.exists()
