"""Each pitfall twice: the trap (what goes wrong) and the fix (what this demo does)."""

import json
from datetime import timedelta

import pytest
from background_task.models import CompletedTask, Task
from background_task.tasks import TaskSchedule
from django.conf import settings
from django.utils import timezone

from contacts.importer import run_import
from contacts.models import UserContact, UserContactsImport
from contacts.pitfalls import import_one_row_at_a_time
from contacts.services import import_contacts
from scheduler.engines.background_task import (
    noop,
    prune_task_log,
    repeating_tasks,
    run_import_task,
    send_invite_reminders,
)
from scheduler.pitfalls import import_with_the_rows_as_task_params, scheduler_that_deletes_every_task_on_start
from scheduler.registration import owned_tasks, sync_repeating_tasks
from tests import misplaced_tasks
from tests.helpers import wait_until

pytestmark = pytest.mark.django_db


def rows(count, start=0):
    return [
        {"name": f"P {n:05d}", "phone": f"+44770{n:07d}", "email": f"p{n}@example.com"} for n in range(start, count)
    ]


def worker_args(duration=20):
    return ("--sleep", "0.1", "--duration", str(duration))


# --- 1. a @background task outside <app>/tasks.py is never run by the worker ------------------


@pytest.mark.django_db(transaction=True)
def test_pitfall_1_task_outside_tasks_py_trap(worker, tmp_path):
    marker = tmp_path / "marker"
    misplaced_tasks.write_marker(str(marker))  # queued fine: this process imported the module
    prune_task_log()  # a correctly placed task, queued after it
    process = worker(*worker_args())
    # The worker is alive and working: it ran the later, correctly placed task...
    wait_until(lambda: CompletedTask.objects.exists(), message="the worker to run prune_task_log")
    process.kill()
    # ...but skipped the misplaced one: no run, no attempt, no error, no log entry.
    task = Task.objects.get(task_name="tests.misplaced_tasks.write_marker")
    assert (task.attempts, task.locked_by, task.last_error) == (0, None, "")
    assert not marker.exists()
    assert list(CompletedTask.objects.values_list("task_name", flat=True)) == ["scheduler.prune_task_log"]


@pytest.mark.django_db(transaction=True)
def test_pitfall_1_task_outside_tasks_py_fix(worker, alice):
    # The import task, reached from scheduler/tasks.py, is found by the worker's autodiscover().
    record = import_contacts(user=alice, rows=rows(30))  # queued as the API queues it
    noop()  # a task queued after it: once it ran, the worker has had its turn at the import
    # --skip-checks: the system checks import the URLconf, its views and what they import, so
    # a task module reached only from a view is found by accident; without the checks (or
    # once a view stops importing it) the worker would not know the task.
    process = worker("--skip-checks", *worker_args())
    wait_until(lambda: CompletedTask.objects.filter(task_name="scheduler.noop").exists(), message="the worker")
    process.kill()
    record.refresh_from_db()
    assert (record.status, record.created) == ("done", 30), "the worker skipped the import: it knows no such task"
    ran = CompletedTask.objects.filter(task_name="contacts.import_contacts").exists()
    assert ran, "the import is done, but not by the worker: the queueing code ran it"


# --- 2. drf_signal_simplejwt's scheduler deletes every task on start ------------------------


def test_pitfall_2_scheduler_deletes_all_tasks_trap(alice, make_import, run_tasks):
    record = make_import(alice, rows(5))
    run_import_task(record.pk)  # a user's import, queued
    scheduler_that_deletes_every_task_on_start()  # a deploy restarts the scheduler
    run_tasks()
    record.refresh_from_db()
    assert record.status == "pending" and not UserContact.objects.exists()  # lost for good
    assert not CompletedTask.objects.filter(task_name="contacts.import_contacts").exists()


def test_pitfall_2_scheduler_deletes_all_tasks_fix(alice, make_import, run_tasks):
    from django.core.management import call_command

    record = make_import(alice, rows(5))
    run_import_task(record.pk)
    call_command("background_task_scheduler", register_only=True, stdout=None)
    run_tasks()
    record.refresh_from_db()
    assert (record.status, UserContact.objects.count()) == ("done", 5)


# --- 3. registering repeating tasks on every start duplicates them ----------------------------


def test_pitfall_3_duplicate_repeating_tasks_trap(run_tasks):
    for _start in range(2):  # two deploys, each "registering" the reminders
        send_invite_reminders(repeat=Task.HOURLY)
    assert Task.objects.filter(task_name="contacts.send_invite_reminders").count() == 2
    run_tasks()  # ...and the job now runs twice every hour
    assert CompletedTask.objects.filter(task_name="contacts.send_invite_reminders").count() == 2
    # The library's CHECK_EXISTING only looks at *unlocked* rows: while the task runs
    # (locked by a worker), registering again adds a second row anyway.
    Task.objects.filter(task_name="contacts.send_invite_reminders").delete()
    send_invite_reminders(repeat=Task.HOURLY)
    Task.objects.update(locked_by="4242", locked_at=timezone.now())
    send_invite_reminders(repeat=Task.HOURLY, schedule={"action": TaskSchedule.CHECK_EXISTING})
    assert Task.objects.filter(task_name="contacts.send_invite_reminders").count() == 2


def test_pitfall_3_duplicate_repeating_tasks_fix(run_tasks):
    sync_repeating_tasks(repeating_tasks())
    sync_repeating_tasks(repeating_tasks())
    assert owned_tasks().count() == 3
    owned_tasks().update(locked_by="4242", locked_at=timezone.now())  # all three running right now
    sync_repeating_tasks(repeating_tasks())
    assert owned_tasks().count() == 3  # the running rows count as registered
    owned_tasks().update(locked_by=None, locked_at=None, run_at=timezone.now())
    run_tasks()
    assert CompletedTask.objects.count() == 3 and owned_tasks().count() == 3  # one run, one next run each


# --- 4. one query per row -------------------------------------------------------------------


def test_pitfall_4_row_by_row_writes_trap(alice, count_queries):
    with count_queries() as ten:
        import_one_row_at_a_time(alice, rows(10))
    with count_queries() as hundred:
        import_one_row_at_a_time(alice, rows(110, start=10))
    assert len(ten.matching("INSERT INTO")) == 10 and len(hundred.matching("INSERT INTO")) == 100
    assert hundred.count >= 10 * ten.count * 0.9  # 10x the rows, ~10x the queries


def test_pitfall_4_row_by_row_writes_fix(alice, make_import, count_queries):
    from contacts.importer import run_import

    def queries_for(count, start):
        record = make_import(alice, rows(start + count, start=start))
        with count_queries() as queries:
            run_import(record.pk, batch_size=50)
        return queries

    one_small, one_full = queries_for(10, 0), queries_for(50, 1000)
    two, three = queries_for(100, 2000), queries_for(150, 3000)
    assert one_small.count == one_full.count  # 5x the rows, same queries: one batch
    per_batch = two.count - one_full.count
    assert three.count - two.count == per_batch  # each batch adds the same fixed number
    assert per_batch < 12
    assert [len(q.matching("INSERT")) for q in (one_full, two, three)] == [1, 2, 3]
    assert UserContact.objects.count() == 310


# --- 5. errors swallowed in the task body ---------------------------------------------------


def test_pitfall_5_swallowed_errors_trap(alice, run_tasks, capsys):
    broken = [{"name": "No phone key"}, {"name": "Also broken"}]
    import_with_the_rows_as_task_params(alice.pk, broken)
    run_tasks()
    done = CompletedTask.objects.get()
    # Every row failed, yet the log says "succeeded": no error, no retry, nothing to see.
    assert (done.failed_at, done.last_error, done.attempts) == (None, "", 1)
    assert not UserContact.objects.exists()
    assert "'phone'" in capsys.readouterr().out  # the only trace: a print in the worker's output


def test_pitfall_5_swallowed_errors_fix(alice, run_tasks, make_import, monkeypatch):
    record = make_import(alice, rows(3))
    run_import_task(record.pk)

    def database_down(*args, **kwargs):
        raise ConnectionError("database is down")

    monkeypatch.setattr("contacts.importer.write_batch", database_down)
    run_tasks()
    task = Task.objects.get(task_name="contacts.import_contacts")
    assert task.attempts == 1 and "ConnectionError: database is down" in task.last_error
    assert task.run_at > timezone.now()  # retried later, with backoff
    monkeypatch.undo()
    Task.objects.update(run_at=timezone.now())
    run_tasks()
    record.refresh_from_db()
    assert (record.status, record.created) == ("done", 3)
    assert CompletedTask.objects.get().attempts == 2  # the log shows it needed a retry


# --- 6. a killed worker leaves its task locked ----------------------------------------------


def half_done_import(user, make_import):
    """An import whose worker was killed after 2 of 4 batches: 2 committed, then nothing."""
    from contacts.importer import write_batch

    data = rows(200)
    record = make_import(user, data)
    result = write_batch(user.pk, "phone", data[:100])
    UserContactsImport.objects.filter(pk=record.pk).update(status="running", processed=100, created=result.created)
    task = run_import_task(record.pk)
    Task.objects.filter(pk=task.pk).update(locked_by="99999999", locked_at=timezone.now())  # a dead PID
    return record


def test_pitfall_6_killed_worker_stale_lock_trap(alice, make_import, run_tasks):
    record = half_done_import(alice, make_import)
    assert run_tasks() == 0  # the lock of the dead worker hides the task from every worker
    record.refresh_from_db()
    assert (record.status, record.processed) == ("running", 100)
    assert Task.objects.get().locked_by_pid_running() is False  # its owner is gone


def test_pitfall_6_killed_worker_stale_lock_fix(alice, make_import, run_tasks):
    record = half_done_import(alice, make_import)
    expired = timezone.now() - timedelta(seconds=settings.MAX_RUN_TIME + 1)
    Task.objects.update(locked_at=expired)  # MAX_RUN_TIME later, the lock has expired
    assert run_tasks() == 1
    record.refresh_from_db()
    # Resumed at row 101: every row imported once, counters exact.
    assert (record.status, record.processed, record.created, record.duplicates) == ("done", 200, 200, 0)
    assert UserContact.objects.count() == 200


def test_import_resumes_after_a_crash_inside_a_batch(alice, make_import, monkeypatch):
    from contacts import importer

    record = make_import(alice, rows(250))
    real_write_batch, calls = importer.write_batch, []

    def crash_in_third_batch(*args, **kwargs):
        calls.append(1)
        result = real_write_batch(*args, **kwargs)  # the rows are written...
        if len(calls) == 3:
            raise SystemExit("killed")  # ...and the process dies before the commit
        return result

    monkeypatch.setattr(importer, "write_batch", crash_in_third_batch)
    with pytest.raises(SystemExit):
        importer.run_import(record.pk, batch_size=100)
    record.refresh_from_db()
    assert (record.processed, record.created, UserContact.objects.count()) == (200, 200, 200)
    monkeypatch.undo()
    record = importer.run_import(record.pk, batch_size=100)
    assert (record.processed, record.created, record.duplicates, UserContact.objects.count()) == (250, 250, 0, 250)


# --- 7. the rows passed as task arguments --------------------------------------------------


def test_pitfall_7_rows_as_task_params_trap(alice, run_tasks):
    contacts = [{"name": f"P{n}", "phone": f"+44770{n:07d}"} for n in range(500)]
    import_with_the_rows_as_task_params(alice.pk, contacts)  # the django-base project passed the whole list
    task = Task.objects.get()
    assert len(task.task_params) > 15_000 and "+447700000499" in task.task_params
    run_tasks()
    # ...and the finished-task log keeps a copy of everyone's phone number.
    assert "+447700000499" in CompletedTask.objects.get().task_params


def test_pitfall_7_rows_as_task_params_fix(alice_client, run_tasks, committed):
    contacts = [{"name": f"P{n}", "phone": f"+44770{n:07d}"} for n in range(500)]
    with committed():
        import_id = alice_client.put("/api/contacts/import/", contacts).json()["import_id"]
    assert json.loads(Task.objects.get().task_params) == [[import_id], {}]
    run_tasks()
    assert CompletedTask.objects.get().task_params == f"[[{import_id}], {{}}]"
    assert UserContactsImport.objects.get().rows == []  # and the payload is dropped once imported


# --- 10. linking contacts on an address nobody proved ----------------------------------------


def code_in(mail):
    return mail.body.split('"code": "')[1].split('"')[0]


@pytest.fixture
def bobs_contact(alice):
    return UserContact.objects.create(user=alice, source="phone", first_name="Bob", email="bob@example.com")


def test_pitfall_10_linking_an_unverified_address_trap(alice, user_factory, bobs_contact):
    from contacts.invites import invite_contacts
    from contacts.pitfalls import link_on_any_address

    mallory = user_factory(username="mallory", email="bob@example.com")  # typed, never proved
    link_on_any_address(mallory)
    bobs_contact.refresh_from_db()
    # The harm: Alice's list shows Mallory's account as Bob, and Bob is never invited.
    assert (bobs_contact.state, bobs_contact.contact) == ("already_member", mallory)
    assert invite_contacts(alice, invite_all=True) == {"invited": 0, "reminded": 0, "unchanged": 1}


def test_pitfall_10_linking_an_unverified_address_fix(api_client, alice, bobs_contact, mailoutbox, run_tasks, password):
    from contacts.invites import invite_contacts

    body = {"username": "mallory", "password": password, "email": "bob@example.com"}
    assert api_client.post("/api/auth/signup/", body).status_code == 201
    bobs_contact.refresh_from_db()
    assert (bobs_contact.state, bobs_contact.contact) == ("invite_pending", None)
    assert [mail.to for mail in mailoutbox] == [["bob@example.com"]]  # the code went to Bob, not Mallory
    # An import does not link an unproven address either.
    record = UserContactsImport.objects.create(user=alice, rows=[{"email": "carl@example.com"}], total=1)
    api_client.post("/api/auth/signup/", {"username": "carl", "password": password, "email": "carl@example.com"})
    run_import(record.pk)
    assert set(UserContact.objects.values_list("state", flat=True)) == {"invite_pending"}
    assert invite_contacts(alice, invite_all=True)["invited"] == 2  # Bob and Carl: both still invited
    # The mail names the account, so Bob knows it is not his and ignores it.
    assert "'mallory'" in mailoutbox[0].body and "ignore this mail" in mailoutbox[0].body


def test_signup_never_says_whether_an_address_is_taken(api_client, user_factory, mailoutbox, password):
    user_factory(username="owner", email="owner@example.com", email_verified=True)
    taken = api_client.post("/api/auth/signup/", {"username": "x1", "password": password, "email": "Owner@example.com"})
    fresh = api_client.post("/api/auth/signup/", {"username": "x2", "password": password, "email": "new@example.com"})
    assert (taken.status_code, fresh.status_code) == (201, 201)
    assert taken.json().keys() == fresh.json().keys() and taken.json()["email_verified"] is False
    warning, code = mailoutbox
    assert warning.to == ["owner@example.com"] and '"code"' not in warning.body  # the owner is told, not coded
    assert code.to == ["new@example.com"] and '"code"' in code.body


def test_a_verification_code_is_refused_when_forged_stale_or_for_another_address(api_client, mailoutbox, password):
    for n in (1, 2):  # two sign-ups, one mailbox
        body = {"username": f"twin{n}", "password": password, "email": "twin@example.com"}
        assert api_client.post("/api/auth/signup/", body).status_code == 201
    first, second = (code_in(mail) for mail in mailoutbox)
    assert api_client.post("/api/auth/verify-email/", {"code": first}).status_code == 200
    refused = api_client.post("/api/auth/verify-email/", {"code": second})
    assert refused.json() == {"code": ["Another account has verified this address."]}
    forged = api_client.post("/api/auth/verify-email/", {"code": first[:-2] + "xx"})
    assert forged.status_code == 400 and "invalid or has expired" in forged.json()["code"][0]
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(username="twin1").update(email="changed@example.com")
    moved = api_client.post("/api/auth/verify-email/", {"code": first})
    assert moved.json() == {"code": ["This code was sent to an address the account no longer has."]}


def test_signup_is_throttled_per_client_address(api_client, throttle_rates, password):
    throttle_rates(signup="2/hour")
    answers = [api_client.post("/api/auth/signup/", {"username": f"s{n}", "password": password}) for n in range(3)]
    assert [answer.status_code for answer in answers] == [201, 201, 429]
    other = api_client.post("/api/auth/signup/", {"username": "s9", "password": password}, REMOTE_ADDR="192.0.2.9")
    assert other.status_code == 201
