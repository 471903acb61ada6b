"""Student pictures: stored without metadata, bounded, old files deleted after COMMIT,
served under /media/ in development."""

import io
import threading
import urllib.request

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections, transaction
from django.db.models.signals import pre_save
from PIL import Image

from demo_harness.server import serve_demo
from students.models import PersonalDetail, Student

from .pictures import MAKER, damaged_after_the_header, has_location, phone_mpo, photo, size_of

pytestmark = pytest.mark.django_db
CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def detail():
    return Student.objects.create(name="Ravi", age=23, mobileno="123456").personal_detail


def upload(api_client, student_id, data, image_format="JPEG", name="IMG_at_home.jpg"):
    file = SimpleUploadedFile(name, data, content_type=CONTENT_TYPES.get(image_format, "image/gif"))
    return api_client.put(f"/api/students/{student_id}/picture/", {"pic": file}, format="multipart")


def stored(detail):
    detail.refresh_from_db()
    with detail.pic.open("rb") as file:
        return file.read()


# --- stored without metadata ---------------------------------------------------------------
@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP"])
def test_uploaded_picture_is_stored_without_exif_gps_or_device(api_client, media, detail, image_format):
    original = photo(image_format)
    assert has_location(original) and MAKER.encode() in original  # the test photo does carry them
    response = upload(api_client, detail.student_id, original, image_format)
    assert response.status_code == 200, response.content
    data = stored(detail)
    assert not has_location(data) and MAKER.encode() not in data
    assert size_of(data) == (64, 48)
    assert "IMG_at_home" not in detail.pic.name  # a random name, not the uploaded one
    assert response.json()["pic"].endswith(detail.pic.name)


def test_picture_saved_from_code_is_stripped_too(media, detail):
    detail.pic.save("from-a-shell.jpg", ContentFile(photo()), save=True)
    assert not has_location(stored(detail))


def test_orientation_is_applied_before_the_exif_goes(media, detail):
    # Orientation 6: "rotate 90° to display". Without EXIF, the pixels must already be upright.
    detail.pic.save("sideways.jpg", ContentFile(photo(size=(40, 20), orientation=6)), save=True)
    assert size_of(stored(detail)) == (20, 40)


# --- bounded ---------------------------------------------------------------------------------
def test_upload_over_the_byte_limit_is_400_naming_pic_before_it_is_parsed(api_client, media, detail, settings):
    settings.STUDENT_PICTURE_MAX_BYTES = 1000
    response = upload(api_client, detail.student_id, b"\xff" * 200_000)
    assert response.status_code == 400
    assert "at most 1,000 bytes" in response.json()["pic"][0]
    assert not any(media.rglob("*.*"))


def test_file_just_over_the_byte_limit_is_400_naming_pic(api_client, media, detail, settings):
    data = photo()
    settings.STUDENT_PICTURE_MAX_BYTES = len(data) - 1  # within the multipart allowance
    response = upload(api_client, detail.student_id, data)
    assert response.status_code == 400
    assert "at most" in response.json()["pic"][0]


def test_picture_with_too_many_pixels_is_400_naming_pic(api_client, media, detail, settings):
    settings.STUDENT_PICTURE_MAX_PIXELS = 1000
    response = upload(api_client, detail.student_id, photo(size=(64, 48)))
    assert response.status_code == 400
    assert response.json()["pic"] == ["The picture is 64x48 pixels; at most 1,000 pixels are accepted."]


@pytest.mark.parametrize("data", [b"not a picture at all", photo("GIF"), b""], ids=["text", "gif", "empty"])
def test_what_is_not_a_jpeg_png_or_webp_is_400_naming_pic(api_client, media, detail, data):
    response = upload(api_client, detail.student_id, data, "GIF", name="x.gif")
    assert response.status_code == 400
    assert "pic" in response.json()
    detail.refresh_from_db()
    assert not detail.pic


@pytest.mark.parametrize("name", sorted(damaged_after_the_header()))
def test_picture_damaged_after_its_header_is_400_naming_pic_and_stores_nothing(api_client, media, detail, name):
    # The header alone looks fine; only decoding every pixel finds the damage. That must
    # happen while validating (a 400), not while saving the row (a 500).
    data = damaged_after_the_header()[name]
    response = upload(api_client, detail.student_id, data, "PNG", name="x.png")
    assert response.status_code == 400, response.content
    assert "pic" in response.json()
    detail.refresh_from_db()
    assert not detail.pic and not any(media.rglob("*.*"))


def test_phone_jpeg_with_a_second_picture_mpo_is_stored_as_a_plain_jpeg_without_gps(api_client, media, detail):
    original = phone_mpo()
    assert has_location(original)
    response = upload(api_client, detail.student_id, original)
    assert response.status_code == 200, response.content
    data = stored(detail)
    assert detail.pic.name.endswith(".jpg") and not has_location(data)
    with Image.open(io.BytesIO(data)) as image:
        assert (image.format, image.size) == ("JPEG", (64, 48))


def test_picture_without_a_file_is_400_naming_pic(api_client, detail):
    response = api_client.put(f"/api/students/{detail.student_id}/picture/", {}, format="multipart")
    assert response.status_code == 400 and "pic" in response.json()


# --- replaced and cleared files are deleted after COMMIT -------------------------------------
def test_replaced_picture_file_is_gone_after_commit(api_client, media, detail, django_capture_on_commit_callbacks):
    assert upload(api_client, detail.student_id, photo()).status_code == 200
    detail.refresh_from_db()
    first = media / detail.pic.name
    with django_capture_on_commit_callbacks(execute=True):
        assert upload(api_client, detail.student_id, photo("PNG"), "PNG").status_code == 200
    assert not first.exists()
    detail.refresh_from_db()
    assert (media / detail.pic.name).exists()


def test_cleared_picture_file_is_gone_after_commit(api_client, media, detail, django_capture_on_commit_callbacks):
    detail.pic.save("one.jpg", ContentFile(photo()), save=True)
    path = media / detail.pic.name
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.delete(f"/api/students/{detail.student_id}/picture/")
    assert response.status_code == 204
    assert not path.exists()
    detail.refresh_from_db()
    assert not detail.pic


def test_replaced_picture_file_is_kept_when_the_transaction_rolls_back(
    media, detail, django_capture_on_commit_callbacks
):
    detail.pic.save("one.jpg", ContentFile(photo()), save=True)
    old_name = detail.pic.name
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        detail.pic.save("two.jpg", ContentFile(photo()), save=True)
        transaction.set_rollback(True)
    assert callbacks == []  # the rollback dropped the deletion
    assert PersonalDetail.objects.get(pk=detail.pk).pic.name == old_name
    assert (media / old_name).exists()


def test_a_picture_saved_in_a_rolled_back_transaction_is_an_orphan_until_the_sweep(media, detail):
    """The storage is not in the transaction: the rollback keeps the file the save wrote."""
    from django.core.management import call_command

    detail.pic.save("one.jpg", ContentFile(photo()), save=True)
    with transaction.atomic():
        detail.pic.save("two.jpg", ContentFile(photo()), save=True)
        orphan = media / detail.pic.name
        transaction.set_rollback(True)  # as a receiver that raises would make it
    kept = media / PersonalDetail.objects.get(pk=detail.pk).pic.name
    assert orphan.exists() and orphan != kept  # the harm: a file no row names
    out = io.StringIO()
    call_command("delete_orphan_pictures", "--older-than", "0", stdout=out)
    assert out.getvalue().strip() == "deleted 1 orphan picture(s)"
    assert not orphan.exists() and kept.exists()


def test_the_sweep_keeps_a_fresh_upload_whose_row_may_not_be_committed_yet(media, detail):
    from django.core.management import call_command

    (media / "students").mkdir()
    in_flight = media / "students" / "written-not-yet-committed.jpg"
    in_flight.write_bytes(photo())
    out = io.StringIO()
    call_command("delete_orphan_pictures", stdout=out)  # the default: files over 60 minutes old
    assert out.getvalue().strip() == "deleted 0 orphan picture(s)"
    assert in_flight.exists()
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="0 or more"):  # a cutoff in the future: refused
        call_command("delete_orphan_pictures", "--older-than", "-5")
    assert in_flight.exists()


def test_saving_other_fields_keeps_the_picture(media, detail, django_capture_on_commit_callbacks):
    detail.pic.save("one.jpg", ContentFile(photo()), save=True)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        detail.address = "12 Park Road"
        detail.save()
        detail.save(update_fields=["address"])
    assert callbacks == [] and (media / detail.pic.name).exists()


# --- served in development ---------------------------------------------------------------------
def test_media_url_answers_200_under_debug_runserver(demo_dir, tmp_path):
    (tmp_path / "students").mkdir()
    (tmp_path / "students" / "ravi.png").write_bytes(photo("PNG"))
    with serve_demo(demo_dir, server="runserver", env={"DJANGO_MEDIA_ROOT": str(tmp_path)}) as served:
        with urllib.request.urlopen(served.url + "/media/students/ravi.png", timeout=30) as response:
            assert response.status == 200
            assert response.read() == photo("PNG")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_replacements_leave_only_the_last_file(media):
    # A reads the old name and holds the row; B starts replacing meanwhile. Without
    # SELECT ... FOR UPDATE, B would read the same old name and A's file would stay on
    # disk, referenced by nothing. With it, B waits for A's COMMIT and deletes A's file.
    detail = Student.objects.create(name="Ravi", age=23, mobileno="123456").personal_detail
    detail.pic.save("first.jpg", ContentFile(photo()), save=True)
    a_has_read, b_has_read = threading.Event(), threading.Event()

    def pause(sender, instance, **kwargs):  # runs after remember_replaced_picture
        if threading.current_thread().name == "A":
            a_has_read.set()
            b_has_read.wait(timeout=2)  # B's chance to read the old name before A commits
        elif threading.current_thread().name == "B":
            b_has_read.set()

    def replace(name):
        try:
            with transaction.atomic():
                mine = PersonalDetail.objects.get(pk=detail.pk)
                mine.pic.save(f"{name}.jpg", ContentFile(photo()), save=True)
        finally:
            connections.close_all()

    pre_save.connect(pause, sender=PersonalDetail, weak=False, dispatch_uid="test-pause")
    try:
        a = threading.Thread(target=replace, args=("a",), name="A")
        b = threading.Thread(target=replace, args=("b",), name="B")
        a.start()
        a_has_read.wait(timeout=30)
        b.start()
        a.join()
        b.join()
    finally:
        pre_save.disconnect(dispatch_uid="test-pause", sender=PersonalDetail)
    detail.refresh_from_db()
    assert sorted(p.name for p in media.rglob("*.*")) == [detail.pic.name.split("/")[-1]]
