"""Model signals: when each fires, and with which arguments."""

import logging

import pytest
from django.core.management import call_command
from django.db import models
from django.db.models.signals import (
    class_prepared,
    m2m_changed,
    post_delete,
    post_init,
    post_save,
    pre_delete,
    pre_init,
    pre_save,
)
from django.test.utils import isolate_apps

from activity.models import Event
from activity.prepared import PREPARED_MODELS
from students.models import Course, PersonalDetail, Student

pytestmark = pytest.mark.django_db

MODEL_SIGNALS = (pre_init, post_init, pre_save, post_save, pre_delete, post_delete)


def make_student(**fields):
    fields = {"name": "Ravi", "age": 23, "mobileno": "+91 98765 43210", **fields}
    return Student.objects.create(**fields)


def test_create_sends_init_then_save_signals_in_order(signal_recorder, caplog):
    with signal_recorder(*MODEL_SIGNALS) as rec, caplog.at_level(logging.DEBUG, "signals_demo"):
        student = make_student()
    student_calls = [c.name for c in rec.calls if c.sender is Student]
    assert student_calls == ["pre_init", "post_init", "pre_save", "post_save"]
    pre_init_call = rec.assert_sent_once(pre_init, sender=Student)
    assert pre_init_call.kwargs["args"] == ()
    # Our receiver logged the keyword names at send time. (Model.__init__ consumes that
    # very dict afterwards, so a receiver that keeps it finds it emptied.)
    assert "pre_init Student args=() kwargs=['age', 'mobileno', 'name']" in caplog.text
    assert pre_init_call.kwargs["kwargs"] == {}
    post = rec.assert_sent_once(post_save, sender=Student, created=True, raw=False, update_fields=None)
    assert post.kwargs["instance"] is student
    # The receiver's PersonalDetail went through the same signals with its own sender.
    rec.assert_sent_once(post_save, sender=PersonalDetail, created=True)


def test_post_save_creates_exactly_one_personal_detail():
    student = make_student()
    assert PersonalDetail.objects.filter(student=student).count() == 1
    student.age = 24
    student.save()
    student.save(update_fields=["age"])
    assert PersonalDetail.objects.filter(student=student).count() == 1


def test_update_sends_post_save_with_created_false_and_update_fields(signal_recorder):
    student = make_student()
    with signal_recorder(post_save) as rec:
        student.age = 30
        student.save(update_fields=["age"])
    call = rec.assert_sent_once(post_save, sender=Student, created=False)
    assert call.kwargs["update_fields"] == frozenset({"age"})
    assert Event.objects.filter(summary__contains="update_fields=['age']").exists()


def test_loading_rows_from_the_database_sends_init_signals_per_row(signal_recorder):
    make_student(name="A")
    make_student(name="B")
    with signal_recorder(pre_init, post_init) as rec:
        loaded = list(Student.objects.all())
    assert rec.count(post_init, sender=Student) == len(loaded) == 2


def test_post_init_remembers_the_loaded_value_so_pre_save_can_spot_a_change():
    student = make_student()
    same = Student.objects.get(pk=student.pk)
    same.mobileno = "+91 11111 22222"
    same.save()
    assert Event.objects.filter(summary__endswith="mobileno changed").count() == 1
    same.age = 40  # an unrelated change is not reported
    same.save()
    assert Event.objects.filter(summary__endswith="mobileno changed").count() == 1


def test_pre_save_normalizes_the_number_inside_the_same_save(count_queries):
    with count_queries() as q:
        student = make_student(mobileno="+44 (20) 7946-0958")
    assert student.mobileno == "+442079460958"
    assert len(q.matching("UPDATE")) == 0  # no second save needed


def test_delete_sends_pre_and_post_delete_and_cascades(signal_recorder):
    student = make_student()
    detail_pk = student.personal_detail.pk
    with signal_recorder(pre_delete, post_delete) as rec:
        student.delete()
    assert rec.names() == ["pre_delete", "pre_delete", "post_delete", "post_delete"]
    rec.assert_sent_once(pre_delete, sender=Student)
    rec.assert_sent_once(post_delete, sender=PersonalDetail)
    assert not PersonalDetail.objects.filter(pk=detail_pk).exists()
    summaries = list(Event.objects.values_list("summary", flat=True))
    assert any(s.startswith("pre_delete Student 'Ravi'") for s in summaries)
    assert "post_delete Student 'Ravi'" in summaries


def test_m2m_changed_reports_every_action_with_pk_set(signal_recorder):
    student = make_student()
    maths, physics = Course.objects.get(name="Mathematics"), Course.objects.get(name="Physics")
    with signal_recorder(m2m_changed) as rec:
        student.courses.add(maths, physics)
        student.courses.remove(physics)
        student.courses.clear()
    actions = [c.kwargs["action"] for c in rec.calls]
    assert actions == ["pre_add", "post_add", "pre_remove", "post_remove", "pre_clear", "post_clear"]
    add = rec.calls[1].kwargs
    assert add["pk_set"] == {maths.pk, physics.pk}
    assert add["reverse"] is False and add["model"] is Course
    assert rec.calls[3].kwargs["pk_set"] == {physics.pk}
    assert rec.calls[5].kwargs["pk_set"] is None  # clear() does not say what it removed
    assert all(c.sender is Student.courses.through for c in rec.calls)


def test_m2m_changed_from_the_other_side_is_reverse(signal_recorder):
    student = make_student()
    literature = Course.objects.get(name="Literature")
    with signal_recorder(m2m_changed) as rec:
        literature.students.add(student)
    call = rec.assert_sent_once(m2m_changed, action="post_add")
    assert call.kwargs["reverse"] is True
    assert call.kwargs["instance"] == literature
    assert call.kwargs["model"] is Student and call.kwargs["pk_set"] == {student.pk}
    assert Event.objects.filter(summary__contains="reverse=True").exists()


def test_one_receiver_for_a_list_of_signals():
    course = Course.objects.create(name="Chemistry")
    course.delete()
    summaries = list(Event.objects.filter(sender="Course").values_list("summary", flat=True))
    assert summaries == [
        "post_delete Course 'Chemistry': the course catalogue changed",
        "post_save Course 'Chemistry': the course catalogue changed",
    ]


def test_raw_is_true_while_loaddata_restores_rows(signal_recorder):
    with signal_recorder(post_save) as rec:
        call_command("loaddata", "sample_students", verbosity=0)
    assert rec.count(post_save, sender=Student, raw=True) == 2
    # The receiver honoured raw: the fixture's own PersonalDetail rows, nothing more.
    assert PersonalDetail.objects.filter(student_id__in=[101, 102]).count() == 2
    assert PersonalDetail.objects.get(student_id=101).address == "12 Park Road"


def test_class_prepared_fires_for_every_model_as_it_is_built(signal_recorder):
    # Our receiver was connected before the models were loaded (activity/apps.py).
    assert "students.Student" in PREPARED_MODELS
    assert PREPARED_MODELS.index("students.Course") < PREPARED_MODELS.index("students.Student")
    # A receiver connected now only sees classes built from now on.
    with signal_recorder(class_prepared) as rec, isolate_apps("students"):

        class Locker(models.Model):
            number = models.IntegerField()

            class Meta:
                app_label = "students"

    call = rec.assert_sent_once(class_prepared)
    assert call.sender is Locker
    assert [c.sender for c in rec.calls if c.sender is Student] == []


def test_post_delete_removes_the_uploaded_picture_only_after_commit(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    from django.core.files.base import ContentFile

    from .pictures import photo

    settings.MEDIA_ROOT = tmp_path
    student = make_student()
    student.personal_detail.pic.save("ravi.png", ContentFile(photo("PNG")), save=True)
    path = tmp_path / student.personal_detail.pic.name
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        student.delete()
    assert path.exists()  # still there until COMMIT
    for callback in callbacks:
        callback()
    assert not path.exists()
