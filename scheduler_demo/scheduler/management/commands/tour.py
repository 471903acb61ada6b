"""``python manage.py tour [--engine E]``: the scheduler demo, step by step, with a real worker process.

``--engine`` (default: settings.TASKS_ENGINE, i.e. background_task) runs the same
walkthrough on django4-background-tasks, Django's Tasks framework (django-tasks-db) or
Celery with Redis; the tour starts that engine's worker and stops it at the end.
"""

import csv
import io
import logging
import secrets
import signal
import tempfile
import textwrap
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from background_task.models import CompletedTask, Task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count
from django.test.utils import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from rest_framework.test import APIClient

from contacts import celery_tasks, dj_tasks
from contacts.models import State, UserContact, UserContactsImport
from contacts.tasks import import_contacts
from scheduler.registration import owned_tasks
from scheduler.worker import WORKER_COMMANDS, delete_celery_keys, start_engine_worker, start_worker, stop_worker

PASSWORD = "correct horse battery staple"  # never printed
UNIQUE, DUPLICATES, INVALID = 2900, 60, 40
MEMBER_EMAIL = "zoe.member@example.com"
TOUR_USER, TOUR_MEMBER, TOUR_SAMPLES = "tour-alice", "tour-zoe", "tour-sam"  # the tour's own, reset per run
TOUR_KILLED = "tour-kim"  # the import whose worker is killed
KILL_ROWS, KILL_DUPLICATES, KILL_INVALID, KILL_BATCH = 1000, 20, 10, 10
# For the SIGKILL step only: a lock that expires after 2 s (not 600), so the second
# worker takes the dead worker's task over within seconds.
KILL_LOCK_SECONDS = 2
KILL_ENV = {"SCHEDULER_MAX_RUN_TIME": str(KILL_LOCK_SECONDS), "CONTACTS_IMPORT_BATCH_SIZE": str(KILL_BATCH)}
SAMPLES = Path(settings.BASE_DIR) / "contacts" / "samples"


class Command(BaseCommand):
    help = "Walk through repeating tasks, a 3,000-row contacts import run by a real worker, invites and sign-up."

    def add_arguments(self, parser):
        parser.add_argument(
            "--engine",
            choices=settings.TASKS_ENGINES,
            default=settings.TASKS_ENGINE,
            help="the task engine to run the walkthrough on (default: TASKS_ENGINE, background_task)",
        )

    def handle(self, *args, engine, **options):
        call_command("migrate", verbosity=0)
        self.number = 0
        # Its own client address (IPv6 documentation range), new per run: the throttles
        # count sign-ups and logins per address in the database, across runs and processes.
        self.address = f"2001:db8::{secrets.token_hex(2)}:{secrets.token_hex(2)}"
        self.reset_previous_run()
        if engine == "celery":
            self.check_redis()
        # The API enqueues on settings.TASKS_ENGINE: the chosen engine, for this tour.
        with override_settings(TASKS_ENGINE=engine):
            if engine == "background_task":
                self.step_register()
            else:
                self.step_engine(engine)
            client = self.step_signup()
            self.run_with_worker(engine, client)
            self.step_list(client)
            self.step_invite(client)
            self.step_member_signup()
            if engine == "background_task":
                self.survive_sigkill()
        self.stdout.write(self.style.SUCCESS(f"\nTour complete on {engine}: every step did what it said."))

    def run_with_worker(self, engine, client):
        with tempfile.NamedTemporaryFile("w+", prefix="worker-", suffix=".log") as log:
            if engine == "background_task":
                self.step("Start a worker: `manage.py process_tasks --sleep 0.2` in a child process")
                worker = start_worker(
                    "--sleep", "0.2", "--duration", "120", output=log, env={"CONTACTS_IMPORT_BATCH_SIZE": "250"}
                )
                self.say(f"worker pid {worker.pid}; it picks up every task whose module is <app>/tasks.py")
            else:
                command = " ".join(WORKER_COMMANDS[engine]).replace("-m celery", "celery")
                self.step(f"Start a worker: `{command}` in a child process")
                worker = start_engine_worker(engine, output=log, env={"CONTACTS_IMPORT_BATCH_SIZE": "250"})
                self.say(f"worker pid {worker.pid}")
            try:
                import_id = self.step_import(client)
                {
                    "background_task": self.step_failing_task,
                    "django_tasks": self.step_failing_task_django_tasks,
                    "celery": self.step_failing_task_celery,
                }[engine]()
                self.step_samples()
                if engine == "background_task":
                    self.step_task_log(import_id)
            except CommandError:
                log.seek(0)
                self.stderr.write("worker log:\n" + log.read()[-3000:])
                raise
            finally:
                how = {"background_task": "SIGTSTP", "django_tasks": "SIGTERM", "celery": "SIGTERM: a warm shutdown"}
                self.step(f"Stop the worker gracefully ({how[engine]}: it finishes its task, then exits)")
                self.say(f"worker exited with code {stop_worker(worker, engine=engine)}")
                if engine == "celery":
                    self.say(f"deleted this tour's {delete_celery_keys()} Redis keys (queue and results)")

    def reset_previous_run(self):
        """The tour's own rows from an earlier run go first, so it runs again on the same database."""
        users = get_user_model().objects.filter(username__in=[TOUR_USER, TOUR_MEMBER, TOUR_SAMPLES, TOUR_KILLED])
        Task.objects.filter(verbose_name__contains="#999999").delete()  # the failing task's retries
        if users.exists():
            users.delete()  # with their contacts and imports (on_delete=CASCADE)
            self.stdout.write(
                f"(deleted {TOUR_USER}, {TOUR_MEMBER}, {TOUR_SAMPLES} and {TOUR_KILLED} of an earlier tour,"
                " with their rows)"
            )

    def client(self):
        return APIClient(REMOTE_ADDR=self.address)

    # --- output helpers --------------------------------------------------------------
    def step(self, title):
        self.number += 1
        self.stdout.write(self.style.MIGRATE_HEADING(f"\n{self.number}. {title}"))

    def say(self, text):
        for line in textwrap.wrap(text, width=92, subsequent_indent="  ") or [""]:
            self.stdout.write(f"   {line}")

    @staticmethod
    def expect(condition, message):
        if not condition:
            raise CommandError(message)

    def check_redis(self):
        import redis

        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
        except redis.RedisError as error:
            raise CommandError(f"Celery needs a Redis server at REDIS_URL={settings.REDIS_URL}: {error}") from None

    # --- the steps ---------------------------------------------------------------------
    def step_engine(self, engine):
        self.step(f"The engine: TASKS_ENGINE = {engine!r}, the task body is still run_import(import_id)")
        if engine == "django_tasks":
            self.say("contacts/dj_tasks.py: @task def import_contacts(import_id): run_import(import_id)")
            self.say("Django ships only ImmediateBackend and DummyBackend: no worker, no retries;")
            self.say("TASKS uses django-tasks-db's DatabaseBackend (table django_tasks_db_dbtaskresult).")
        else:
            self.say("contacts/celery_tasks.py: @shared_task(autoretry_for=..., retry_backoff=True)")
            self.say(f"broker and results: Redis at {settings.REDIS_URL}, JSON only (never pickle)")
        self.say("The API queues it with transaction.on_commit: never for a rolled-back import.")

    def step_failing_task_django_tasks(self):
        self.step("A failing task: import #999999 does not exist")
        result = dj_tasks.import_contacts.enqueue(999999)
        deadline = time.monotonic() + 30
        while (result := dj_tasks.import_contacts.get_result(result.id)).status not in ("SUCCESSFUL", "FAILED"):
            self.expect(time.monotonic() < deadline, "the worker did not run the failing task")
            time.sleep(0.1)
        self.expect(result.status == "FAILED", f"expected FAILED, got {result.status}")
        error = result.errors[-1].traceback.strip().splitlines()[-1]
        self.say(f"status {result.status} after {len(result.worker_ids)} attempt: {error}")
        self.say("no retry: django-tasks-db records the failure and the traceback, once")
        self.expect(len(result.worker_ids) == 1, "django-tasks-db runs a task once")
        self.say("the task log, table django_tasks_db_dbtaskresult:")
        for row in DBTaskResult.objects.order_by("enqueued_at"):
            self.say(f"  {row.task_path}{tuple(row.args_kwargs['args'])} {row.status} attempts={len(row.worker_ids)}")

    def step_failing_task_celery(self):
        self.step("A failing task: import #999999 does not exist")
        result = celery_tasks.import_contacts.delay(999999)
        deadline = time.monotonic() + 30
        while result.state not in ("RETRY", "FAILURE"):
            self.expect(time.monotonic() < deadline, "the worker did not try the failing task")
            time.sleep(0.1)
        self.say(f"state {result.state}: {str(result.info).strip()}")
        self.say(f"retried with backoff (1 s, 2 s, 4 s, ... with jitter), {settings.MAX_ATTEMPTS} tries in total,")
        self.say("then FAILURE with the traceback in the result backend (Redis), and the import marked failed")
        self.expect(result.state == "RETRY", f"expected a retry, got {result.state}")

    def step_register(self):
        self.step("Register the repeating tasks: `manage.py dj_tasks_scheduler --register-only`, twice")
        for attempt in ("first run", "second run"):
            out = io.StringIO()
            call_command("dj_tasks_scheduler", register_only=True, stdout=out)
            self.say(f"{attempt}:")
            for line in out.getvalue().splitlines():
                self.say(f"  {line.strip()}")
            rows = list(owned_tasks().values_list("task_name", flat=True))
            self.expect(len(rows) == 3 == len(set(rows)), f"expected one row per repeating task, got {rows}")
        self.say("-> still 3 rows in table background_task: registering is idempotent")

    def step_signup(self):
        self.step(f"Sign up {TOUR_USER} (POST /api/auth/signup/), get a token (POST /api/auth/token/)")
        client, token = self.signed_in_client(TOUR_USER)
        self.say(f"201 Created, then token {token[:4]}… (only its first 4 characters are ever shown)")
        return client

    def signed_in_client(self, username):
        client = self.client()
        response = client.post("/api/auth/signup/", {"username": username, "password": PASSWORD}, format="json")
        self.expect(response.status_code == 201, f"signup failed: {response.status_code} {response.content!r}")
        response = client.post("/api/auth/token/", {"username": username, "password": PASSWORD}, format="json")
        self.expect(response.status_code == 200, "no token issued")
        token = response.json()["token"]
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        return client, token

    def wait_for_import(self, client, import_id, seen=lambda status: None):
        status, deadline = {}, time.monotonic() + 120
        while status.get("status") not in ("done", "failed"):
            self.expect(time.monotonic() < deadline, f"the import did not finish in time: {status}")
            time.sleep(0.05)
            status = client.get(f"/api/contacts/imports/{import_id}/").json()
            seen(status)
        return status

    def step_samples(self):
        self.step("Import what people export: each file of contacts/samples/ (PUT, multipart)")
        client, _ = self.signed_in_client(TOUR_SAMPLES)
        for path in sorted(SAMPLES.iterdir()):
            upload = SimpleUploadedFile(path.name, path.read_bytes())
            response = client.put("/api/contacts/import/", {"file": upload}, format="multipart")
            self.expect(response.status_code == 202, f"{path.name}: {response.status_code} {response.content!r}")
            status = self.wait_for_import(client, response.json()["import_id"])
            counted = status["created"] + status["duplicates"] + status["invalid"]
            self.expect(counted == status["processed"] == status["total"], f"{path.name}: rows lost: {status}")
            lines = [error["line"] for error in status["errors"]]
            bad = f", {status['invalid']} invalid (line {', '.join(map(str, lines))})" if lines else ""
            self.say(f"{path.name:<19} {status['format']:<11} {status['encoding']}")
            self.say(f"{'':<19} {status['total']} contacts: {status['created']} created{bad}")
        body = b'name,phone\nAda,+44 20 7946 0000\n"Bob,+44 20 7946 0001\nCy,+44 20 7946 0002\n'
        with quiet("django.request"):  # Django logs every 400 ("Bad Request: ..."): not tour output
            response = client.put("/api/contacts/import/", body, content_type="text/csv")
        self.expect(response.status_code == 400, "an unclosed quote must be refused")
        self.say(f"an unclosed quote -> {response.status_code} {response.json()}")

    def step_import(self, client):
        total = UNIQUE + DUPLICATES + INVALID
        self.step(f"Upload a CSV of {total} contacts (PUT /api/contacts/import/) and watch the worker import it")
        upload = SimpleUploadedFile("contacts.csv", contacts_csv().encode(), content_type="text/csv")
        response = client.put("/api/contacts/import/", {"file": upload}, format="multipart")
        self.expect(response.status_code == 202, f"expected 202, got {response.status_code} {response.content!r}")
        import_id = response.json()["import_id"]
        self.say(f"202 Accepted {response.json()}: the request only stored the rows and queued a task")
        self.say(f"({UNIQUE} distinct contacts, {DUPLICATES} duplicates of them, {INVALID} bad rows; batches of 250)")
        last, notes = None, []

        def draw(status):
            nonlocal last
            if (status["processed"], status["status"]) != last:
                last = status["processed"], status["status"]
                filled = 30 * status["processed"] // total
                self.say(f"[{'#' * filled}{'.' * (30 - filled)}] {status['processed']:>5}/{total} {status['status']}")
            if status["progress_note"] and not notes:
                notes.append(status["progress_note"])

        status = self.wait_for_import(client, import_id, seen=draw)
        if notes:  # (a fast worker may finish between two looks)
            self.say(f"while it ran, the status said: {notes[0]}")
        counts = {key: status[key] for key in ("status", "total", "processed", "created", "duplicates", "invalid")}
        self.say(f"GET /api/contacts/imports/{import_id}/ -> status={status['status']}, total={status['total']},")
        self.say(f"processed={status['processed']}, { ({key: counts[key] for key in list(counts)[3:]}) }")
        expected = {"status": "done", "total": total, "processed": total, "created": UNIQUE}
        expected |= {"duplicates": DUPLICATES, "invalid": INVALID}
        self.expect(counts == expected, f"expected {expected}")
        for error in status["errors"][:2]:
            self.say(f"reported bad row: {error}")
        recorded = client.get("/api/contacts/phone-import-recorded/").json()
        self.say(f"GET /api/contacts/phone-import-recorded/ -> {recorded}")
        self.expect(recorded == {"recorded": True}, "the phone import should be recorded")
        return import_id

    def step_failing_task(self):
        self.step("A failing task: import #999999 does not exist")
        import_contacts(999999, verbose_name="contacts import #999999 (missing)")
        deadline = time.monotonic() + 30
        # The library saves twice when it reschedules: first the attempt count, then the
        # new run_at with the lock released. Wait for the second save.
        failed_attempts = Task.objects.filter(verbose_name__contains="999999", attempts__gte=1, locked_by=None)
        while not (task := failed_attempts.first()):
            self.expect(time.monotonic() < deadline, "the worker did not try the failing task")
            time.sleep(0.1)
        wait = (task.run_at - timezone.now()).total_seconds()
        self.say(f"attempt {task.attempts} failed: {task.last_error.strip().splitlines()[-1]}")
        self.say(f"rescheduled with the library's backoff: next try in ~{wait:.0f} s (attempts**4 + 5 s)")
        self.say("after MAX_ATTEMPTS=5 tries it moves to background_task_completedtask with failed_at set")
        self.expect(task.last_error and task.locked_by is None, "a failed attempt must be unlocked and keep its error")

    def step_task_log(self, import_id):
        self.step("The task log: CompletedTask (table background_task_completedtask) and Task (background_task)")
        wanted = {"contacts.import_contacts", "contacts.cleanup_old_imports", "scheduler.prune_task_log"}
        # The worker logs a task just after its body returned (the import said "done" a
        # moment before): give a busy machine a few seconds.
        succeeded = CompletedTask.objects.succeeded().values_list("task_name", flat=True)
        deadline = time.monotonic() + 30
        while not (wanted <= set(succeeded) and owned_tasks().count() == 3) and time.monotonic() < deadline:
            time.sleep(0.1)
        runs = CompletedTask.objects.values("task_name").annotate(runs=Count("id"), failed=Count("failed_at"))
        for row in runs.order_by("task_name"):
            self.say(f"done   {row['task_name']:<40} {row['runs']} run(s), {row['failed']} failed")
        names = set(succeeded)
        self.expect(wanted <= names, f"expected {wanted} in the completed log, got {names}")
        for task in Task.objects.order_by("run_at"):
            self.say(f"queued {task.verbose_name or task.task_name:<52} next run {task.run_at:%Y-%m-%d %H:%M}")
        self.expect(owned_tasks().count() == 3, "each repeating task must have exactly its next run queued")

    def step_list(self, client):
        self.step("GET /api/contacts/: paginated by 20, ordered by first name")
        page = client.get("/api/contacts/").json()
        names = [f"{c['first_name']} {c['last_name']}" for c in page["results"][:3]]
        self.say(f"count={page['count']}, {len(page['results'])} on page 1, first: {names}, next={page['next']}")
        self.expect(page["count"] == UNIQUE and len(page["results"]) == 20, "expected 20 of all contacts")
        firsts = [c["first_name"] for c in page["results"]]
        self.expect(firsts == sorted(firsts), "page 1 must be ordered by first name")

    def step_invite(self, client):
        self.step("POST /api/contacts/invite/ {invite_all: true, deselected_ids: [first contact]}")
        contacts = UserContact.objects.filter(user__username=TOUR_USER)
        first = contacts.order_by("first_name", "last_name", "id").first()
        result = client.post("/api/contacts/invite/", {"invite_all": True, "deselected_ids": [first.pk]}).json()
        self.say(f"-> {result}: pending -> invite_sent, the deselected contact stays pending")
        self.expect(result == {"invited": UNIQUE - 1, "reminded": 0, "unchanged": 0}, f"unexpected {result}")
        first.refresh_from_db()
        self.expect(first.state == State.INVITE_PENDING, "the deselected contact must not be invited")

        self.step("Invite again 8 days later: invites older than 7 days get a reminder")
        old = contacts.filter(state=State.INVITE_SENT).order_by("pk")[:2]
        ids = [contact.pk for contact in old]
        contacts.filter(pk=ids[0]).update(invited_at=timezone.now() - timedelta(days=8))  # pretend time passed
        result = client.post("/api/contacts/invite/", {"selected_ids": ids}).json()
        self.say(f"selected_ids={ids} (one invited 8 days ago, one today) -> {result}")
        self.expect(result == {"invited": 0, "reminded": 1, "unchanged": 1}, f"unexpected {result}")

    def step_member_signup(self):
        self.step(f"{MEMBER_EMAIL} signs up, then proves the address with the code mailed to it")
        contact = UserContact.objects.get(user__username=TOUR_USER, email=MEMBER_EMAIL)
        self.say(f"before: {contact.first_name} {contact.last_name} state={contact.state}")
        client = self.client()
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            mail.outbox = []
            body = {"username": TOUR_MEMBER, "password": PASSWORD, "email": MEMBER_EMAIL}
            response = client.post("/api/auth/signup/", body, format="json")
            self.expect(response.status_code == 201, f"signup failed: {response.content!r}")
        contact.refresh_from_db()
        self.say(f"signed up: state={contact.state} (anyone can type an address: nothing linked yet)")
        self.expect(contact.state != State.ALREADY_MEMBER, "an unverified address must not link contacts")
        code = mail.outbox[0].body.split('"code": "')[1].split('"')[0]
        result = client.post("/api/auth/verify-email/", {"code": code}, format="json").json()
        contact.refresh_from_db()
        self.say(f"POST /api/auth/verify-email/ {{code}} -> linked_contacts={result.get('linked_contacts')}")
        self.say(f"after:  state={contact.state}, registered={contact.registered}, contact={contact.contact}")
        self.expect(contact.state == State.ALREADY_MEMBER and contact.registered, "the contact must be a member now")

    # --- an import that survives SIGKILL (background_task) -------------------------------
    def survive_sigkill(self):
        client, _ = self.signed_in_client(TOUR_KILLED)
        with tempfile.NamedTemporaryFile("w+", prefix="worker-", suffix=".log") as log:
            import_id = self.step_kill_mid_import(client, log)
            self.step_stalled_status(client, import_id)
            self.step_second_worker(client, import_id, log)

    def step_kill_mid_import(self, client, log):
        self.step(f"Kill a worker mid-import: SIGKILL, no cleanup runs ({KILL_ROWS} rows, batches of {KILL_BATCH})")
        self.say(f"the tour's workers run with SCHEDULER_MAX_RUN_TIME={KILL_LOCK_SECONDS} (a 2 s lock, not 600)")
        worker = start_worker("--sleep", "0.1", "--duration", "60", output=log, env=KILL_ENV)
        upload = SimpleUploadedFile("kim.csv", killed_import_csv().encode(), content_type="text/csv")
        response = client.put("/api/contacts/import/", {"file": upload}, format="multipart")
        self.expect(response.status_code == 202, f"expected 202, got {response.status_code} {response.content!r}")
        import_id = response.json()["import_id"]
        record, deadline = UserContactsImport.objects.only("processed"), time.monotonic() + 60
        while record.get(pk=import_id).processed < 5 * KILL_BATCH:
            self.expect(time.monotonic() < deadline and worker.poll() is None, "the worker committed no batch")
            time.sleep(0.005)
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        processed = record.get(pk=import_id).processed
        self.say(f"kill -9 {worker.pid} after {processed}/{KILL_ROWS} rows: exit code {worker.returncode}")
        self.expect(worker.returncode == -signal.SIGKILL and processed < KILL_ROWS, "the kill came too late")
        return import_id

    def step_stalled_status(self, client, import_id):
        self.step(f"GET /api/contacts/imports/{import_id}/: still running, and the status says why")
        with override_settings(MAX_RUN_TIME=KILL_LOCK_SECONDS):  # what the tour's workers use
            status = client.get(f"/api/contacts/imports/{import_id}/").json()
        committed = UserContact.objects.filter(user__username=TOUR_KILLED).count()
        self.say(f"status={status['status']}, processed={status['processed']}/{status['total']},")
        self.say(f"last_progress_at={status['last_progress_at']}")
        self.say(f"progress_note: {status['progress_note']}")
        self.say(f"the committed batches are whole: {committed} contacts = created {status['created']}")
        self.expect(status["status"] == "running" and status["progress_note"], f"not a stalled import: {status}")
        self.expect(committed == status["created"], "a half-written batch")

    def step_second_worker(self, client, import_id, log):
        self.step(f"Start a second worker: it takes the task once the lock expires ({KILL_LOCK_SECONDS} s)")
        worker = start_worker("--sleep", "0.1", "--duration", "60", output=log, env=KILL_ENV)
        self.say(f"worker pid {worker.pid}; it resumes at row `processed`, the rows before stay as they are")
        try:
            status = self.wait_for_import(client, import_id)
        finally:
            self.say(f"worker exited with code {stop_worker(worker)} (SIGTSTP)")
        contacts = UserContact.objects.filter(user__username=TOUR_KILLED)
        phones = contacts.filter(phone_number__isnull=False).values_list("phone_number", flat=True)
        counts = {key: status[key] for key in ("total", "processed", "created", "duplicates", "invalid")}
        self.say(f"{status['status']}: {counts}")
        self.say(f"{contacts.count()} contacts in the database, {len(set(phones))} distinct phones: each row once")
        unique = KILL_ROWS - KILL_DUPLICATES - KILL_INVALID
        expected = {"total": KILL_ROWS, "processed": KILL_ROWS, "created": unique}
        expected |= {"duplicates": KILL_DUPLICATES, "invalid": KILL_INVALID}
        self.expect(status["status"] == "done" and counts == expected, f"expected {expected}")
        self.expect(contacts.count() == len(phones) == len(set(phones)) == unique, "a contact lost or twice")


def killed_import_csv():
    """KILL_ROWS rows: distinct phones, then KILL_DUPLICATES repeating the first ones,
    then KILL_INVALID rows without a phone or an email."""
    unique = KILL_ROWS - KILL_DUPLICATES - KILL_INVALID
    rows = [f"Kim Row{n:04d},+4477009{n:05d}" for n in range(unique)]
    rows += [f"Again {n},+4477009{n:05d}" for n in range(KILL_DUPLICATES)]
    rows += [f"Bad {n}," for n in range(KILL_INVALID)]
    return "name,phone\n" + "\n".join(rows) + "\n"


def contacts_csv():
    """UNIQUE contacts, DUPLICATES repeating some of them, INVALID bad rows, shuffled
    deterministically, as CSV text."""
    first_names = ["Zoe", "Adam", "Maya", "Liam", "Noor", "Ivan", "Emma", "Omar", "Lena", "Kofi"]
    rows = []
    for n in range(UNIQUE):
        name = f"{first_names[n % 10]} Tester{n:04d}"
        if n == 0:
            rows.append({"name": "Zoe Member", "phone": "", "email": MEMBER_EMAIL})
        elif n % 2:
            rows.append({"name": name, "phone": f"+4915{n:08d}", "email": ""})
        else:
            rows.append({"name": name, "phone": "", "email": f"contact{n}@example.com"})
    for n in range(1, DUPLICATES + 1):  # the same phone again, now with an email: merged
        rows.append({"name": "", "phone": f"+49 15 {n * 2 - 1:08d}", "email": f"merged{n}@example.com"})
    for n in range(INVALID):  # half without phone or email, half with a malformed phone
        rows.append({"name": f"Bad {n}", "phone": "12-ab" if n % 2 else "", "email": ""})
    rows = [rows[(i * 7919) % len(rows)] for i in range(len(rows))]  # 7919 is prime: a permutation
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["name", "phone", "email"])
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


@contextmanager
def quiet(logger_name):
    logger = logging.getLogger(logger_name)
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)
