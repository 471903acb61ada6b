"""python manage.py tour : Django signals, live, step by step.

`python -m demos tour signals_demo` runs this on a fresh SQLite database. Each step says
what it does, does it (mostly over HTTP, in-process), prints every signal as it fires,
and checks the outcome: the tour fails loudly if Django does not behave as explained.
It can run again on the same database: its users and rows are new on every run.
"""

import io
import secrets
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.db.models import signals as model_signals
from django.test import Client, override_settings
from PIL import ExifTags, Image
from rest_framework.test import APIClient

from accounts.models import Profile
from activity.models import Event
from config.plumbing.tour import Tour, locmem_email
from students import pitfalls, services
from students.models import Course, PersonalDetail, Student
from students.signals import student_enrolled

MODEL_SIGNALS = ("pre_init", "post_init", "pre_save", "post_save", "pre_delete", "post_delete", "m2m_changed")
OTHER_SIGNALS = {
    "user_logged_in": user_logged_in,
    "user_logged_out": user_logged_out,
    "user_login_failed": user_login_failed,
    "student_enrolled": student_enrolled,
}
SHOWN_KWARGS = ("action", "created", "update_fields", "raw", "reverse", "pk_set", "credentials", "user", "course")


def phone_photo():
    """A small JPEG whose EXIF, like a phone's, says where it was taken."""
    exif = Image.Exif()
    exif[ExifTags.IFD.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (51.0, 30.0, 26.0)}
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "teal").save(out, "JPEG", exif=exif.tobytes())
    out.name = "IMG_at_home.jpg"
    out.seek(0)
    return out


def has_gps(path):
    with Image.open(path) as image:
        return bool(image.getexif().get_ifd(ExifTags.IFD.GPSInfo))


def partial_post(client, url):
    """post(body, csrf_token=None): a JSON POST, with the X-CSRFToken header when given."""

    def post(body, csrf_token=None):
        headers = {"X-CSRFToken": csrf_token} if csrf_token else {}
        return client.post(url, body, content_type="application/json", headers=headers)

    return post


class Command(Tour):
    help = "A guided walkthrough of Django signals (run it on a fresh database)."
    title = "signals_demo: every signal this demo uses, fired for real and printed as it fires."

    def steps(self):
        return [
            self.migrate,
            self.create_student,
            self.update_student,
            self.enroll,
            self.bulk_create,
            self.delete_student,
            self.replace_picture,
            self.log_in_and_out,
            self.on_commit_trap,
            self.show_feed,
        ]

    def handle(self, *args, **options):
        self.client = APIClient()
        self.run_id = secrets.token_hex(3)  # this run's usernames: the tour can run again
        self.shown_senders = {Student, PersonalDetail, Course, Student.courses.through, get_user_model(), Profile}
        # A locmem outbox instead of the console: the tour reports emails, it doesn't dump them.
        with locmem_email():
            mail.outbox = []
            super().handle(*args, **options)

    # --- what the steps share --------------------------------------------------------
    @contextmanager
    def watching(self, *names):
        """Print each send of the named signals, for the senders this demo is about."""
        pairs = [(name, getattr(model_signals, name, None) or OTHER_SIGNALS[name]) for name in names]
        uid = f"tour-{secrets.token_hex(4)}"

        def make_printer(name):
            def show(sender, **kwargs):
                if isinstance(sender, type) and sender not in self.shown_senders:
                    return
                shown = ", ".join(f"{k}={self.brief(kwargs[k])}" for k in SHOWN_KWARGS if k in kwargs)
                label = getattr(sender, "__name__", sender)
                self.say(f"    signal: {name}({label}) {shown}".rstrip())

            return show

        for name, signal in pairs:
            signal.connect(make_printer(name), weak=False, dispatch_uid=f"{uid}-{name}")
        try:
            yield
        finally:
            for name, signal in pairs:
                signal.disconnect(dispatch_uid=f"{uid}-{name}")

    @staticmethod
    def brief(value):
        if isinstance(value, (set, frozenset)):
            return sorted(value)
        if isinstance(value, dict):  # credentials: what was typed (the username is not masked)
            return f"<{', '.join(sorted(value))}: not shown>"
        return value

    # --- the steps -------------------------------------------------------------------
    def migrate(self):
        self.step(
            "Migrate the database",
            "pre_migrate/post_migrate are sent once per app; our receivers use sender=<students app>.",
        )
        sends = []
        model_signals.post_migrate.connect(
            lambda sender, **kw: sends.append(sender.label), weak=False, dispatch_uid="t"
        )
        try:
            call_command("migrate", verbosity=0)
        finally:
            model_signals.post_migrate.disconnect(dispatch_uid="t")
        self.say(f"    post_migrate was sent {len(sends)} times: {', '.join(sends)}")
        courses = sorted(Course.objects.values_list("name", flat=True))
        self.expect(courses == ["Literature", "Mathematics", "Physics"], f"post_migrate created the courses {courses}")

    def create_student(self):
        self.step("POST /api/students/", "post_save(created=True) creates the PersonalDetail, one per student.")
        with self.watching("pre_init", "post_init", "pre_save", "post_save"):
            response = self.client.post("/api/students/", {"name": "Ravi", "age": 23, "mobileno": "+91 98765 43210"})
        body = response.json()
        self.say(f"    -> {response.status_code} id={body['id']} personal_detail={body['personal_detail']}")
        self.student = Student.objects.get(pk=body["id"])
        self.expect(response.status_code == 201 and body["personal_detail"]["id"], "201 with its personal_detail")
        self.expect(body["mobileno"] == "+919876543210", "pre_save normalized the number inside the same save")
        self.expect([m.subject for m in mail.outbox] == ["New student: Ravi"], "the office notice went out on commit")

    def update_student(self):
        self.step("PATCH /api/students/<id>/", "An update sends post_save with created=False: no second detail.")
        with self.watching("pre_save", "post_save"):
            response = self.client.patch(f"/api/students/{self.student.pk}/", {"age": 24})
        self.expect(response.status_code == 200, "200")
        self.expect(
            PersonalDetail.objects.filter(student=self.student).count() == 1, "still exactly one PersonalDetail"
        )

    def enroll(self):
        self.step(
            "Enroll in two courses",
            "m2m_changed fires before and after each add; our own student_enrolled signal is "
            "sent with send_robust() to a sync and an async receiver.",
        )
        with self.watching("m2m_changed", "student_enrolled"):
            for name in ("Mathematics", "Physics"):
                results = services.enroll(self.student, Course.objects.get(name=name))
        errors = [r for _, r in results if isinstance(r, Exception)]
        self.expect(
            len(results) >= 2 and not errors, f"{len(results)} receivers ran (the tour's printer too), none failed"
        )
        self.expect(self.student.courses.count() == 2, "the student is in both courses")

    def bulk_create(self):
        self.step(
            "Bulk-create three students (pitfall 1)",
            "bulk_create() sends no pre_save/post_save: no receiver runs, so no PersonalDetail.",
        )
        rows = [{"name": n, "age": 20, "mobileno": "555 0100"} for n in ("Ana", "Bo", "Cy")]
        with self.watching("pre_save", "post_save"):
            trapped = Student.objects.bulk_create(Student(**row) for row in rows)
        self.say("    (no signal printed above: that is the trap)")
        self.expect(not PersonalDetail.objects.filter(student__in=trapped).exists(), "no PersonalDetail for bulk rows")
        self.say("  QuerySet.delete() is different: Django loads the rows and does send delete signals.")
        with self.watching("pre_delete", "post_delete"):
            deleted, _ = Student.objects.filter(pk__in=[s.pk for s in trapped]).delete()
        self.expect(deleted == 3, "the three trapped rows are gone, each announced by pre_/post_delete")
        fixed = self.bulk_students = services.create_students_in_bulk(rows)
        self.expect(
            PersonalDetail.objects.filter(student__in=fixed).count() == 3,
            "the fix: services.create_students_in_bulk() bulk-creates the details too (2 INSERTs)",
        )

    def delete_student(self):
        self.step(
            "DELETE /api/students/<id>/", "pre_delete and post_delete fire for the student and, by cascade, its detail."
        )
        doomed = self.bulk_students[0]  # Ana, from the step above
        with self.watching("pre_delete", "post_delete"):
            response = self.client.delete(f"/api/students/{doomed.pk}/")
        self.expect(response.status_code == 204, "204")
        self.expect(not PersonalDetail.objects.filter(student_id=doomed.pk).exists(), "the PersonalDetail went too")

    def replace_picture(self):
        self.step(
            "PUT /api/students/<id>/picture/, twice (pitfall 6)",
            "Django never deletes a replaced file: pre_save reads the old name, post_save schedules "
            "its deletion for COMMIT. The stored picture is re-encoded without EXIF (no GPS).",
        )
        url = f"/api/students/{self.student.pk}/picture/"
        with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
            self.client.put(url, {"pic": phone_photo()}, format="multipart")
            first = Path(media, PersonalDetail.objects.get(student=self.student).pic.name)
            with self.watching("pre_save", "post_save"):
                response = self.client.put(url, {"pic": phone_photo()}, format="multipart")
            second = Path(media, PersonalDetail.objects.get(student=self.student).pic.name)
            self.expect(response.status_code == 200 and not first.exists(), "200; the replaced file is gone")
            self.expect(second.exists() and not has_gps(second), "the stored picture has no GPS in its EXIF")
            cleared = self.client.delete(url)
            self.expect(cleared.status_code == 204 and not second.exists(), "DELETE clears it: 204, file deleted")

    def log_in_and_out(self):
        self.step(
            "Log in: a forged POST, a wrong password, the right one; then log out",
            "Login checks CSRF (GET the login URL for the cookie). user_login_failed gets what was "
            "typed; our receiver records only that a login failed.",
        )
        password = secrets.token_urlsafe(16)  # never printed
        username = f"learner-{self.run_id}"
        with self.watching("post_save"):
            learner = get_user_model().objects.create_user(username, password=password)
        self.expect(Profile.objects.filter(user=learner).exists(), "post_save on AUTH_USER_MODEL made a Profile")
        learner.refresh_from_db()
        self.expect(not (learner.is_staff or learner.is_superuser), "and did NOT make the user staff or superuser")
        browser = Client(enforce_csrf_checks=True, REMOTE_ADDR=self.client_address())
        login = partial_post(browser, "/api/auth/login/")
        forged = login({"username": username, "password": password})  # what another site can send
        token = browser.get("/api/auth/login/").json()["csrftoken"]
        with self.watching("user_login_failed", "user_logged_in", "user_logged_out"):
            bad = login({"username": username, "password": "not-it"}, token)
            good = login({"username": username, "password": password}, token)
            out = browser.post("/api/auth/logout/")
        codes = (forged.status_code, bad.status_code, good.status_code, out.status_code)
        self.expect(codes == (403, 400, 200, 204), "403 without the CSRF token; 400, 200, 204 with it")

    def client_address(self):
        """The browser's own client network, an IPv6 /64 of the documentation range, new per
        run: the login throttle counts per /64 in the database, and the attempts of
        earlier runs must not add up to a 429 in this one."""
        return f"2001:db8:{self.run_id[:4]}:{self.run_id[4:]}::1"

    def on_commit_trap(self):
        self.step(
            "A rollback after an email (pitfall 2)",
            "Receivers run inside the transaction. A receiver that emails at once announces a "
            "student the rollback erased; transaction.on_commit() waits for COMMIT.",
        )
        model_signals.post_save.connect(pitfalls.notify_office_immediately, sender=Student, weak=False)
        mail.outbox = []
        try:
            with transaction.atomic():
                Student.objects.create(name="Ghost", age=30, mobileno="555 0199")
                transaction.set_rollback(True)
        finally:
            model_signals.post_save.disconnect(pitfalls.notify_office_immediately, sender=Student)
        subjects = [m.subject for m in mail.outbox]
        self.say(f"    emails sent: {subjects}")
        self.expect(not Student.objects.filter(name="Ghost").exists(), "the student was rolled back")
        self.expect(subjects == ["New student: Ghost"], "the immediate email went anyway; the on_commit one never did")

    def show_feed(self):
        self.step("GET /api/events/", "The activity feed our receivers wrote, newest first: staff only.")
        anonymous = self.client.get("/api/events/")
        self.expect(anonymous.status_code == 403, "403 for an anonymous caller")
        office = get_user_model().objects.create_user(f"office-{self.run_id}", is_staff=True)  # no password
        self.client.force_login(office)
        feed = self.client.get("/api/events/").json()
        for event in feed[:12]:
            self.say(f"    {event['created_at'][11:19]}  {event['summary'][:84]}")
        failed = Event.objects.filter(signal="user_login_failed").first()
        self.expect(failed and "learner" not in failed.summary, "the failed login is in it, not what was typed")
