"""Repeating tasks, the background_task_scheduler command, retries and the completed-task log."""

import io
import os
from datetime import timedelta

import pytest
from background_task.models import CompletedTask, Task
from django.core.management import call_command
from django.utils import timezone

from contacts.models import State, UserContact, UserContactsImport
from scheduler.engines.background_task import (
    cleanup_old_imports,
    prune_task_log,
    repeating_tasks,
    run_import_task,
    send_invite_reminders,
)
from scheduler.registration import OWNER_PREFIX, RepeatingTask, owned_tasks, sync_repeating_tasks

pytestmark = pytest.mark.django_db

REPEATING = {"contacts.cleanup_old_imports": Task.DAILY, "scheduler.prune_task_log": Task.DAILY}
REPEATING["contacts.send_invite_reminders"] = Task.HOURLY


def register(**options):
    out = io.StringIO()
    call_command("background_task_scheduler", register_only=True, stdout=out, **options)
    return out.getvalue()


def repeating_rows():
    return sorted(owned_tasks().values_list("task_name", "repeat"))


def test_registering_twice_leaves_one_row_per_repeating_task():
    first = register()
    schedule = dict(owned_tasks().values_list("task_name", "run_at"))
    second = register()
    assert repeating_rows() == sorted(REPEATING.items())
    assert dict(owned_tasks().values_list("task_name", "run_at")) == schedule  # next runs kept
    assert first.count("created") == 3 and second.count("kept") == 3
    assert "3 repeating task(s) registered." in second


def test_registration_removes_duplicates_and_unregistered_rows_it_owns_only():
    register()
    send_invite_reminders(repeat=Task.HOURLY, verbose_name=f"{OWNER_PREFIX}hourly: contacts.send_invite_reminders")
    prune_task_log(repeat=Task.DAILY, verbose_name=f"{OWNER_PREFIX}old name")  # a stale owned row
    send_invite_reminders(repeat=Task.HOURLY)  # someone else's repeating task: not ours to touch
    report = dict(sync_repeating_tasks(repeating_tasks()[:2]))  # the reminders were unregistered
    assert "removed 2" in report["contacts.send_invite_reminders"]
    assert "removed 1 duplicate" in report["scheduler.prune_task_log"]
    assert repeating_rows() == sorted((k, v) for k, v in REPEATING.items() if v == Task.DAILY)
    assert Task.objects.filter(task_name="contacts.send_invite_reminders", verbose_name=None).count() == 1


def test_registration_updates_a_changed_interval():
    register()
    sync_repeating_tasks([RepeatingTask(send_invite_reminders, Task.DAILY)])
    assert repeating_rows() == [("contacts.send_invite_reminders", Task.DAILY)]


def test_restarting_the_scheduler_keeps_the_schedule_and_a_running_row(run_tasks):
    register()
    run_tasks()  # each ran once: the library queued its next run a day (an hour) from now
    schedule = dict(owned_tasks().values_list("task_name", "run_at"))
    running = owned_tasks().get(task_name="scheduler.prune_task_log")
    Task.objects.filter(pk=running.pk).update(locked_by=str(os.getpid()), locked_at=timezone.now())
    register()  # a deploy restarts the scheduler while a worker runs the prune
    # Re-creating the rows would run every daily job at each deploy...
    for name, run_at in schedule.items():
        assert owned_tasks().filter(task_name=name, run_at=run_at).exists(), f"{name}'s next run was reset"
    # ...and a worker finishing a deleted row queues its next run beside the new row: two rows.
    assert Task.objects.filter(pk=running.pk).exists(), "the row a worker is running was deleted"


@pytest.mark.django_db(transaction=True)  # the worker loop closes idle connections
def test_background_task_scheduler_registers_then_runs_the_worker_for_a_duration(alice):
    UserContactsImport.objects.create(user=alice, rows=[{"email": "a@example.com"}], total=1)
    run_import_task(UserContactsImport.objects.get().pk)
    out = io.StringIO()
    call_command("background_task_scheduler", duration=1, sleep=0.05, stdout=out)
    assert "Running process_tasks for 1 s" in out.getvalue()
    assert UserContactsImport.objects.get().status == "done"
    succeeded = set(CompletedTask.objects.succeeded().values_list("task_name", flat=True))
    assert succeeded == set(REPEATING) | {"contacts.import_contacts"}
    # Each repeating task ran once and queued its next run: still one row each.
    assert repeating_rows() == sorted(REPEATING.items())
    assert owned_tasks().get(task_name="contacts.send_invite_reminders").run_at > timezone.now() + timedelta(minutes=59)


def test_daily_cleanup_deletes_old_finished_imports_only(alice, run_tasks):
    old = timezone.now() - timedelta(days=31)
    for status in ("done", "failed", "running"):
        UserContactsImport.objects.create(user=alice, status=status)
    UserContactsImport.objects.update(created_at=old)
    recent = UserContactsImport.objects.create(user=alice, status="done")
    cleanup_old_imports()
    run_tasks()
    assert set(UserContactsImport.objects.values_list("pk", "status")) == {
        (recent.pk, "done"),
        (UserContactsImport.objects.get(status="running").pk, "running"),
    }


def test_daily_prune_expires_the_completed_task_log(run_tasks):
    prune_task_log()
    run_tasks()  # the prune itself is now in the log
    CompletedTask.objects.create(
        task_name="x", task_params="[[], {}]", task_hash="h", run_at=timezone.now() - timedelta(days=15)
    )
    prune_task_log()
    run_tasks()
    assert list(CompletedTask.objects.values_list("task_name", flat=True)) == ["scheduler.prune_task_log"] * 2


def test_hourly_reminder_pass(alice, run_tasks):
    now = timezone.now()
    due = UserContact.objects.create(
        user=alice, source="phone", email="due@example.com", state=State.INVITE_SENT, invited_at=now - timedelta(days=8)
    )
    fresh = UserContact.objects.create(
        user=alice, source="phone", email="new@example.com", state=State.INVITE_SENT, invited_at=now - timedelta(days=1)
    )
    send_invite_reminders()
    run_tasks()
    due.refresh_from_db()
    fresh.refresh_from_db()
    assert (due.state, fresh.state) == (State.INVITE_REMINDER_SENT, State.INVITE_SENT)
    assert due.invited_at > now


def test_failures_are_retried_with_backoff_then_logged_with_their_error(alice, run_tasks, settings, make_import):
    settings.MAX_ATTEMPTS = 2
    record = make_import(alice, [{"email": "a@example.com"}])
    run_import_task(record.pk)
    UserContactsImport.objects.filter(pk=record.pk).delete()  # the task will fail: no such import
    UserContactsImport.objects.create(pk=record.pk + 1000, user=alice)  # unrelated, untouched

    before = timezone.now()
    assert run_tasks() == 1
    task = Task.objects.get(task_name="contacts.import_contacts")
    assert task.attempts == 1 and task.locked_by is None and "DoesNotExist" in task.last_error
    # The library's backoff: attempts ** BACKOFF_MULTIPLIER + 5 seconds = 6 s.
    assert before + timedelta(seconds=5) < task.run_at < timezone.now() + timedelta(seconds=7)
    assert run_tasks() == 0  # not due yet

    Task.objects.filter(pk=task.pk).update(run_at=timezone.now())  # time passes
    run_tasks()
    failed = CompletedTask.objects.failed().get()
    assert failed.attempts == 2 and failed.failed_at is not None
    assert "UserContactsImport.DoesNotExist" in failed.last_error
    assert not Task.objects.filter(task_name="contacts.import_contacts").exists()


def test_an_import_that_uses_up_its_attempts_is_marked_failed(alice, run_tasks, settings, make_import, monkeypatch):
    settings.MAX_ATTEMPTS = 1
    record = make_import(alice, [{"email": "a@example.com"}])
    run_import_task(record.pk)

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("contacts.importer.write_batch", broken)
    run_tasks()
    record.refresh_from_db()
    assert record.status == "failed" and record.processed == 0
    assert "database went away" in CompletedTask.objects.failed().get().last_error
    # Other tasks' failures do not touch imports.
    cleanup_old_imports()
    monkeypatch.setattr("contacts.importer.UserContactsImport", None)
    run_tasks()
    assert CompletedTask.objects.failed().count() == 2
