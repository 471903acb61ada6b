"""The six classic signal traps: each shown happening (trap) and avoided (fix)."""

import gc

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from accounts.models import Profile
from accounts.pitfalls import make_every_user_superuser
from students import pitfalls, services
from students.models import PersonalDetail, Student

from .pictures import photo

pytestmark = pytest.mark.django_db
ROWS = [{"name": f"Bulk {n}", "age": 20 + n, "mobileno": f"+1 555 000 {n:04d}"} for n in range(3)]


@pytest.fixture
def connected():
    """connected(signal, receiver, **connect_kwargs) for the duration of one test."""
    made = []

    def connect(signal, receiver, **kwargs):
        signal.connect(receiver, weak=False, **kwargs)
        made.append((signal, receiver, kwargs.get("sender")))

    yield connect
    for signal, receiver, sender in made:
        signal.disconnect(receiver, sender=sender)


# --- 1. bulk operations skip save signals -----------------------------------------------
def test_pitfall_1_bulk_operations_send_no_save_signals_trap(signal_recorder):
    with signal_recorder(pre_save, post_save) as rec:
        students = Student.objects.bulk_create(Student(**row) for row in ROWS)
        for student in students:
            student.age += 1
        Student.objects.bulk_update(students, ["age"])
        Student.objects.filter(name__startswith="Bulk").update(age=40)
    assert rec.calls == []
    assert PersonalDetail.objects.filter(student__in=students).count() == 0  # no receiver ran
    assert students[0].mobileno == "+1 555 000 0000"  # nor did the pre_save normalizer


def test_pitfall_1_queryset_delete_does_send_delete_signals(signal_recorder):
    services.create_students_in_bulk(ROWS)
    with signal_recorder(pre_delete, post_delete) as rec:
        Student.objects.filter(name__startswith="Bulk").delete()
    # Django loads the rows to send them: 3 students and their 3 details.
    assert rec.count(pre_delete, sender=Student) == rec.count(post_delete, sender=Student) == 3
    assert rec.count(post_delete, sender=PersonalDetail) == 3


def test_pitfall_1_bulk_operations_send_no_save_signals_fix(count_queries):
    with count_queries() as q:
        students = services.create_students_in_bulk(ROWS)
    assert PersonalDetail.objects.filter(student__in=students).count() == 3
    assert [s.mobileno for s in students] == ["+15550000000", "+15550000001", "+15550000002"]
    assert len(q.matching("INSERT INTO")) == 2  # one per table, however many rows


# --- 2. side effects inside the transaction -----------------------------------------------
def test_pitfall_2_side_effect_survives_rollback_trap(connected, mailoutbox):
    connected(post_save, pitfalls.notify_office_immediately, sender=Student)
    with pytest.raises(RuntimeError), transaction.atomic():
        Student.objects.create(name="Ghost", age=20, mobileno="123456")
        raise RuntimeError("payment failed: roll back")
    assert not Student.objects.filter(name="Ghost").exists()
    assert [m.subject for m in mailoutbox] == ["New student: Ghost"]  # announced a student who isn't there


def test_pitfall_2_side_effect_survives_rollback_fix(django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            Student.objects.create(name="Ghost", age=20, mobileno="123456")
            raise RuntimeError("payment failed: roll back")
    # The on_commit callback was discarded with the rollback:
    assert mailoutbox == [], f"a rolled-back student was announced: {[m.subject for m in mailoutbox]}"
    assert callbacks == []
    with django_capture_on_commit_callbacks(execute=True):
        Student.objects.create(name="Real", age=20, mobileno="123456")
    assert [m.subject for m in mailoutbox] == ["New student: Real"]


# --- 3. duplicate registration -------------------------------------------------------------
def test_pitfall_3_duplicate_registration_runs_twice_trap():
    counted = []
    receivers = [pitfalls.connect_office_counter(counted) for _ in range(2)]  # e.g. ready() twice
    try:
        student = Student.objects.create(name="Twice", age=20, mobileno="123456")
    finally:
        for receiver in receivers:
            post_save.disconnect(receiver, sender=Student)
    assert counted == [student.pk, student.pk]


def test_pitfall_3_duplicate_registration_runs_twice_fix():
    counted = []
    for _ in range(2):
        pitfalls.connect_office_counter(counted, dispatch_uid="office-counter")
    try:
        student = Student.objects.create(name="Once", age=20, mobileno="123456")
    finally:
        post_save.disconnect(sender=Student, dispatch_uid="office-counter")
    assert counted == [student.pk]


# --- 4. weak references to local receivers -------------------------------------------------
def test_pitfall_4_local_receiver_is_garbage_collected_trap():
    seen = []
    pitfalls.connect_local_receiver(seen)  # weak=True, the default
    gc.collect()
    Student.objects.create(name="Unseen", age=20, mobileno="123456")
    assert seen == []  # no error, no warning: it simply stopped firing


def test_pitfall_4_local_receiver_is_garbage_collected_fix():
    seen = []
    pitfalls.connect_local_receiver(seen, weak=False, dispatch_uid="local-receiver")
    try:
        gc.collect()
        Student.objects.create(name="Seen", age=20, mobileno="123456")
    finally:
        post_save.disconnect(sender=Student, dispatch_uid="local-receiver")
    assert seen == ["Seen"]


# --- 5. save() inside post_save, and raw=True --------------------------------------------
def test_pitfall_5_save_inside_post_save_re_enters_trap(connected, signal_recorder):
    connected(post_save, pitfalls.capitalise_after_save, sender=Student)
    with signal_recorder(post_save) as rec:
        Student.objects.create(name="ravi kumar", age=20, mobileno="123456")
    sends = [c.kwargs["created"] for c in rec.filter(post_save, sender=Student)]
    # One create, two post_save sends, so every receiver ran twice. The recorder is the
    # last receiver, so it sees the nested send (created=False) finish *inside* the first.
    assert sends == [False, True]


def test_pitfall_5_save_inside_post_save_re_enters_fix(signal_recorder):
    # Compute values in pre_save (as normalize_and_track_mobileno does): one save, one send.
    with signal_recorder(post_save) as rec:
        student = Student.objects.create(name="ravi", age=20, mobileno="98 76 54")
    rec.assert_sent_once(post_save, sender=Student)
    assert student.mobileno == "987654"


def test_pitfall_5_the_tutorials_superuser_receiver_trap(connected, user_factory):
    connected(post_save, make_every_user_superuser, sender=get_user_model())
    newcomer = user_factory()
    newcomer.refresh_from_db()
    assert newcomer.is_superuser and newcomer.is_staff  # every sign-up is an admin


def test_pitfall_5_the_tutorials_superuser_receiver_fix(user_factory):
    newcomer = user_factory()
    newcomer.refresh_from_db()
    assert not newcomer.is_superuser and not newcomer.is_staff
    assert Profile.objects.filter(user=newcomer).count() == 1


def test_pitfall_5_receiver_ignoring_raw_breaks_loaddata_trap(connected):
    connected(post_save, pitfalls.create_detail_ignoring_raw, sender=Student)
    with pytest.raises(IntegrityError):
        call_command("loaddata", "sample_students", verbosity=0)


def test_pitfall_5_receiver_ignoring_raw_breaks_loaddata_fix():
    call_command("loaddata", "sample_students", verbosity=0)
    assert PersonalDetail.objects.filter(student_id__in=[101, 102]).count() == 2


# --- 6. a replaced file: left on disk, or deleted before COMMIT ------------------------------
@pytest.fixture
def pictured(settings, tmp_path):
    """A student's detail with a stored picture, files under tmp_path."""
    settings.MEDIA_ROOT = tmp_path
    detail = Student.objects.create(name="Ravi", age=23, mobileno="123456").personal_detail
    detail.pic.save("first.jpg", ContentFile(photo()), save=True)
    return detail, ContentFile(photo("PNG"))


def test_pitfall_6_replaced_file_deleted_before_commit_trap(connected, pictured, tmp_path):
    detail, replacement = pictured
    old_name = detail.pic.name
    connected(pre_save, pitfalls.delete_replaced_picture_at_once, sender=PersonalDetail)
    with pytest.raises(RuntimeError), transaction.atomic():
        detail.pic.save("second.png", replacement, save=True)
        raise RuntimeError("something later failed: roll back")
    assert PersonalDetail.objects.get(pk=detail.pk).pic.name == old_name  # the row names the old file...
    assert not (tmp_path / old_name).exists()  # ...which is gone: a broken picture


def test_pitfall_6_replaced_file_deleted_before_commit_fix(pictured, tmp_path, django_capture_on_commit_callbacks):
    # remember_replaced_picture (pre_save) + delete_replaced_picture (post_save, on_commit).
    detail, replacement = pictured
    old_name = detail.pic.name
    with pytest.raises(RuntimeError), transaction.atomic():
        detail.pic.save("second.png", replacement, save=True)
        raise RuntimeError("something later failed: roll back")
    assert (tmp_path / old_name).exists(), "rolled back, the row names the old file, which was deleted"
    detail.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        detail.pic.save("second.png", replacement, save=True)
    assert not (tmp_path / old_name).exists()  # committed: deleted, not left on disk
    assert (tmp_path / detail.pic.name).exists()
