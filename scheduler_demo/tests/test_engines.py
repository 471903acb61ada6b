"""The same import, the same tests, on each engine, run by a REAL worker process.

One worker per engine for the whole module (workers are slow to start): process_tasks,
db_worker, and ``celery -A config worker`` against the real Redis server (under a key
prefix of its own). Celery's tests skip without Redis, and fail in CI (the harness's
``redis_url``).
"""

import pytest
from django.db import transaction

from contacts.models import UserContact, UserContactsImport
from contacts.services import enqueue_import
from demo_harness import require_redis
from demo_harness.services import redis_url, tcp_reachable
from scheduler.worker import delete_celery_keys, start_engine_worker, stop_worker
from tests.engines import RunningEngine

ENGINES = ["background_task", "django_tasks", "celery"]
# Worker settings for the tests: small batches, 3 tries, Celery's backoff capped at 1 s.
WORKER_ENV = {"CONTACTS_IMPORT_BATCH_SIZE": "100", "TASK_MAX_ATTEMPTS": "3", "TASK_RETRY_BACKOFF_MAX": "1"}
ATTEMPTS = {"background_task": 3, "django_tasks": 1, "celery": 3}  # django-tasks-db never retries

UNIQUE, DUPLICATES, INVALID = 450, 30, 20
EXPECTED = {"status": "done", "total": 500, "processed": 500, "created": UNIQUE}
EXPECTED |= {"duplicates": DUPLICATES, "invalid": INVALID}

pytestmark = pytest.mark.django_db(transaction=True)  # the worker must see committed rows


def upload():
    rows = [{"name": f"Person {n:03d}", "phone": f"+44770{n:07d}"} for n in range(UNIQUE)]
    rows += [
        {"name": "Again", "phone": f"+44 770 {n:07d}", "email": f"again{n}@example.com"} for n in range(DUPLICATES)
    ]
    rows += [{"name": f"Bad {n}", "phone": "12"} for n in range(INVALID)]
    return rows


class RolledBack(Exception):
    pass


@pytest.fixture(scope="module")
def workers(django_db_setup, tmp_path_factory):
    """One worker per engine, all started at once (each takes a second or two to boot)."""
    started = {}
    for name in ENGINES:
        if name == "celery" and not tcp_reachable(redis_url(), 6379):
            continue  # its tests skip, or fail in CI, through require_redis below
        log = open(tmp_path_factory.mktemp("worker") / f"{name}.log", "w+")  # noqa: SIM115 - closed below
        started[name] = RunningEngine(name, start_engine_worker(name, env=WORKER_ENV, output=log), log)
    yield started
    for name, running in started.items():
        stop_worker(running.process, engine=name)
        running.log.close()
    if "celery" in started:
        delete_celery_keys()


@pytest.fixture(scope="module", params=ENGINES)
def engine(request, workers):
    if request.param not in workers:
        require_redis()  # the harness rule: skip locally, fail in CI
    return workers[request.param]


@pytest.fixture
def on(engine, settings, request):
    """The engine under test, also selected for this process (what the API enqueues on)."""
    settings.TASKS_ENGINE = engine.name
    if engine.name == "celery":
        request.getfixturevalue("redis_url")
    engine.forget_runs()
    return engine


def status(record):
    record.refresh_from_db()
    return record.status


def test_the_import_completes_with_the_same_result_on_every_engine(on, alice_client, alice):
    response = alice_client.put("/api/contacts/import/", upload())
    assert response.status_code == 202
    record = UserContactsImport.objects.get(pk=response.json()["import_id"])
    on.wait_for(lambda: status(record) == "done", "the import")

    counts = alice_client.get(f"/api/contacts/imports/{record.pk}/").json()
    assert {key: counts[key] for key in EXPECTED} == EXPECTED
    assert UserContact.objects.filter(user=alice).count() == UNIQUE
    assert UserContact.objects.filter(email="again29@example.com", phone_number="+447700000029").exists()  # merged
    [run] = on.wait_for_runs(1)
    assert (run["import_id"], run["state"], run["attempts"]) == (record.pk, "succeeded", 1)


def test_a_failing_import_is_retried_where_the_engine_retries_and_fails_visibly(on, alice, corrupted_import):
    """A corrupted record (rows is not a list) makes run_import raise every time."""
    record = corrupted_import(alice)
    enqueue_import(record.pk)
    on.wait_for(lambda: status(record) == "failed", "the import to be marked failed")

    [run] = on.wait_for_runs(1)
    # background_task and Celery tried 3 times (TASK_MAX_ATTEMPTS); django-tasks-db once.
    assert (run["state"], run["attempts"]) == ("failed", ATTEMPTS[on.name])
    assert "TypeError" in run["error"]  # the traceback is kept by the engine
    assert UserContact.objects.count() == 0


def test_a_task_enqueued_in_a_rolled_back_transaction_never_runs(on, alice, make_import):
    with pytest.raises(RolledBack), transaction.atomic():
        rolled_back = make_import(alice, [{"name": "Ghost", "phone": "+447700900000"}])
        enqueue_import(rolled_back.pk)
        raise RolledBack
    # An import queued after it: once the single worker has done it, it took everything
    # queued before it.
    later = make_import(alice, [{"name": "Real", "phone": "+447700900001"}])
    enqueue_import(later.pk)
    on.wait_for(lambda: status(later) == "done", "the later import")

    [run] = on.wait_for_runs(1)  # one run: the later import's
    assert (run["import_id"], run["state"]) == (later.pk, "succeeded")
    assert list(UserContact.objects.values_list("first_name", flat=True)) == ["Real"]
