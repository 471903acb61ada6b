"""A worker killed mid-import: the status says how long the import stays "running" and why,
and ``manage.py resume_stalled_imports`` resumes it at once instead of after MAX_RUN_TIME."""

import io
import signal
from datetime import timedelta

import pytest
from background_task.models import CompletedTask, Task
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from contacts.models import UserContact, UserContactsImport
from scheduler.engines.background_task import run_import_task
from tests.helpers import wait_until

ROWS, BATCH = 5_000, 50


def rows():
    return [{"name": f"P {n:05d}", "phone": f"+44770{n:07d}"} for n in range(ROWS)]


def time_passes(record, seconds):
    """Pretend the last batch committed ``seconds`` ago."""
    earlier = timezone.now() - timedelta(seconds=seconds)
    UserContactsImport.objects.filter(pk=record.pk).update(last_progress_at=earlier, started_at=earlier)


@pytest.mark.django_db(transaction=True)  # the worker processes must see our writes
def test_a_killed_worker_is_explained_in_the_status_and_resumed_at_once(alice, alice_client, make_import, worker):
    record = make_import(alice, rows())
    record.engine = "background_task"
    record.save(update_fields=["engine"])
    run_import_task(record.pk, verbose_name=f"contacts import #{record.pk}")  # as enqueue_import does
    env = {"CONTACTS_IMPORT_BATCH_SIZE": str(BATCH)}  # MAX_RUN_TIME stays 600 s
    first = worker("--sleep", "0.1", env=env)
    wait_until(
        lambda: UserContactsImport.objects.get(pk=record.pk).processed >= 10 * BATCH,
        interval=0.01,
        message="the first worker to commit some batches",
    )
    first.send_signal(signal.SIGKILL)
    first.wait()

    time_passes(record, 120)
    status = alice_client.get(f"/api/contacts/imports/{record.pk}/").json()
    assert status["status"] == "running" and 0 < status["processed"] < ROWS and status["stalled"] is True
    locked_at = Task.objects.get(verbose_name=f"contacts import #{record.pk}").locked_at
    expiry = (locked_at + timedelta(seconds=600)).strftime("%H:%M:%S")
    assert "(120 s ago)" in status["progress_note"]
    assert f"lock expires, MAX_RUN_TIME (600 s) after a worker took it: at {expiry} UTC." in status["progress_note"]
    assert "manage.py resume_stalled_imports" in status["progress_note"]

    out = io.StringIO()
    call_command("resume_stalled_imports", stdout=out)
    assert f"import #{record.pk} (running, " in out.getvalue()
    second = worker("--sleep", "0.1", env=env)
    wait_until(
        lambda: UserContactsImport.objects.get(pk=record.pk).status == "done",
        timeout=120,
        message="the second worker to finish the import",
    )
    second.send_signal(signal.SIGTSTP)
    second.wait(10)
    record.refresh_from_db()
    assert (record.processed, record.created, record.duplicates, record.invalid) == (ROWS, ROWS, 0, 0)
    contacts = UserContact.objects.filter(user=alice)
    assert contacts.count() == ROWS
    assert not contacts.values("phone_number").annotate(n=Count("id")).filter(n__gt=1).exists()
    # Resumed long before MAX_RUN_TIME: the dead worker's task is still locked, waiting.
    stale = Task.objects.get(verbose_name=f"contacts import #{record.pk}", locked_by=str(first.pid))
    assert stale.locked_at > timezone.now() - timedelta(seconds=600)
    assert CompletedTask.objects.filter(task_name="contacts.import_contacts").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("engine", "says"),
    [
        ("celery", "Redis hands the unacknowledged message to another worker after the visibility timeout (3600 s)"),
        ("django_tasks", "django-tasks-db never hands a RUNNING task to another worker."),
    ],
)
def test_the_status_says_how_each_engine_recovers_a_dead_workers_import(alice, alice_client, make_import, engine, says):
    record = make_import(alice, rows()[:10])
    UserContactsImport.objects.filter(pk=record.pk).update(status="running", engine=engine)
    time_passes(record, 30)
    status = alice_client.get(f"/api/contacts/imports/{record.pk}/").json()
    assert says in status["progress_note"] and "(30 s ago)" in status["progress_note"]
    assert status["stalled"] is False  # 30 s < CONTACTS_IMPORT_STALLED_AFTER (60 s)


@pytest.mark.django_db
def test_resume_leaves_live_and_finished_imports_alone_and_requeues_a_forgotten_one(
    alice, make_import, run_tasks, django_capture_on_commit_callbacks
):
    live, forgotten, done = (make_import(alice, rows()[n * 10 : n * 10 + 10]) for n in range(3))
    UserContactsImport.objects.filter(pk=live.pk).update(status="running", last_progress_at=timezone.now())
    UserContactsImport.objects.filter(pk=done.pk).update(status="done")
    time_passes(forgotten, 3600)  # pending for an hour: its task was never queued (a crash after commit)
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("resume_stalled_imports", "--after", "60", stdout=out)
    [line] = out.getvalue().splitlines()
    assert line.startswith(f"import #{forgotten.pk} (pending, quiet since ")
    assert line.endswith(" UTC): queued again at row 0 of 10")
    run_tasks()
    statuses = dict(UserContactsImport.objects.values_list("pk", "status"))
    assert statuses == {live.pk: "running", forgotten.pk: "done", done.pk: "done"}
