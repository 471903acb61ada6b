"""Receivers for the model signals of Student, PersonalDetail and Student.courses,
for the demo's own ``student_enrolled`` signal, and for pre_/post_migrate.

Imported by StudentsConfig.ready(): every ``@receiver`` below connects at import time.
"""

import logging
import re
import unicodedata

from django.apps import apps as global_apps
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save, pre_delete, pre_init, pre_save
from django.dispatch import receiver
from django.template.loader import render_to_string

from activity.models import Event, record

from .models import Course, PersonalDetail, Student
from .signals import student_enrolled

logger = logging.getLogger("signals_demo")


def normalize_mobileno(number):
    """'+91 98765-43210' -> '+919876543210'; '９８' (fullwidth) or '٩٨' (Arabic-Indic) -> '98'.
    The validator's \\d accepts any script's decimal digits: store them as ASCII."""
    ascii_digits = "".join(str(unicodedata.decimal(char, char)) for char in number or "")
    return re.sub(r"[\s\-().]", "", ascii_digits)


def after_commit(func, *args):
    """Run ``func(*args)`` once the transaction commits, and never let it fail the request.

    By then the rows are committed: a side effect that fails (no SMTP server reachable, a
    file already gone) must not turn the response into a 500, or the client retries and
    saves everything twice. Logged on our logger instead. (Django 5.0's
    ``on_commit(robust=True)`` logs on ``django.db.backends.base``, which Django's default
    logging sends nowhere once DEBUG is off.)
    """

    def run():
        try:
            func(*args)
        except Exception:
            logger.exception("%s failed after COMMIT; what was committed stands", func.__name__)

    transaction.on_commit(run)


# --- instantiation ---------------------------------------------------------------------
@receiver(pre_init, sender=Student)
def log_student_init(sender, args, kwargs, **extra):
    # Sent at the start of Model.__init__, for every instance: objects.create(), every row
    # a query loads, every Student(...) you build. Keep it cheap; never write to the database.
    # `kwargs` is the very dict __init__ consumes next: read it now, don't keep it.
    logger.debug("pre_init Student args=%r kwargs=%r", args, sorted(kwargs))


@receiver(post_init, sender=Student)
def remember_loaded_mobileno(sender, instance, **kwargs):
    # post_init is the hook for "what did this row hold when it was loaded?", used below
    # to detect a changed number. __dict__ avoids a query when the field was deferred.
    instance._loaded_mobileno = instance.__dict__.get("mobileno")


# --- saving ----------------------------------------------------------------------------
@receiver(pre_save, sender=Student)
def normalize_and_track_mobileno(sender, instance, raw=False, update_fields=None, **kwargs):
    # Changing a field in pre_save costs nothing: the save that is already under way
    # writes it. (Doing it in post_save needs a second save(): pitfall 5.)
    if raw:  # loaddata writes rows exactly as the fixture holds them
        return
    instance.mobileno = normalize_mobileno(instance.mobileno)
    loaded = getattr(instance, "_loaded_mobileno", None)
    if instance.pk and loaded is not None and loaded != instance.mobileno:
        record("pre_save", sender, f"pre_save Student {instance.name!r}: mobileno changed")


@receiver(post_save, sender=Student)
def create_personal_detail(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw:
        # loaddata: the fixture brings its own PersonalDetail rows; creating one here
        # would collide with them (pitfall 5b).
        return
    fields = f" update_fields={sorted(update_fields)}" if update_fields else ""
    record("post_save", sender, f"post_save Student {instance.name!r} created={created}{fields}")
    if created:  # updates must never create a second PersonalDetail
        PersonalDetail.objects.create(student=instance)
        # Side effects wait for COMMIT: if the surrounding transaction rolls back, no
        # email announces a student that does not exist (pitfall 2).
        after_commit(notify_office, instance.pk, instance.name)


@receiver(post_save, sender=Student)
def remember_saved_mobileno(sender, instance, **kwargs):
    # The row now holds this number: the next change is measured from here.
    instance._loaded_mobileno = instance.mobileno


def notify_office(student_pk, name):
    body = render_to_string("students/new_student_email.txt", {"student_pk": student_pk, "name": name})
    send_mail(f"New student: {name}", body, None, [settings.SCHOOL_OFFICE_EMAIL])


# --- deleting --------------------------------------------------------------------------
@receiver(pre_delete, sender=Student)
def announce_student_delete(sender, instance, **kwargs):
    # pre_delete still sees the row and its relations (the PersonalDetail is deleted next).
    record("pre_delete", sender, f"pre_delete Student {instance.name!r} (pk={instance.pk})")


@receiver(post_delete, sender=Student)
def record_student_deleted(sender, instance, **kwargs):
    # The row is gone but the instance keeps its field values (and its old pk).
    record("post_delete", sender, f"post_delete Student {instance.name!r}")


@receiver(post_delete, sender=PersonalDetail)
def delete_picture_file(sender, instance, **kwargs):
    # Deleting a row never deletes its uploaded file. Do it after COMMIT, so a rolled
    # back delete does not leave a row pointing at a missing file.
    if instance.pic:
        storage, name = instance.pic.storage, instance.pic.name
        after_commit(storage.delete, name)


# --- replacing a file: pre_save remembers, post_save schedules, COMMIT deletes (pitfall 6) ---
@receiver(pre_save, sender=PersonalDetail)
def remember_replaced_picture(sender, instance, using, raw=False, update_fields=None, **kwargs):
    # Saving a new picture (or none) never deletes the old file. pre_save is the last
    # moment the row still names it: read it now, delete it once the change is committed.
    instance._replaced_picture = None
    if raw or instance.pk is None or (update_fields is not None and "pic" not in update_fields):
        return
    row = sender._base_manager.using(using).filter(pk=instance.pk)
    if transaction.get_connection(using).in_atomic_block:
        row = row.select_for_update()  # a concurrent replacement waits, then sees our file
    old_name = row.values_list("pic", flat=True).first()
    if old_name and old_name != instance.pic.name:
        instance._replaced_picture = old_name


@receiver(post_save, sender=PersonalDetail)
def delete_replaced_picture(sender, instance, **kwargs):
    # Scheduled here, not in pre_save: outside a transaction on_commit() runs at once, and
    # the UPDATE has not happened yet in pre_save. A rollback drops the callback: the
    # restored row still finds its file.
    old_name, instance._replaced_picture = getattr(instance, "_replaced_picture", None), None
    if old_name:
        after_commit(instance.pic.storage.delete, old_name)


# --- many-to-many ----------------------------------------------------------------------
@receiver(m2m_changed, sender=Student.courses.through)
def record_course_change(sender, instance, action, reverse, model, pk_set, **kwargs):
    # Sent 2x per change: pre_/post_ add, remove or clear. reverse=True when the change
    # came from the Course side (course.students.add(...)); pk_set holds the *other*
    # side's keys (None for clear).
    if action.startswith("post_"):
        keys = sorted(pk_set) if pk_set else []
        record(
            "m2m_changed",
            type(instance),
            f"m2m_changed {action} {type(instance).__name__} {instance} reverse={reverse} pk_set={keys}",
        )


@receiver([post_save, post_delete], sender=Course)
def record_course_catalogue_change(sender, instance, **kwargs):
    # One receiver, a list of signals: kwargs["signal"] tells which one fired.
    # (post_delete sends no `created`, hence **kwargs rather than a named argument.)
    name = "post_save" if kwargs["signal"] is post_save else "post_delete"
    record(name, sender, f"{name} Course {instance.name!r}: the course catalogue changed")


# --- the demo's own signal -------------------------------------------------------------
@receiver(student_enrolled, dispatch_uid="students.record_enrollment")
def record_enrollment(sender, student, course, **kwargs):
    record("student_enrolled", sender, f"student_enrolled {student.name!r} in {course.name!r}")


@receiver(student_enrolled, dispatch_uid="students.welcome_enrollment")
async def welcome_enrollment(sender, student, course, **kwargs):
    # An async receiver (Django 5.0+). Signal.asend() awaits it directly; Signal.send()
    # runs it through async_to_sync. Use the async ORM API (acreate) in here.
    await Event.objects.acreate(
        signal="student_enrolled",
        sender=sender.__name__,
        summary=f"async receiver welcomed {student.name!r} to {course.name!r}",
    )


# --- management: connected in StudentsConfig.ready() with sender=<this app config> ------
def announce_migrate(sender, app_config, verbosity, plan=None, **kwargs):
    logger.debug("pre_migrate for %s: %d migration(s) to apply", app_config.label, len(plan or []))


def create_default_courses(sender, app_config, using, apps=global_apps, **kwargs):
    # `apps` is the migration state: use its historical model, never the import above,
    # and write to the database being migrated (`using`). `flush` sends post_migrate
    # without `apps`, hence the default.
    try:
        course_model = apps.get_model("students", "Course")
    except LookupError:  # migrated backwards past the Course table
        return
    for name in ("Mathematics", "Physics", "Literature"):
        course_model.objects.using(using).get_or_create(name=name)
