"""The HTTP contract: students, session login/logout, the activity feed."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from activity.models import Event
from students import receivers
from students.models import PersonalDetail, Student

from .pictures import photo

pytestmark = pytest.mark.django_db
PASSWORD = "a long and secret passphrase"


def create(api_client, **overrides):
    payload = {"name": "Ravi", "age": 23, "mobileno": "+91 98765 43210", **overrides}
    return api_client.post("/api/students/", payload, format="json")


def test_create_student_returns_201_with_its_personal_detail(api_client):
    response = create(api_client)
    assert response.status_code == 201
    body = response.json()
    detail = PersonalDetail.objects.get(student_id=body["id"])
    assert body == {
        "id": body["id"],
        "name": "Ravi",
        "age": 23,
        "mobileno": "+919876543210",
        "personal_detail": {"id": detail.pk, "address": "", "dob": None, "pic": None},
    }


def test_student_is_201_when_the_office_email_cannot_be_sent(
    api_client, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    # The email goes out after COMMIT (pitfall 2's fix). In production with no reachable
    # SMTP server send_mail() raises; the student is committed by then, so a 500 would
    # tell the client it failed, and its retry would create the student twice.
    def no_mail_server(*args, **kwargs):
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(receivers, "send_mail", no_mail_server)
    with django_capture_on_commit_callbacks(execute=True):
        response = create(api_client)
    assert response.status_code == 201
    assert Student.objects.count() == 1
    assert "notify_office failed after COMMIT" in caplog.text


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"age": 23, "mobileno": "123456"}, "name"),
        ({"name": "", "age": 23, "mobileno": "123456"}, "name"),
        ({"name": "R", "mobileno": "123456"}, "age"),
        ({"name": "R", "age": "old", "mobileno": "123456"}, "age"),
        ({"name": "R", "age": 1000, "mobileno": "123456"}, "age"),
        ({"name": "R", "age": 23}, "mobileno"),
        ({"name": "R", "age": 23, "mobileno": "call me"}, "mobileno"),
        ({"name": "R" * 51, "age": 23, "mobileno": "123456"}, "name"),
        ({"name": "R", "age": 23, "mobileno": "123456", "personal_detail": {"address": "x"}}, "personal_detail"),
    ],
)
def test_invalid_student_is_400_naming_the_field_and_writes_nothing(api_client, payload, field):
    response = api_client.post("/api/students/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert Student.objects.count() == PersonalDetail.objects.count() == 0


@pytest.mark.parametrize(
    "typed", ["９８７６５ ４３２１０", "٩٨٧٦٥ ٤٣٢١٠", "९८७६५-४३२१०"], ids=["fullwidth", "arabic", "devanagari"]
)
def test_mobileno_typed_in_other_digits_is_stored_in_ascii_digits(api_client, typed):
    # The validator's \d matches any script's digits (a phone keyboard, a pasted number);
    # the stored number must still be the one dialling software and searches expect.
    response = create(api_client, mobileno=typed)
    assert response.status_code == 201, response.content
    assert response.json()["mobileno"] == Student.objects.get().mobileno == "9876543210"


def test_malformed_json_is_400_not_500(api_client):
    response = api_client.post("/api/students/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert "detail" in response.json()


def test_get_patch_delete(api_client):
    student_id = create(api_client).json()["id"]
    got = api_client.get(f"/api/students/{student_id}/")
    assert got.status_code == 200 and got.json()["name"] == "Ravi"

    patched = api_client.patch(
        f"/api/students/{student_id}/",
        {"age": 24, "personal_detail": {"address": "12 Park Road", "dob": "2002-05-01"}},
        format="json",
    )
    assert patched.status_code == 200
    assert patched.json()["age"] == 24
    assert patched.json()["personal_detail"]["address"] == "12 Park Road"
    assert PersonalDetail.objects.filter(student_id=student_id).count() == 1

    assert api_client.patch(f"/api/students/{student_id}/", {"age": -1}, format="json").status_code == 400
    deleted = api_client.delete(f"/api/students/{student_id}/")
    assert deleted.status_code == 204
    assert not PersonalDetail.objects.filter(student_id=student_id).exists()
    assert api_client.get(f"/api/students/{student_id}/").status_code == 404


def test_a_student_bulk_created_without_a_personal_detail_can_still_be_given_one(api_client, settings, tmp_path):
    # bulk_create() sends no post_save (pitfall 1), so such a row has no PersonalDetail;
    # the API must not answer 500 (RelatedObjectDoesNotExist) when one is written.
    settings.MEDIA_ROOT = tmp_path
    student = Student.objects.bulk_create([Student(name="Bo", age=20, mobileno="5550100")])[0]
    assert api_client.get(f"/api/students/{student.pk}/").json()["personal_detail"] is None
    change = {"personal_detail": {"address": "1 Lane"}}
    patched = api_client.patch(f"/api/students/{student.pk}/", change, format="json")
    assert patched.status_code == 200 and patched.json()["personal_detail"]["address"] == "1 Lane"
    other = Student.objects.bulk_create([Student(name="Cy", age=20, mobileno="5550101")])[0]
    picture = SimpleUploadedFile("cy.png", photo("PNG"), content_type="image/png")
    uploaded = api_client.put(f"/api/students/{other.pk}/picture/", {"pic": picture}, format="multipart")
    assert uploaded.status_code == 200, uploaded.content
    assert api_client.delete(f"/api/students/{other.pk}/picture/").status_code == 204
    assert PersonalDetail.objects.filter(student__in=[student, other]).count() == 2


def test_unknown_student_is_404(api_client):
    assert api_client.get("/api/students/999999/").status_code == 404
    assert api_client.get("/api/students/abc/").status_code == 404


def test_login_and_logout(api_client, user_factory):
    user_factory(username="alice", password=PASSWORD)
    ok = api_client.post("/api/auth/login/", {"username": "alice", "password": PASSWORD}, format="json")
    assert ok.status_code == 200 and ok.json() == {"username": "alice"}
    assert "sessionid" in ok.cookies
    assert api_client.post("/api/auth/logout/").status_code == 204
    assert api_client.session.get("_auth_user_id") is None


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"username": "alice", "password": "wrong"}, "non_field_errors"),
        ({"username": "nobody", "password": PASSWORD}, "non_field_errors"),
        ({"password": PASSWORD}, "username"),
        ({"username": "alice"}, "password"),
    ],
)
def test_bad_login_is_400(api_client, user_factory, payload, field):
    user_factory(username="alice", password=PASSWORD)
    response = api_client.post("/api/auth/login/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_logout_only_accepts_post(client):
    assert client.get("/api/auth/logout/").status_code == 405


def test_events_feed_is_newest_first_and_never_holds_a_password(api_client, user_factory):
    user_factory(username="alice", password=PASSWORD, is_staff=True)  # the feed is staff only
    create(api_client)
    api_client.post("/api/auth/login/", {"username": "alice", "password": "wrong password"}, format="json")
    api_client.post("/api/auth/login/", {"username": "alice", "password": PASSWORD}, format="json")
    response = api_client.get("/api/events/")
    assert response.status_code == 200
    feed = response.json()
    assert [e["summary"] for e in feed[:3]] == [
        "user_logged_in 'alice'",
        "user_login_failed (what was typed is not recorded)",
        "post_save Student 'Ravi' created=True",
    ]
    assert set(feed[0]) == {"signal", "sender", "summary", "created_at"}
    assert feed[1]["signal"] == "user_login_failed"
    text = response.content.decode() + str(list(Event.objects.values()))
    assert PASSWORD not in text and "wrong password" not in text


def test_login_is_throttled_per_client_whatever_the_username(api_client, user_factory, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"login": "3/minute"}}
    user_factory(username="alice", password=PASSWORD)
    codes = [
        api_client.post("/api/auth/login/", {"username": f"guess{n}", "password": "x"}, format="json").status_code
        for n in range(3)
    ]
    assert codes == [400, 400, 400]
    blocked = api_client.post("/api/auth/login/", {"username": "alice", "password": PASSWORD}, format="json")
    assert blocked.status_code == 429 and int(blocked["Retry-After"]) > 0
    # A forged X-Forwarded-For does not buy a fresh bucket; another address has its own.
    forged = api_client.post(
        "/api/auth/login/", {"username": "alice", "password": PASSWORD}, format="json", HTTP_X_FORWARDED_FOR="10.9.8.7"
    )
    assert forged.status_code == 429
    other = api_client.post(
        "/api/auth/login/", {"username": "alice", "password": PASSWORD}, format="json", REMOTE_ADDR="192.0.2.9"
    )
    assert other.status_code == 200


def test_a_file_sent_to_an_endpoint_that_takes_none_is_415_before_it_is_read(api_client):
    # Only PUT /api/students/<id>/picture/ takes a file, and it checks Content-Length
    # first. With DRF's default parsers every other endpoint would read a multipart body of
    # any size to disk (Django spools uploads past 2.5 MB to a temporary file), then ignore it.
    upload = SimpleUploadedFile("big.bin", b"\0" * (3 * 1024 * 1024))
    form = {"name": "Ravi", "age": 23, "mobileno": "123456", "pic": upload}
    response = api_client.post("/api/students/", form, format="multipart")
    assert response.status_code == 415
    assert response.json()["detail"].startswith('Unsupported media type "multipart/form-data')
    assert not Student.objects.exists()
    login = api_client.post("/api/auth/login/", {"username": "a", "password": "b"}, format="multipart")
    assert login.status_code == 415


@pytest.mark.parametrize(
    ("body", "content_type", "status", "detail"),
    [
        ('{"name": "' + "R" * 3_000_000 + '"}', "application/json", 413, "The request body is too large."),
        ("&".join(f"f{n}=x" for n in range(2000)), "application/x-www-form-urlencoded", 400, "too many fields"),
    ],
    ids=["body-over-2.5-MB", "2000-form-fields"],
)
def test_a_body_django_refuses_is_json_not_an_html_page(client, db, body, content_type, status, detail):
    # Django refuses these with SuspiciousOperation; DRF's handler would let them reach
    # Django's HTML 400 page (a traceback page under DEBUG).
    response = client.post("/api/students/", body, content_type=content_type)
    assert response.status_code == status
    assert detail in response.json()["detail"]
    assert not Student.objects.exists()


def test_json_nested_too_deeply_is_400_not_500(client, db):
    # Python's json module raises RecursionError here, which DRF's stock parser lets
    # through as a 500; config/plumbing/parsers.py turns it into an ordinary 400.
    deep = "[" * 100_000 + "]" * 100_000
    response = client.post("/api/students/", deep, content_type="application/json")
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["detail"]


def test_post_without_the_trailing_slash_is_a_404_naming_the_right_url(client, db, settings):
    # Under DEBUG, Django's APPEND_SLASH raises RuntimeError for a POST (a 500 page): the
    # first mistake a learner makes with curl. config/plumbing/middleware.py answers 404 instead.
    settings.DEBUG = True
    client.raise_request_exception = False
    response = client.post("/api/students", {"name": "Ravi"}, content_type="application/json")
    assert response.status_code == 404
    assert response.json() == {
        "detail": "/api/students does not exist: URLs here end with a slash. POST to /api/students/"
    }
    assert not Student.objects.exists()
