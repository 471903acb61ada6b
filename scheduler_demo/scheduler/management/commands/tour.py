"""``python manage.py tour [--engine E]``: the scheduler demo, step by step, with a real worker process.

``--engine`` (default: settings.TASKS_ENGINE, i.e. background_task) runs the same
walkthrough on django4-background-tasks, Django's Tasks framework (django-tasks-db) or
Celery with Redis; the tour starts that engine's worker and stops it at the end. The
steps branch on the engine only where the engines really differ (the failing task, the
task log, the SIGKILL story), in small helpers.
"""

import csv
import io
import secrets
import signal
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from background_task.models import CompletedTask, Task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count
from django.test.utils import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from rest_framework.test import APIClient

from config.plumbing.tour import Tour, locmem_email, mask
from contacts.models import State, UserContact, UserContactsImport
from scheduler.engines import celery, django_tasks
from scheduler.engines.background_task import run_import_task
from scheduler.registration import owned_tasks
from scheduler.worker import WORKER_COMMANDS, delete_celery_keys, start_engine_worker, start_worker, stop_worker

PASSWORD = "correct horse battery staple"  # never printed
UNIQUE, DUPLICATES, INVALID = 2900, 60, 40
MEMBER_EMAIL = "zoe.member@example.com"
TOUR_USER, TOUR_MEMBER, TOUR_SAMPLES = "tour-alice", "tour-zoe", "tour-sam"  # the tour's own, reset per run
TOUR_KILLED = "tour-kim"  # the import whose worker is killed
KILL_ROWS, KILL_DUPLICATES, KILL_INVALID, KILL_BATCH = 1000, 20, 10, 10
# For the SIGKILL steps only: a lock that expires after 2 s (not 600), so the second
# worker takes the dead worker's task over within seconds.
KILL_LOCK_SECONDS = 2
KILL_ENV = {"SCHEDULER_MAX_RUN_TIME": str(KILL_LOCK_SECONDS), "CONTACTS_IMPORT_BATCH_SIZE": str(KILL_BATCH)}
SAMPLES = Path(settings.BASE_DIR) / "contacts" / "samples"
GRACEFUL_STOP = {"background_task": "SIGTSTP", "django_tasks": "SIGTERM", "celery": "SIGTERM: a warm shutdown"}


def error_name(traceback):
    """The exception a saved traceback ends in, e.g. UserContactsImport.DoesNotExist: a
    one-line summary, never the traceback itself."""
    exception = traceback.strip().splitlines()[-1].split(":", 1)[0]
    return ".".join(exception.split(".")[-2:])


class Command(Tour):
    help = "Walk through repeating tasks, a 3,000-row contacts import run by a real worker, invites and sign-up."
    title = "scheduler_demo on {engine}: one import job, run by a real worker of that engine."

    def add_arguments(self, parser):
        parser.add_argument(
            "--engine",
            choices=settings.TASKS_ENGINES,
            default=settings.TASKS_ENGINE,
            help="the task engine to run the walkthrough on (default: TASKS_ENGINE, background_task)",
        )

    def handle(self, *args, engine, **options):
        call_command("migrate", verbosity=0)
        self.engine, self.worker = engine, None
        self.title = type(self).title.format(engine=engine)
        # Its own client address block (IPv6 documentation range), new per run: the throttles
        # count sign-ups and logins per address in the database, across runs and processes.
        self.address = f"2001:db8:{secrets.token_hex(2)}:{secrets.token_hex(2)}::1"  # a /64 of its own
        if engine == "celery":
            self.check_redis()
        # The API enqueues on settings.TASKS_ENGINE: the chosen engine, for this tour.
        with override_settings(TASKS_ENGINE=engine), tempfile.NamedTemporaryFile("w+", suffix=".log") as log:
            self.log = log
            try:
                super().handle(*args, **options)
            except CommandError:
                self.show_worker_log()
                raise
            finally:
                if self.worker is not None and self.worker.poll() is None:
                    stop_worker(self.worker, engine=engine)

    def steps(self):
        on_background_task = self.engine == "background_task"
        return [
            self.register_repeating_tasks if on_background_task else self.show_engine,
            self.sign_up,
            self.start_worker,
            self.import_csv,
            self.failing_task,
            self.import_samples,
            *([self.task_log] if on_background_task else []),
            self.stop_worker,
            self.list_contacts,
            self.invite,
            self.remind,
            self.member_signs_up,
            *([self.kill_mid_import, self.stalled_status, self.second_worker] if on_background_task else []),
        ]

    # --- set-up and small helpers ---------------------------------------------------------

    def reset_previous_run(self):
        """The tour's own rows from an earlier run go first, so it runs again on the same database."""
        users = get_user_model().objects.filter(username__in=[TOUR_USER, TOUR_MEMBER, TOUR_SAMPLES, TOUR_KILLED])
        Task.objects.filter(verbose_name__contains="#999999").delete()  # the failing task's retries
        if users.exists():
            users.delete()  # with their contacts and imports (on_delete=CASCADE)
            self.say(f"  (deleted {TOUR_USER}, {TOUR_MEMBER}, {TOUR_SAMPLES} and {TOUR_KILLED} of an earlier tour)")

    def show_worker_log(self):
        """A step failed: the end of the worker's output, to see why (shown only then)."""
        self.log.seek(0)
        self.say("The worker's last lines:", style="note")
        for line in self.log.read().splitlines()[-30:]:
            self.say(f"  {line}")

    def check_redis(self):
        import redis

        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
        except redis.RedisError as error:
            raise CommandError(f"Celery needs a Redis server at REDIS_URL={settings.REDIS_URL}: {error}") from None

    def client(self):
        return APIClient(REMOTE_ADDR=self.address)

    def signed_in_client(self, username):
        client = self.client()
        response = client.post("/api/auth/signup/", {"username": username, "password": PASSWORD}, format="json")
        self.expect(response.status_code == 201, f"signed up {username}: 201")
        response = client.post("/api/auth/token/", {"username": username, "password": PASSWORD}, format="json")
        self.expect(response.status_code == 200, "a token issued: 200")
        token = response.json()["token"]
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        return client, token

    def wait_until(self, condition, claim, timeout=30, interval=0.1):
        """Poll ``condition`` until it is truthy (and return it), or fail with ``claim``."""
        deadline = time.monotonic() + timeout
        while not (result := condition()):
            if time.monotonic() > deadline:
                self.expect(False, claim)
            time.sleep(interval)
        return result

    def wait_for_import(self, client, import_id, seen=lambda status: None):
        status, deadline = {}, time.monotonic() + 120
        while status.get("status") not in ("done", "failed"):
            if time.monotonic() > deadline:
                self.expect(False, f"the import finished in time ({status})")
            time.sleep(0.05)
            status = client.get(f"/api/contacts/imports/{import_id}/").json()
            seen(status)
        return status

    def upload(self, client, name, text):
        upload = SimpleUploadedFile(name, text.encode(), content_type="text/csv")
        response = client.put("/api/contacts/import/", {"file": upload}, format="multipart")
        self.expect(response.status_code == 202, f"{name} accepted: 202 {response.json()}")
        return response.json()["import_id"]

    # --- the engine -------------------------------------------------------------------------

    def register_repeating_tasks(self):
        self.step(
            "Register the repeating tasks twice (`background_task_scheduler --register-only`)",
            "Registering at every start must not add rows: one row per repeating task.",
        )
        for attempt in ("first run", "second run"):
            out = io.StringIO()
            call_command("background_task_scheduler", register_only=True, stdout=out)
            self.say(f"  {attempt}:")
            for line in out.getvalue().splitlines():
                self.say(f"    {line.strip()}")
            rows = list(owned_tasks().values_list("task_name", flat=True))
            self.expect(len(rows) == 3 == len(set(rows)), f"one row per repeating task after the {attempt}")

    def show_engine(self):
        self.step(f"The engine: TASKS_ENGINE = {self.engine!r}, the job is still run_import(import_id)")
        if self.engine == "django_tasks":
            self.say("  scheduler/engines/django_tasks.py: @task def run_import_task(import_id): run_import(...)")
            self.say("  Django ships only ImmediateBackend and DummyBackend: no worker, no retries;")
            self.say("  TASKS uses django-tasks-db's DatabaseBackend (table django_tasks_db_dbtaskresult).")
        else:
            self.say("  scheduler/engines/celery.py: @shared_task(autoretry_for=..., retry_backoff=True)")
            self.say(f"  broker and results: Redis at {settings.REDIS_URL}, JSON only (never pickle)")
        self.say("  The API queues it with transaction.on_commit: never for a rolled-back import.")

    def sign_up(self):
        self.step(f"Sign up {TOUR_USER} (POST /api/auth/signup/), get a token (POST /api/auth/token/)")
        self.reset_previous_run()
        self.user_client, token = self.signed_in_client(TOUR_USER)
        self.say(f"  token {mask(token, shown=4)} (only its first 4 characters are ever shown)")

    def start_worker(self):
        env = {"CONTACTS_IMPORT_BATCH_SIZE": "250"}
        if self.engine == "background_task":
            self.step("Start a worker: `manage.py process_tasks --sleep 0.2` in a child process")
            self.worker = start_worker("--sleep", "0.2", "--duration", "120", output=self.log, env=env)
            self.say(f"  worker pid {self.worker.pid}; it runs the tasks that an <app>/tasks.py registers")
        else:
            command = " ".join(WORKER_COMMANDS[self.engine]).replace("-m celery", "celery")
            self.step(f"Start a worker: `{command}` in a child process")
            self.worker = start_engine_worker(self.engine, output=self.log, env=env)
            self.say(f"  worker pid {self.worker.pid}")

    def stop_worker(self):
        self.step(f"Stop the worker gracefully ({GRACEFUL_STOP[self.engine]}: it finishes its task, then exits)")
        self.say(f"  worker exited with code {stop_worker(self.worker, engine=self.engine)}")
        if self.engine == "celery":
            self.say(f"  deleted this tour's {delete_celery_keys()} Redis keys (queue and results)")

    # --- the import -----------------------------------------------------------------------------

    def import_csv(self):
        total = UNIQUE + DUPLICATES + INVALID
        self.step(
            f"Upload a CSV of {total} contacts (PUT /api/contacts/import/) and watch the worker import it",
            f"{UNIQUE} distinct contacts, {DUPLICATES} duplicates of them, {INVALID} bad rows; batches of 250.",
        )
        self.import_id = self.upload(self.user_client, "contacts.csv", contacts_csv())
        self.say("  202 Accepted: the request only stored the rows and queued a task")
        status = self.wait_for_import(self.user_client, self.import_id, seen=ProgressBar(self, total))
        counts = {key: status[key] for key in ("status", "total", "processed", "created", "duplicates", "invalid")}
        self.say(f"  GET /api/contacts/imports/{self.import_id}/ -> status={status['status']},")
        self.say(f"  total={status['total']}, processed={status['processed']}, {ProgressBar.counts(counts)}")
        expected = {"status": "done", "total": total, "processed": total, "created": UNIQUE}
        self.expect(counts == expected | {"duplicates": DUPLICATES, "invalid": INVALID}, "every row accounted for")
        for error in status["errors"][:2]:
            self.say(f"  reported bad row: {error}")
        recorded = self.user_client.get("/api/contacts/phone-import-recorded/").json()
        self.say(f"  GET /api/contacts/phone-import-recorded/ -> {recorded}")
        self.expect(recorded == {"recorded": True}, "the phone import is recorded")

    def failing_task(self):
        self.step("A failing task: import #999999 does not exist", "Each engine fails in its own way.")
        {
            "background_task": self.fail_on_background_task,
            "django_tasks": self.fail_on_django_tasks,
            "celery": self.fail_on_celery,
        }[self.engine]()

    def fail_on_background_task(self):
        run_import_task(999999, verbose_name="contacts import #999999 (missing)")
        # The library saves twice when it reschedules: first the attempt count, then the
        # new run_at with the lock released. Wait for the second save.
        failed = Task.objects.filter(verbose_name__contains="999999", attempts__gte=1, locked_by=None)
        task = self.wait_until(failed.first, "the worker tried the failing task")
        wait = (task.run_at - timezone.now()).total_seconds()
        self.say(f"  attempt {task.attempts} failed with {error_name(task.last_error)}; its traceback is in last_error")
        self.say(f"  rescheduled with the library's backoff: next try in ~{wait:.0f} s (attempts**4 + 5 s)")
        self.say("  after MAX_ATTEMPTS=5 tries it moves to background_task_completedtask with failed_at set")
        self.expect(task.last_error and task.locked_by is None, "a failed attempt is unlocked and keeps its error")

    def fail_on_django_tasks(self):
        queued = django_tasks.run_import_task.enqueue(999999)

        def finished():
            result = django_tasks.run_import_task.get_result(queued.id)
            return result if result.status in ("SUCCESSFUL", "FAILED") else None

        result = self.wait_until(finished, "the worker ran the failing task")
        error = error_name(result.errors[-1].traceback)
        self.say(f"  status {result.status} after {len(result.worker_ids)} attempt, with {error} (traceback kept)")
        self.expect(result.status == "FAILED", "the task is FAILED")
        self.expect(len(result.worker_ids) == 1, "no retry: django-tasks-db runs a task once")
        self.say("  the task log, table django_tasks_db_dbtaskresult:")
        for row in DBTaskResult.objects.order_by("enqueued_at"):
            self.say(f"    {row.task_path}{tuple(row.args_kwargs['args'])} {row.status}")

    def fail_on_celery(self):
        result = celery.run_import_task.delay(999999)

        def tried():
            state = result.state  # read once: every read asks Redis, and the state moves on
            return state if state in ("RETRY", "FAILURE") else None

        state = self.wait_until(tried, "the worker tried the failing task")
        if state == "RETRY":
            self.say(f"  state RETRY: {str(result.info).strip()}")
        else:
            # Full jitter draws each wait from 0..1 s, 0..2 s, 0..4 s, 0..8 s: now and then
            # all four are 0 s, and every retry has run before the first look.
            self.say(f"  state FAILURE after {result.retries + 1} tries (the jitter drew no wait at all)")
        self.say(f"  retried with backoff (1 s, 2 s, 4 s, ... with jitter), {settings.MAX_ATTEMPTS} tries in all,")
        self.say("  then FAILURE with the traceback in the result backend (Redis), and the import marked failed")
        retried = state == "RETRY" or result.retries == settings.MAX_ATTEMPTS - 1
        self.expect(retried, "the failing task is retried")

    def import_samples(self):
        self.step("Import what people export: each file of contacts/samples/ (PUT, multipart)")
        client, _ = self.signed_in_client(TOUR_SAMPLES)
        for path in sorted(SAMPLES.iterdir()):
            upload = SimpleUploadedFile(path.name, path.read_bytes())
            response = client.put("/api/contacts/import/", {"file": upload}, format="multipart")
            if response.status_code != 202:
                self.expect(False, f"{path.name} is accepted")
            status = self.wait_for_import(client, response.json()["import_id"])
            counted = status["created"] + status["duplicates"] + status["invalid"]
            self.expect(counted == status["processed"] == status["total"], f"{path.name}: every row accounted for")
            lines = [error["line"] for error in status["errors"]]
            bad = f", {status['invalid']} invalid (line {', '.join(map(str, lines))})" if lines else ""
            self.say(f"  {path.name:<19} {status['format']:<11} {status['encoding']}")
            self.say(f"  {'':<19} {status['total']} contacts: {status['created']} created{bad}")
        body = b'name,phone\nAda,+44 20 7946 0000\n"Bob,+44 20 7946 0001\nCy,+44 20 7946 0002\n'
        response = client.put("/api/contacts/import/", body, content_type="text/csv")
        self.say(f"  an unclosed quote -> {response.status_code} {response.json()}")
        self.expect(response.status_code == 400, "an unclosed quote is refused")

    def task_log(self):
        self.step("The task log: CompletedTask (table background_task_completedtask) and Task (background_task)")
        wanted = {"contacts.import_contacts", "contacts.cleanup_old_imports", "scheduler.prune_task_log"}
        # The worker logs a task just after its body returned (the import said "done" a
        # moment before): give a busy machine a few seconds.
        succeeded = CompletedTask.objects.succeeded().values_list("task_name", flat=True)
        self.wait_until(lambda: wanted <= set(succeeded) and owned_tasks().count() == 3, "the worker logged its runs")
        runs = CompletedTask.objects.values("task_name").annotate(runs=Count("id"), failed=Count("failed_at"))
        for row in runs.order_by("task_name"):
            self.say(f"  done   {row['task_name']:<40} {row['runs']} run(s), {row['failed']} failed")
        self.expect(wanted <= set(succeeded), "the import and the repeating tasks are in the completed log")
        for task in Task.objects.order_by("run_at"):
            self.say(f"  queued {task.verbose_name or task.task_name:<52} next run {task.run_at:%Y-%m-%d %H:%M}")
        self.expect(owned_tasks().count() == 3, "each repeating task has exactly its next run queued")

    # --- the contacts, invites, members ------------------------------------------------------

    def list_contacts(self):
        self.step("GET /api/contacts/: paginated by 20, ordered by first name")
        page = self.user_client.get("/api/contacts/").json()
        names = [f"{c['first_name']} {c['last_name']}" for c in page["results"][:3]]
        self.say(f"  count={page['count']}, {len(page['results'])} on page 1, first: {names}")
        self.expect(page["count"] == UNIQUE and len(page["results"]) == 20, "20 of all the contacts on page 1")
        firsts = [c["first_name"] for c in page["results"]]
        self.expect(firsts == sorted(firsts), "page 1 is ordered by first name")

    def invite(self):
        self.step("POST /api/contacts/invite/ {invite_all: true, deselected_ids: [first contact]}")
        contacts = UserContact.objects.filter(user__username=TOUR_USER)
        first = contacts.order_by("first_name", "last_name", "id").first()
        body = {"invite_all": True, "deselected_ids": [first.pk]}
        result = self.user_client.post("/api/contacts/invite/", body).json()
        self.say(f"  -> {result}: pending -> invite_sent, the deselected contact stays pending")
        self.expect(result == {"invited": UNIQUE - 1, "reminded": 0, "unchanged": 0}, "all but one invited")
        first.refresh_from_db()
        self.expect(first.state == State.INVITE_PENDING, "the deselected contact is not invited")

    def remind(self):
        self.step("Invite again 8 days later: invites older than 7 days get a reminder")
        contacts = UserContact.objects.filter(user__username=TOUR_USER)
        ids = list(contacts.filter(state=State.INVITE_SENT).order_by("pk").values_list("pk", flat=True)[:2])
        contacts.filter(pk=ids[0]).update(invited_at=timezone.now() - timedelta(days=8))  # pretend time passed
        result = self.user_client.post("/api/contacts/invite/", {"selected_ids": ids}).json()
        self.say(f"  selected_ids={ids} (one invited 8 days ago, one today) -> {result}")
        self.expect(result == {"invited": 0, "reminded": 1, "unchanged": 1}, "the old invite is reminded")

    def member_signs_up(self):
        self.step(f"{MEMBER_EMAIL} signs up, then proves the address with the code mailed to it")
        contact = UserContact.objects.get(user__username=TOUR_USER, email=MEMBER_EMAIL)
        self.say(f"  before: {contact.first_name} {contact.last_name} state={contact.state}")
        client = self.client()
        with locmem_email():
            mail.outbox = []
            body = {"username": TOUR_MEMBER, "password": PASSWORD, "email": MEMBER_EMAIL}
            response = client.post("/api/auth/signup/", body, format="json")
        self.expect(response.status_code == 201, f"{TOUR_MEMBER} signed up")
        contact.refresh_from_db()
        self.say(f"  signed up: state={contact.state} (anyone can type an address: nothing linked yet)")
        self.expect(contact.state != State.ALREADY_MEMBER, "an unverified address links no contact")
        code = mail.outbox[0].body.split('"code": "')[1].split('"')[0]
        result = client.post("/api/auth/verify-email/", {"code": code}, format="json").json()
        contact.refresh_from_db()
        self.say(f"  POST /api/auth/verify-email/ {{code}} -> linked_contacts={result.get('linked_contacts')}")
        self.say(f"  after:  state={contact.state}, registered={contact.registered}, contact={contact.contact}")
        self.expect(contact.state == State.ALREADY_MEMBER and contact.registered, "the contact is a member now")

    # --- an import that survives SIGKILL (background_task) --------------------------------------

    def kill_mid_import(self):
        self.step(f"Kill a worker mid-import: SIGKILL, no cleanup runs ({KILL_ROWS} rows, batches of {KILL_BATCH})")
        self.say(f"  the tour's workers run with SCHEDULER_MAX_RUN_TIME={KILL_LOCK_SECONDS} (a 2 s lock, not 600)")
        self.killed_client, _ = self.signed_in_client(TOUR_KILLED)
        worker = start_worker("--sleep", "0.1", "--duration", "60", output=self.log, env=KILL_ENV)
        self.killed_id = self.upload(self.killed_client, "kim.csv", killed_import_csv())
        record = UserContactsImport.objects.only("processed")

        def some_batches_committed():
            if worker.poll() is not None:
                self.expect(False, "the worker stays alive until it is killed")
            return record.get(pk=self.killed_id).processed >= 5 * KILL_BATCH

        self.wait_until(some_batches_committed, "the worker committed some batches", timeout=60, interval=0.005)
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        processed = record.get(pk=self.killed_id).processed
        self.say(f"  kill -9 {worker.pid} after {processed}/{KILL_ROWS} rows: exit code {worker.returncode}")
        self.expect(worker.returncode == -signal.SIGKILL and processed < KILL_ROWS, "killed in the middle")

    def stalled_status(self):
        self.step(f"GET /api/contacts/imports/{self.killed_id}/: still running, and the status says why")
        with override_settings(MAX_RUN_TIME=KILL_LOCK_SECONDS):  # what the tour's workers use
            status = self.killed_client.get(f"/api/contacts/imports/{self.killed_id}/").json()
        committed = UserContact.objects.filter(user__username=TOUR_KILLED).count()
        self.say(f"  status={status['status']}, processed={status['processed']}/{status['total']},")
        self.say(f"  last_progress_at={status['last_progress_at']}")
        self.say(f"  progress_note: {status['progress_note']}")
        self.say(f"  the committed batches are whole: {committed} contacts = created {status['created']}")
        self.expect(status["status"] == "running" and status["progress_note"], "a stalled import, explained")
        self.expect(committed == status["created"], "no half-written batch")

    def second_worker(self):
        self.step(f"Start a second worker: it takes the task once the lock expires ({KILL_LOCK_SECONDS} s)")
        worker = start_worker("--sleep", "0.1", "--duration", "60", output=self.log, env=KILL_ENV)
        self.say(f"  worker pid {worker.pid}; it resumes at row `processed`, the rows before stay as they are")
        try:
            status = self.wait_for_import(self.killed_client, self.killed_id)
        finally:
            self.say(f"  worker exited with code {stop_worker(worker)} (SIGTSTP)")
        contacts = UserContact.objects.filter(user__username=TOUR_KILLED)
        phones = contacts.filter(phone_number__isnull=False).values_list("phone_number", flat=True)
        counts = {key: status[key] for key in ("total", "processed", "created", "duplicates", "invalid")}
        self.say(f"  {status['status']}: {counts}")
        self.say(f"  {contacts.count()} contacts in the database, {len(set(phones))} distinct phones: each row once")
        unique = KILL_ROWS - KILL_DUPLICATES - KILL_INVALID
        expected = {"total": KILL_ROWS, "processed": KILL_ROWS, "created": unique}
        expected |= {"duplicates": KILL_DUPLICATES, "invalid": KILL_INVALID}
        self.expect(status["status"] == "done" and counts == expected, "every row accounted for")
        self.expect(contacts.count() == len(phones) == len(set(phones)) == unique, "no contact lost or twice")


class ProgressBar:
    """``seen(status)`` for wait_for_import: a bar each time the progress moves, and the
    first progress note the status gives."""

    def __init__(self, tour, total):
        self.tour, self.total, self.last, self.noted = tour, total, None, False

    def __call__(self, status):
        if (status["processed"], status["status"]) != self.last:
            self.last = status["processed"], status["status"]
            filled = 30 * status["processed"] // self.total
            bar = f"[{'#' * filled}{'.' * (30 - filled)}]"
            self.tour.say(f"  {bar} {status['processed']:>5}/{self.total} {status['status']}")
        if status["progress_note"] and not self.noted:  # (a fast worker may finish between two looks)
            self.noted = True
            self.tour.say(f"  while it ran, the status said: {status['progress_note']}")

    @staticmethod
    def counts(counts):
        return {key: counts[key] for key in ("created", "duplicates", "invalid")}


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
