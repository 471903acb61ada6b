"""python manage.py tour: who changed what (django-auditlog), then who called what (hits).

Two parts, one per lesson: part 1 is the audit log, part 2 the API hit log, reading the
hits part 1's requests left. Runs in-process with DRF's APIClient against the configured
database (the launcher gives it a fresh SQLite file) and checks each outcome. Names are
new on every run: it runs again on the same database.
"""

import secrets

from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.core.management import call_command
from rest_framework.test import APIClient

from accounts.models import User
from config.plumbing.tour import Tour, mask
from hits.models import ApiHit
from notes.models import Note

# The hit log records the browser family; the tour's requests come from this Safari.
BROWSER = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Safari/605.1.15"
)


class Command(Tour):
    help = "Guided walkthrough: audit log entries with actors, and the API hit log."
    title = "auditlog_demo: who changed what (the audit log), who called what (the hit log)"

    def steps(self):
        part_1 = [self.create_users, self.log_in, self.refresh, self.create_note, self.edit_note]
        part_1 += [self.history_queries, self.delete_note, self.history_survives, self.staff_change_in_code]
        part_2 = [self.forged_token_is_logged, self.read_the_hit_log, self.no_secret_in_either_log]
        return part_1 + part_2

    def handle(self, *args, **options):
        call_command("migrate", verbosity=0)
        run = secrets.token_hex(2)  # this run's usernames: the tour can run again
        self.ann_name, self.sam_name = f"ann-{run}", f"sam-{run}"
        self.secrets_used = []
        super().handle(*args, **options)

    def log_in_as(self, username, password):
        """A client carrying a fresh access token for ``username``; the tokens are remembered."""
        client = APIClient(HTTP_USER_AGENT=BROWSER)
        response = client.post("/api/token/", {"username": username, "password": password})
        self.expect(response.status_code == 200, f"POST /api/token/ answers 200 (got {response.status_code})")
        tokens = response.json()
        self.secrets_used += [tokens["access"], tokens["refresh"]]
        return client, tokens

    # --- Part 1. The audit log ----------------------------------------------------------
    def create_users(self):
        self.say("\nPart 1. The audit log (app audit, django-auditlog): who changed what", style="title")
        self.step(
            f"Create {self.ann_name} (a user) and {self.sam_name} (staff).",
            "Passwords are random and never printed. The User model is registered with auditlog.",
        )
        self.ann_password, self.sam_password = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
        self.secrets_used += [self.ann_password, self.sam_password]
        self.ann = User.objects.create_user(self.ann_name, f"{self.ann_name}@example.com", self.ann_password)
        self.sam = User.objects.create_user(
            self.sam_name, f"{self.sam_name}@example.com", self.sam_password, is_staff=True
        )
        created = self.ann.history.latest()
        self.say(f"  ann.history.latest().action == {created.action} (CREATE=0, UPDATE=1, DELETE=2, ACCESS=3)")
        self.say(f"  fields recorded: {sorted(created.changes_dict)}")
        self.expect(created.action == LogEntry.Action.CREATE, "creating a user writes a CREATE entry")
        self.expect("password" not in created.changes_dict, "the password hash is excluded from the entry")

    def log_in(self):
        self.step(f"Log in: POST /api/token/ with {self.ann_name}'s username and password.")
        self.client, self.tokens = self.log_in_as(self.ann_name, self.ann_password)
        self.say(f"  access {mask(self.tokens['access'], shown=4)}  refresh {mask(self.tokens['refresh'], shown=4)}")

    def refresh(self):
        self.step("Refresh: POST /api/token/refresh/ trades the refresh token for a new access token.")
        response = self.client.post("/api/token/refresh/", {"refresh": self.tokens["refresh"]})
        self.expect(response.status_code == 200, f"refresh answers 200 (got {response.status_code})")
        self.access = response.json()["access"]
        self.secrets_used.append(self.access)
        self.client.credentials(HTTP_AUTHORIZATION=f"Bearer {self.access}")
        self.say(f"  new access {mask(self.access, shown=4)}; every call below sends it as 'Authorization: Bearer …'")

    def create_note(self):
        self.step("Create a note: POST /api/notes/ with two tags.")
        response = self.client.post("/api/notes/", {"title": "Groceries", "body": "milk", "tags": ["home", "todo"]})
        self.expect(response.status_code == 201, f"create answers 201 (got {response.status_code})")
        self.note_id = response.json()["id"]
        self.say(f"  -> {response.json()}")

    def edit_note(self):
        self.step("Edit it: PATCH /api/notes/<id>/ changes the title and drops a tag.")
        response = self.client.patch(f"/api/notes/{self.note_id}/", {"title": "Groceries for Sunday", "tags": ["home"]})
        self.expect(response.status_code == 200, f"edit answers 200 (got {response.status_code})")

    def history_queries(self):
        self.step(
            "drf_signal_simplejwt's queries on note.history (a live note):",
            "history = AuditlogHistoryField() on the model; each entry names the token's user as actor.",
        )
        note = Note.objects.get(pk=self.note_id)
        latest = note.history.latest()  # the m2m entry of the PATCH: tags lost "todo"
        title_entry = note.history.filter(action=LogEntry.Action.UPDATE, changes__has_key="title").get()
        self.say(f"  note.history.latest().action       = {latest.action} (UPDATE)")
        self.say(f"  note.history.latest().changes      = {latest.changes}")
        self.say(f"  title entry .changes_dict          = {title_entry.changes_dict}")
        self.say(f"  title entry .changes_display_dict  = {title_entry.changes_display_dict}")
        self.say(f"  title entry .changes_str           = {title_entry.changes_str!r}")
        self.say(f"  title entry .actor                 = {title_entry.actor}")
        ordered = note.history.all().order_by("-timestamp")
        self.say(f"  note.history.all().order_by('-timestamp') -> {[str(e) for e in ordered]}")
        title_change = title_entry.changes_dict["title"]
        self.expect(title_change == ["Groceries", "Groceries for Sunday"], "the title change is recorded")
        self.expect(all(e.actor == self.ann for e in ordered), f"every entry names {self.ann_name} as actor")

    def delete_note(self):
        self.step("Delete it: DELETE /api/notes/<id>/.")
        response = self.client.delete(f"/api/notes/{self.note_id}/")
        self.expect(response.status_code == 204, f"delete answers 204 (got {response.status_code})")

    def history_survives(self):
        self.step(
            "Its history survives: GET /api/notes/<id>/history/ (newest first, owner only).",
            "The DELETE entry records every field's last value, the owner included.",
        )
        response = self.client.get(f"/api/notes/{self.note_id}/history/")
        self.expect(response.status_code == 200, f"history answers 200 (got {response.status_code})")
        history = response.json()
        for entry in history:
            self.say(f"  {entry['timestamp']}  {entry['action']:<6}  by {entry['actor']}  {entry['changes']}")
        actions = [entry["action"] for entry in history]
        self.expect(actions[0] == "delete" and actions[-1] == "create", "newest first: delete ... create")
        actors = {entry["actor"] for entry in history}
        self.expect(actors == {self.ann_name}, f"the actor is {self.ann_name} on every entry")

    def staff_change_in_code(self):
        self.step(
            f"Staff change {self.ann_name}'s phone in code, inside set_actor({self.sam_name}).",
            "Outside a request there is no middleware: set_actor() names who did it. phone is masked.",
        )
        with set_actor(self.sam):
            self.ann.phone = "+1 555 0199"
            self.ann.save()
        self.staff, staff_tokens = self.log_in_as(self.sam_name, self.sam_password)
        self.staff.credentials(HTTP_AUTHORIZATION=f"Bearer {staff_tokens['access']}")
        response = self.staff.get(f"/api/users/{self.ann.pk}/history/")
        self.expect(response.status_code == 200, f"staff read a user's history (got {response.status_code})")
        newest = response.json()[0]
        self.say(f"  GET /api/users/{self.ann.pk}/history/ newest: {newest['action']} by {newest['actor']}")
        self.say(f"  changes: {newest['changes']}")
        self.expect(newest["actor"] == self.sam_name, f"the actor is {self.sam_name}")
        visible = newest["changes"]["phone"][1].lstrip("*")
        # A hint is fine for a phone number; for a secret it is pitfall 3b's harm.
        claim = f"the trap of pitfall 3b: mask_fields left the second half ({visible!r}) in the log"
        self.expect(visible and self.ann.phone.endswith(visible), claim)

    # --- Part 2. The API hit log --------------------------------------------------------
    def forged_token_is_logged(self):
        self.say("\nPart 2. The API hit log (app hits): who called what", style="title")
        self.step(
            "A forged token: GET /api/notes/ with the last characters of the token changed.",
            "The logger reads the user DRF decided on after the view ran; it never decodes a token itself.",
        )
        forged = self.access[:-4] + ("AAAA" if not self.access.endswith("AAAA") else "BBBB")
        self.secrets_used.append(forged)
        response = APIClient(HTTP_USER_AGENT=BROWSER).get("/api/notes/", HTTP_AUTHORIZATION=f"Bearer {forged}")
        self.expect(response.status_code == 401, f"a forged token gets DRF's 401 (got {response.status_code})")
        hit = ApiHit.objects.latest("pk")
        self.expect(hit.status_code == 401 and hit.user is None, "the 401 is logged, with user null")

    def read_the_hit_log(self):
        self.step(
            "The hit log: GET /api/hits/?limit=12 (staff only, newest first).",
            "One row per /api/ request, written after the response: status, user, client IP, browser.",
        )
        response = self.staff.get("/api/hits/?limit=12")
        self.expect(response.status_code == 200, f"staff read the hit log (got {response.status_code})")
        for hit in response.json():
            self.say(
                f"  {hit['method']:<6} {hit['path']:<26} {hit['status_code']} user={hit['user']} "
                f"ip={hit['ip']} {hit['browser']}/{hit['os']} {hit['duration_ms']:.1f} ms"
            )
        paths = {hit["path"] for hit in response.json()}
        self.expect("/api/token/" in paths, "the logins are logged (the next step looks for their passwords)")

    def no_secret_in_either_log(self):
        self.step(
            "Search the hit log and the audit log for every password and token used above.",
            "Neither stores a header, a query string or a body: there is nothing to leak.",
        )
        stored = " ".join(str(row) for row in ApiHit.objects.values())
        stored += " ".join(str(row) for row in LogEntry.objects.values())
        leaks = [mask(secret, shown=4) for secret in self.secrets_used if secret in stored]
        self.say(
            f"  {len(self.secrets_used)} secrets searched in {ApiHit.objects.count()} hits "
            f"and {LogEntry.objects.count()} audit entries"
        )
        self.expect(not leaks, f"no secret stored (found {leaks})")
