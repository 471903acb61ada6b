"""``python manage.py tour``: the scheduler demo, step by step, with a real worker process."""

import csv
import io
import tempfile
import time
from datetime import timedelta

from background_task.models import CompletedTask, Task
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from rest_framework.test import APIClient

from contacts.models import State, UserContact, UserContactsImport
from contacts.tasks import import_contacts
from scheduler.registration import owned_tasks
from scheduler.worker import start_worker, stop_worker

PASSWORD = "correct horse battery staple"  # never printed
UNIQUE, DUPLICATES, INVALID = 2900, 60, 40
MEMBER_EMAIL = "zoe.member@example.com"


class Command(BaseCommand):
    help = "Walk through repeating tasks, a 3,000-row contacts import run by a real worker, invites and sign-up."

    def handle(self, *args, **options):
        call_command("migrate", verbosity=0)
        self.number = 0
        self.step_register()
        client = self.step_signup()
        with tempfile.NamedTemporaryFile("w+", prefix="worker-", suffix=".log") as log:
            self.step("Start a worker: `manage.py process_tasks --sleep 0.2` in a child process")
            worker = start_worker(
                "--sleep", "0.2", "--duration", "120", output=log, env={"CONTACTS_IMPORT_BATCH_SIZE": "250"}
            )
            self.say(f"worker pid {worker.pid}; it picks up every task whose module is <app>/tasks.py")
            try:
                import_id = self.step_import(client)
                self.step_failing_task()
                self.step_task_log(import_id)
            except CommandError:
                log.seek(0)
                self.stderr.write("worker log:\n" + log.read()[-3000:])
                raise
            finally:
                self.step("Stop the worker gracefully (SIGTSTP: it finishes its task, then exits)")
                self.say(f"worker exited with code {stop_worker(worker)}")
        self.step_list(client)
        self.step_invite(client)
        self.step_member_signup()
        self.stdout.write(self.style.SUCCESS("\nTour complete: every step did what it said."))

    # --- output helpers --------------------------------------------------------------
    def step(self, title):
        self.number += 1
        self.stdout.write(self.style.MIGRATE_HEADING(f"\n{self.number}. {title}"))

    def say(self, text):
        self.stdout.write(f"   {text}")

    @staticmethod
    def expect(condition, message):
        if not condition:
            raise CommandError(message)

    # --- the steps ---------------------------------------------------------------------
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
        self.step("Sign up alice (POST /api/auth/signup/) and get her token (POST /api/auth/token/)")
        client = APIClient()
        response = client.post("/api/auth/signup/", {"username": "alice", "password": PASSWORD}, format="json")
        self.expect(response.status_code == 201, f"signup failed: {response.status_code} {response.content!r}")
        response = client.post("/api/auth/token/", {"username": "alice", "password": PASSWORD}, format="json")
        self.expect(response.status_code == 200, "no token issued")
        token = response.json()["token"]
        self.say(f"201 Created, then token {token[:4]}… (only its first 4 characters are ever shown)")
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        return client

    def step_import(self, client):
        total = UNIQUE + DUPLICATES + INVALID
        self.step(f"Upload a CSV of {total} contacts (PUT /api/contacts/import/) and watch the worker import it")
        upload = SimpleUploadedFile("contacts.csv", contacts_csv().encode(), content_type="text/csv")
        response = client.put("/api/contacts/import/", {"file": upload}, format="multipart")
        self.expect(response.status_code == 202, f"expected 202, got {response.status_code} {response.content!r}")
        import_id = response.json()["import_id"]
        self.say(f"202 Accepted {response.json()}: the request only stored the rows and queued a task")
        self.say(f"({UNIQUE} distinct contacts, {DUPLICATES} duplicates of them, {INVALID} bad rows; batches of 250)")
        status, last, deadline = {}, None, time.monotonic() + 120
        while status.get("status") not in ("done", "failed"):
            self.expect(time.monotonic() < deadline, f"the import did not finish in time: {status}")
            time.sleep(0.05)
            status = client.get(f"/api/contacts/imports/{import_id}/").json()
            if status["processed"] != last:
                last = status["processed"]
                filled = 30 * last // total
                self.say(f"[{'#' * filled}{'.' * (30 - filled)}] {last:>5}/{total} {status['status']}")
        counts = {key: status[key] for key in ("status", "total", "processed", "created", "duplicates", "invalid")}
        self.say(f"GET /api/contacts/imports/{import_id}/ -> {counts}")
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
        while not (task := Task.objects.filter(verbose_name__contains="999999", attempts__gte=1).first()):
            self.expect(time.monotonic() < deadline, "the worker did not try the failing task")
            time.sleep(0.1)
        wait = (task.run_at - timezone.now()).total_seconds()
        self.say(f"attempt {task.attempts} failed: {task.last_error.strip().splitlines()[-1]}")
        self.say(f"rescheduled with the library's backoff: next try in ~{wait:.0f} s (attempts**4 + 5 s)")
        self.say("after MAX_ATTEMPTS=5 tries it moves to background_task_completedtask with failed_at set")
        self.expect(task.last_error and task.locked_by is None, "a failed attempt must be unlocked and keep its error")

    def step_task_log(self, import_id):
        self.step("The task log: CompletedTask (table background_task_completedtask) and Task (background_task)")
        for done in CompletedTask.objects.order_by("pk"):
            outcome = "FAILED" if done.failed_at else "ok"
            self.say(f"done   {done.verbose_name or done.task_name:<55} attempts={done.attempts} {outcome}")
        names = set(CompletedTask.objects.succeeded().values_list("task_name", flat=True))
        wanted = {"contacts.import_contacts", "contacts.cleanup_old_imports", "scheduler.prune_task_log"}
        self.expect(wanted <= names, f"expected {wanted} in the completed log, got {names}")
        for task in Task.objects.order_by("run_at"):
            self.say(f"queued {task.verbose_name or task.task_name:<55} next run {task.run_at:%Y-%m-%d %H:%M}")
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
        contacts = UserContact.objects.filter(user__username="alice")
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
        self.step(f"{MEMBER_EMAIL} signs up: a post_save receiver marks the matching contact")
        contact = UserContact.objects.get(user__username="alice", email=MEMBER_EMAIL)
        self.say(f"before: {contact.first_name} {contact.last_name} state={contact.state}")
        response = APIClient().post(
            "/api/auth/signup/", {"username": "zoe", "password": PASSWORD, "email": MEMBER_EMAIL}, format="json"
        )
        self.expect(response.status_code == 201, f"signup failed: {response.content!r}")
        contact.refresh_from_db()
        self.say(f"after:  state={contact.state}, registered={contact.registered}, contact={contact.contact}")
        self.expect(contact.state == State.ALREADY_MEMBER and contact.registered, "the contact must be a member now")
        imports = UserContactsImport.objects.count()
        self.say(f"({imports} import record(s); the daily cleanup deletes them after 30 days)")


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
