"""A real `process_tasks` worker killed with SIGKILL in the middle of an import (PostgreSQL)."""

import signal

import pytest
from background_task.models import CompletedTask, Task
from django.db.models import Count

from contacts.models import UserContact, UserContactsImport
from scheduler.engines.background_task import run_import_task
from tests.helpers import wait_until

ROWS, BATCH, DUPLICATES, INVALID = 20_000, 100, 500, 500


def upload():
    rows = [{"name": f"P {n:05d}", "phone": f"+44770{n:07d}", "email": f"p{n}@example.com"} for n in range(ROWS)]
    for n in range(DUPLICATES):  # the same phone again: merged into the first one
        rows[ROWS - DUPLICATES - INVALID + n] = {"name": "Again", "phone": f"+44770{n:07d}"}
    for n in range(INVALID):
        rows[ROWS - INVALID + n] = {"name": f"Bad {n}", "phone": "12"}
    return rows


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_sigkill_mid_import_loses_nothing_and_duplicates_nothing(alice, make_import, worker):
    record = make_import(alice, upload())
    run_import_task(record.pk)
    # Short lock expiry so the second worker may take the task over within seconds.
    env = {"SCHEDULER_MAX_RUN_TIME": "3", "CONTACTS_IMPORT_BATCH_SIZE": str(BATCH)}

    first = worker("--sleep", "0.1", env=env)
    wait_until(
        lambda: UserContactsImport.objects.get(pk=record.pk).processed >= 10 * BATCH,
        interval=0.01,
        message="the first worker to commit some batches",
    )
    first.send_signal(signal.SIGKILL)
    first.wait()
    assert first.returncode == -signal.SIGKILL

    record.refresh_from_db()
    assert record.status == "running" and 0 < record.processed < ROWS  # killed mid-import
    print(f"SIGKILL after {record.processed}/{ROWS} rows ({record.created} contacts committed)")
    # Whatever committed is whole: contacts and counters were written together.
    assert UserContact.objects.filter(user=alice).count() == record.created
    assert record.created + record.duplicates + record.invalid == record.processed
    task = Task.objects.get(task_name="contacts.import_contacts")
    assert task.locked_by == str(first.pid) and task.locked_by_pid_running() is False  # a stale lock

    second = worker("--sleep", "0.1", env=env)
    wait_until(
        lambda: CompletedTask.objects.filter(task_name="contacts.import_contacts").exists(),
        timeout=120,
        message="the second worker to finish the import",
    )
    second.send_signal(signal.SIGTSTP)
    second.wait(10)

    record.refresh_from_db()
    unique = ROWS - DUPLICATES - INVALID
    assert (record.status, record.processed, record.created) == ("done", ROWS, unique)
    assert (record.duplicates, record.invalid) == (DUPLICATES, INVALID)
    contacts = UserContact.objects.filter(user=alice)
    # Nothing lost: every distinct phone is there. Nothing duplicated: once each.
    assert set(contacts.values_list("phone_number", flat=True)) == {f"+44770{n:07d}" for n in range(unique)}
    assert not contacts.values("phone_number").annotate(n=Count("id")).filter(n__gt=1).exists()
    done = CompletedTask.objects.get(task_name="contacts.import_contacts")
    assert done.failed_at is None and done.locked_by == str(second.pid)
    assert not Task.objects.filter(task_name="contacts.import_contacts").exists()
