"""What Django's Tasks framework itself ships, and what django-tasks-db adds.

``django.tasks`` on Django 6; on Django 5.2 the ``django-tasks`` backport, whose API is
the same (contacts/django_tasks.py imports whichever exists).
"""

import importlib
import inspect
import pkgutil

import pytest
from django.core.management import get_commands
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from contacts.models import UserContact
from contacts.services import enqueue_import
from scheduler.engines import django_tasks

pytestmark = pytest.mark.django_db

TASKS_MODULE = django_tasks.task.__module__.rpartition(".")[0]  # "django.tasks" or "django_tasks"
IMMEDIATE = {"default": {"BACKEND": f"{TASKS_MODULE}.backends.immediate.ImmediateBackend"}}
DUMMY = {"default": {"BACKEND": f"{TASKS_MODULE}.backends.dummy.DummyBackend"}}


class RolledBack(Exception):
    pass


def test_django_ships_only_the_immediate_and_dummy_backends():
    backends = importlib.import_module(f"{TASKS_MODULE}.backends")
    assert {module.name for module in pkgutil.iter_modules(backends.__path__)} == {"base", "dummy", "immediate"}


def test_django_ships_no_worker_the_database_backend_brings_db_worker():
    workers = {name: app for name, app in get_commands().items() if "worker" in name}
    assert workers == {"db_worker": "django_tasks_db"}


def test_django_tasks_have_no_retries_a_failure_is_recorded_once(settings, alice, corrupted_import):
    assert not {"retries", "max_retries", "max_attempts"} & set(inspect.signature(django_tasks.task).parameters)
    settings.TASKS = IMMEDIATE
    record = corrupted_import(alice)
    result = django_tasks.run_import_task.enqueue(record.pk)  # ImmediateBackend: runs it right here
    # No exception reaches the caller: the failure is in the result, one attempt, final.
    assert result.status == "FAILED" and len(result.worker_ids) == 1
    assert result.errors[0].exception_class_path == "builtins.TypeError"
    record.refresh_from_db()
    assert record.status == "failed"  # marked by the task_finished receiver


def test_the_immediate_backend_runs_the_task_inside_enqueue_not_in_the_background(settings, alice, make_import):
    settings.TASKS = IMMEDIATE
    record = make_import(alice, [{"name": "Ann", "phone": "+447700900000"}])
    result = django_tasks.run_import_task.enqueue(record.pk)
    assert result.status == "SUCCESSFUL"  # before enqueue() even returned
    assert UserContact.objects.filter(user=alice).count() == 1


def test_enqueue_is_not_deferred_to_commit_use_on_commit(settings, alice, make_import, committed):
    """A backend that sends elsewhere (Dummy stands for one: it only records what it got)
    receives the task inside the transaction, even if it is rolled back."""
    settings.TASKS = DUMMY
    settings.TASKS_ENGINE = "django_tasks"
    backend = django_tasks.run_import_task.get_backend()
    with pytest.raises(RolledBack), transaction.atomic():
        record = make_import(alice, [{"name": "Ghost", "phone": "+447700900000"}])
        django_tasks.run_import_task.enqueue(record.pk)  # straight to the backend
        raise RolledBack
    assert len(backend.results) == 1  # queued for an import that does not exist

    backend.clear()
    with pytest.raises(RolledBack), transaction.atomic():
        record = make_import(alice, [{"name": "Ghost", "phone": "+447700900000"}])
        enqueue_import(record.pk)  # on_commit: nothing happens until a commit
        raise RolledBack
    assert backend.results == []
    with committed():
        real = make_import(alice, [{"name": "Real", "phone": "+447700900001"}])
        enqueue_import(real.pk)
    assert [result.args for result in backend.results] == [[real.pk]]  # sent once committed


@pytest.mark.django_db(transaction=True)
def test_the_database_backend_stores_the_task_in_the_transaction(alice, make_import):
    """django-tasks-db writes a row in the same database: rolled back with the
    transaction (like background_task's). Celery's Redis is not part of it."""
    with pytest.raises(RolledBack), transaction.atomic():
        record = make_import(alice, [{"name": "Ghost", "phone": "+447700900000"}])
        django_tasks.run_import_task.enqueue(record.pk)
        assert DBTaskResult.objects.count() == 1
        raise RolledBack
    assert DBTaskResult.objects.count() == 0
