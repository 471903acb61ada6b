"""Connecting, disconnecting and sending; the demo's own student_enrolled signal."""

import pytest
from asgiref.sync import async_to_sync
from django.db.models.signals import post_save

from activity.models import Event
from students import services
from students.models import Course, Student
from students.signals import student_enrolled

pytestmark = pytest.mark.django_db


@pytest.fixture
def student():
    return Student.objects.create(name="Ravi", age=23, mobileno="9876543210")


@pytest.fixture
def maths():
    return Course.objects.get(name="Mathematics")


def broken_receiver(sender, **kwargs):
    raise ValueError("receiver bug")


def test_receivers_are_connected_in_ready(student):
    # No import of students.receivers here: AppConfig.ready() connected them.
    assert student_enrolled.has_listeners(Student)
    assert post_save.has_listeners(Student)


def test_connect_with_a_sender_filters_and_disconnect_removes(student):
    seen = []

    def remember(sender, instance, **kwargs):
        seen.append(instance.name)

    post_save.connect(remember, sender=Course, weak=False, dispatch_uid="test.remember")
    try:
        Student.objects.create(name="Not a course", age=20, mobileno="123456")
        Course.objects.create(name="Art")
    finally:
        assert post_save.disconnect(sender=Course, dispatch_uid="test.remember") is True
    Course.objects.create(name="Music")
    assert seen == ["Art"]
    assert post_save.disconnect(sender=Course, dispatch_uid="test.remember") is False


def test_enroll_sends_student_enrolled_to_sync_and_async_receivers(student, maths, signal_recorder):
    with signal_recorder(student_enrolled, names={student_enrolled: "student_enrolled"}) as rec:
        results = services.enroll(student, maths)
    call = rec.assert_sent_once(student_enrolled, sender=Student)
    assert call.kwargs == {"student": student, "course": maths}
    assert all(not isinstance(result, Exception) for _, result in results)
    summaries = set(Event.objects.filter(signal="student_enrolled").values_list("summary", flat=True))
    assert summaries == {"student_enrolled 'Ravi' in 'Mathematics'", "async receiver welcomed 'Ravi' to 'Mathematics'"}
    assert list(student.courses.all()) == [maths]


def test_send_lets_a_failing_receiver_break_the_sender(student, maths):
    student_enrolled.connect(broken_receiver, dispatch_uid="test.broken")
    try:
        with pytest.raises(ValueError, match="receiver bug"):
            student_enrolled.send(sender=Student, student=student, course=maths)
    finally:
        student_enrolled.disconnect(dispatch_uid="test.broken")


def test_send_robust_returns_the_error_and_the_enrollment_stands(student, maths, caplog):
    student_enrolled.connect(broken_receiver, dispatch_uid="test.broken")
    try:
        results = services.enroll(student, maths)
    finally:
        student_enrolled.disconnect(dispatch_uid="test.broken")
    errors = [result for _, result in results if isinstance(result, Exception)]
    assert len(errors) == 1 and str(errors[0]) == "receiver bug"
    assert "receiver bug" in caplog.text
    assert student.courses.filter(pk=maths.pk).exists()
    assert Event.objects.filter(signal="student_enrolled").count() == 2  # the others still ran


def test_asend_awaits_async_receivers_and_runs_sync_ones(student, maths):
    # async_to_sync stands in for an async view here; aenroll() uses asend_robust().
    results = async_to_sync(services.aenroll)(student, maths)
    assert len(results) == 2 and not any(isinstance(r, Exception) for _, r in results)
    summaries = set(Event.objects.filter(signal="student_enrolled").values_list("summary", flat=True))
    assert summaries == {"student_enrolled 'Ravi' in 'Mathematics'", "async receiver welcomed 'Ravi' to 'Mathematics'"}
