"""Behaviour checks for the exercises (`python -m demos exercise list`) whose trap no other
test catches in the demo's real code: the tour's signal printers, and a replaced picture."""

import gc
from io import StringIO

import pytest
from django.core.files.base import ContentFile

from students.management.commands.tour import Command
from students.models import Student

from .pictures import photo

pytestmark = pytest.mark.django_db


def tour_command():
    out = StringIO()
    command = Command(stdout=out)
    command.shown_senders = {Student}
    return command, out


def printed_sends(out):
    return out.getvalue().count("signal: post_save(Student)")


def test_tour_printer_prints_each_send_while_watching():
    command, out = tour_command()
    with command.watching("post_save"):
        gc.collect()  # a printer only weakly referenced is gone now
        Student.objects.create(name="Watched", age=20, mobileno="123456")
    assert printed_sends(out) == 1


def test_tour_printers_are_gone_after_watching():
    # Never more than one line per send, and none once the block is over: a printer left
    # connected by one `watching()` prints again in every later one.
    command, out = tour_command()
    for round_number in range(2):
        before = printed_sends(out)
        with command.watching("post_save"):
            Student.objects.create(name=f"Round {round_number}", age=20, mobileno="123456")
        printed = printed_sends(out) - before
        assert printed <= 1, f"one save printed {printed} times: an earlier watching()'s printer is still connected"
    before = printed_sends(out)
    Student.objects.create(name="Unwatched", age=20, mobileno="123456")
    assert printed_sends(out) == before, "a save printed after watching() ended: its printer is still connected"


def test_a_replaced_picture_file_is_deleted_once_committed(settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    detail = Student.objects.create(name="Ravi", age=23, mobileno="123456").personal_detail
    detail.pic.save("first.jpg", ContentFile(photo()), save=True)
    old_name = detail.pic.name
    with django_capture_on_commit_callbacks(execute=True):
        detail.pic.save("second.png", ContentFile(photo("PNG")), save=True)
    # Django itself never deletes it:
    assert not (tmp_path / old_name).exists(), "the replaced picture is still on disk after the commit"
    assert (tmp_path / detail.pic.name).exists(), "the new picture is not on disk"
