"""What the API and the tour call. Signals are a tool, not a place to hide the flow:
where a step must happen, call it here explicitly."""

import logging

from django.db import transaction

from .models import PersonalDetail, Student
from .receivers import normalize_mobileno
from .signals import student_enrolled

logger = logging.getLogger("signals_demo")


def enroll(student, course):
    """Add ``student`` to ``course`` and tell whoever listens (student_enrolled).

    send_robust(): a failing receiver is logged and the others still run; the
    enrollment stands. With send(), the first exception would reach our caller.
    """
    student.courses.add(course)  # m2m_changed: pre_add, post_add
    results = student_enrolled.send_robust(sender=Student, student=student, course=course)
    for receiver, result in results:
        if isinstance(result, Exception):
            logger.error("student_enrolled receiver %r failed: %r", receiver, result)
    return results


async def aenroll(student, course):
    """The async flavour: asend() awaits async receivers, runs sync ones in a thread."""
    await student.courses.aadd(course)
    return await student_enrolled.asend_robust(sender=Student, student=student, course=course)


@transaction.atomic
def create_students_in_bulk(rows):
    """The fix for pitfall 1: bulk_create() sends no pre_save/post_save, so do here,
    in bulk, what the receivers would have done for each row. Two INSERTs in all."""
    students = Student.objects.bulk_create(
        Student(name=row["name"], age=row["age"], mobileno=normalize_mobileno(row["mobileno"])) for row in rows
    )
    PersonalDetail.objects.bulk_create(PersonalDetail(student=student) for student in students)
    return students


def personal_detail_of(student):
    """The student's PersonalDetail, created now if the row has none: bulk_create() and
    loaddata send no post_save (pitfall 1), so create_personal_detail never ran for them."""
    try:
        return student.personal_detail  # the one select_related() loaded, if any
    except PersonalDetail.DoesNotExist:
        detail, _ = PersonalDetail.objects.get_or_create(student=student)  # a concurrent request may win
        student.personal_detail = detail  # replaces the cached "none"
        return detail
