"""python manage.py tour: who changed what (django-auditlog) and who called what (hits).

Runs in-process with DRF's APIClient against the configured database (the launcher
gives it a fresh SQLite file), prints numbered steps and checks each outcome.
"""

import logging
import secrets

from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from rest_framework.test import APIClient

from accounts.models import User
from hits.models import ApiHit
from notes.models import Note

BROWSER = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Safari/605.1.15"
)


def short(token):
    """Show a token as its first 4 characters only."""
    return f"{token[:4]}…"


class Command(BaseCommand):
    help = "Guided walkthrough: audit log entries with actors, and the API hit log."

    def handle(self, *args, **options):
        call_command("migrate", verbosity=0)
        # Django logs every 4xx as a warning; the 401 below is on purpose, keep the output clean.
        request_logger = logging.getLogger("django.request")
        level = request_logger.level
        request_logger.setLevel(logging.ERROR)
        try:
            self.walk()
        finally:
            request_logger.setLevel(level)

    def walk(self):
        self.n = 0
        secrets_used = []

        # Names unique per run, so the tour runs again on the same database.
        run = secrets.token_hex(2)
        ann_name, sam_name = f"ann-{run}", f"sam-{run}"
        self.step(f"Create {ann_name} (a user) and {sam_name} (staff). Passwords are random and never printed.")
        ann_password, sam_password = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
        secrets_used += [ann_password, sam_password]
        ann = User.objects.create_user(ann_name, f"{ann_name}@example.com", ann_password)
        sam = User.objects.create_user(sam_name, f"{sam_name}@example.com", sam_password, is_staff=True)
        created = ann.history.latest()
        self.say(f"ann.history.latest().action == {created.action} (CREATE=0, UPDATE=1, DELETE=2, ACCESS=3)")
        self.say(f"fields recorded: {sorted(created.changes_dict)}")
        self.expect(created.action == LogEntry.Action.CREATE, "creating a user writes a CREATE entry")
        self.expect("password" not in created.changes_dict, "the password hash is excluded from the entry")

        self.step(f"Log in: POST /api/token/ with {ann_name}'s username and password.")
        client = APIClient(HTTP_USER_AGENT=BROWSER)
        response = client.post("/api/token/", {"username": ann_name, "password": ann_password})
        self.expect(response.status_code == 200, f"login answers 200 (got {response.status_code})")
        tokens = response.json()
        secrets_used += [tokens["access"], tokens["refresh"]]
        self.say(f"access {short(tokens['access'])}  refresh {short(tokens['refresh'])}")

        self.step("Refresh: POST /api/token/refresh/ trades the refresh token for a new access token.")
        response = client.post("/api/token/refresh/", {"refresh": tokens["refresh"]})
        self.expect(response.status_code == 200, f"refresh answers 200 (got {response.status_code})")
        access = response.json()["access"]
        secrets_used.append(access)
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
        self.say(f"new access {short(access)}; every call below sends it as 'Authorization: Bearer …'")

        self.step("Create a note: POST /api/notes/ with two tags.")
        response = client.post("/api/notes/", {"title": "Groceries", "body": "milk", "tags": ["home", "todo"]})
        self.expect(response.status_code == 201, f"create answers 201 (got {response.status_code})")
        note_id = response.json()["id"]
        self.say(f"-> {response.json()}")

        self.step("Edit it: PATCH /api/notes/<id>/ changes the title and drops a tag.")
        response = client.patch(f"/api/notes/{note_id}/", {"title": "Groceries for Sunday", "tags": ["home"]})
        self.expect(response.status_code == 200, f"edit answers 200 (got {response.status_code})")
        note = Note.objects.get(pk=note_id)

        self.step("Drf_signal_simplejwt's queries on note.history (a live note):")
        latest = note.history.latest()  # the m2m entry of the PATCH: tags lost "todo"
        title_entry = note.history.filter(action=LogEntry.Action.UPDATE, changes__has_key="title").get()
        self.say(f"note.history.latest().action       = {latest.action} (UPDATE)")
        self.say(f"note.history.latest().changes      = {latest.changes}")
        self.say(f"title entry .changes_dict          = {title_entry.changes_dict}")
        self.say(f"title entry .changes_display_dict  = {title_entry.changes_display_dict}")
        self.say(f"title entry .changes_str           = {title_entry.changes_str!r}")
        self.say(f"title entry .actor                 = {title_entry.actor}")
        ordered = note.history.all().order_by("-timestamp")
        self.say(f"note.history.all().order_by('-timestamp') -> {[str(e) for e in ordered]}")
        self.expect(title_entry.changes_dict["title"] == ["Groceries", "Groceries for Sunday"], "title change recorded")
        self.expect(all(e.actor == ann for e in ordered), f"every entry names {ann_name}, the token's user, as actor")

        self.step("Delete it: DELETE /api/notes/<id>/.")
        response = client.delete(f"/api/notes/{note_id}/")
        self.expect(response.status_code == 204, f"delete answers 204 (got {response.status_code})")

        self.step("Its history survives: GET /api/notes/<id>/history/ (newest first, owner only).")
        response = client.get(f"/api/notes/{note_id}/history/")
        self.expect(response.status_code == 200, f"history answers 200 (got {response.status_code})")
        history = response.json()
        for entry in history:
            self.say(f"{entry['timestamp']}  {entry['action']:<6}  by {entry['actor']}  {entry['changes']}")
        actions = [entry["action"] for entry in history]
        self.expect(actions[0] == "delete" and actions[-1] == "create", "newest first: delete ... create")
        self.expect({entry["actor"] for entry in history} == {ann_name}, f"the actor is {ann_name} on every entry")

        self.step(f"Staff change {ann_name}'s phone in code, inside set_actor({sam_name}); phone is a masked field.")
        with set_actor(sam):
            ann.phone = "+1 555 0199"
            ann.save()
        staff = APIClient(HTTP_USER_AGENT=BROWSER)
        response = staff.post("/api/token/", {"username": sam_name, "password": sam_password})
        staff_access = response.json()["access"]
        secrets_used += [staff_access, response.json()["refresh"]]
        staff.credentials(HTTP_AUTHORIZATION=f"Bearer {staff_access}")
        response = staff.get(f"/api/users/{ann.pk}/history/")
        self.expect(response.status_code == 200, f"user history answers 200 for staff (got {response.status_code})")
        newest = response.json()[0]
        self.say(
            f"GET /api/users/{ann.pk}/history/ newest: {newest['action']} by {newest['actor']}: {newest['changes']}"
        )
        self.expect(newest["changes"]["phone"][1].startswith("*****"), "mask_fields hides the first half only")

        self.step("A forged token gets DRF's normal 401, and is still logged (without the token).")
        forged = access[:-4] + ("AAAA" if not access.endswith("AAAA") else "BBBB")
        response = APIClient(HTTP_USER_AGENT=BROWSER).get("/api/notes/", HTTP_AUTHORIZATION=f"Bearer {forged}")
        self.expect(response.status_code == 401, f"forged token answers 401 (got {response.status_code})")
        secrets_used.append(forged)

        self.step("The hit log: GET /api/hits/?limit=12 (staff only, newest first).")
        response = staff.get("/api/hits/?limit=12")
        self.expect(response.status_code == 200, f"hits answer 200 for staff (got {response.status_code})")
        for hit in response.json():
            self.say(
                f"{hit['method']:<6} {hit['path']:<28} {hit['status_code']}  user={hit['user']}  ip={hit['ip']}  "
                f"{hit['browser']}/{hit['os']}/{hit['device']}  {hit['duration_ms']:.1f} ms"
            )
        self.expect(ApiHit.objects.filter(status_code=401, user=None).exists(), "the 401 was logged with user null")

        self.step("Search the hit log and the audit log for every password and token used above.")
        stored = " ".join(str(row) for row in ApiHit.objects.values()) + " ".join(
            str(row) for row in LogEntry.objects.values()
        )
        leaks = [short(s) for s in secrets_used if s in stored]
        self.expect(not leaks, f"no secret stored (found {leaks})")
        self.say(
            f"{len(secrets_used)} secrets searched in {ApiHit.objects.count()} hits and "
            f"{LogEntry.objects.count()} log entries: 0 found."
        )

        self.stdout.write(self.style.SUCCESS("\nTour complete: every step did what it said."))

    def step(self, text):
        self.n += 1
        self.stdout.write(self.style.MIGRATE_HEADING(f"\n{self.n}. {text}"))

    def say(self, text):
        self.stdout.write(f"   {text}")

    def expect(self, condition, what):
        if not condition:
            raise CommandError(f"step {self.n} failed: {what}")
        self.stdout.write(f"   ok: {what}")
