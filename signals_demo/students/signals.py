"""The demo's own signal. Senders pass ``student`` and ``course``."""

from django.dispatch import Signal

# Sent by students.services.enroll() after a student joins a course.
student_enrolled = Signal()
