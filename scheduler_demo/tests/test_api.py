"""The HTTP contract: auth, the import endpoints, the list, invites, sign-up matching."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from contacts.models import State, UserContact, UserContactsImport

pytestmark = pytest.mark.django_db


def contact(user, name, **fields):
    first, _, last = name.partition(" ")
    fields.setdefault("email", f"{first.lower()}.{user.username}@example.com")
    return UserContact.objects.create(user=user, source="phone", first_name=first, last_name=last, **fields)


# --- authentication -------------------------------------------------------------------


def test_token_endpoint_issues_a_token_for_valid_credentials(alice, api_client, password):
    response = api_client.post("/api/auth/token/", {"username": "alice", "password": password})
    assert response.status_code == 200
    token = response.json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.get("/api/contacts/").status_code == 200


def test_token_endpoint_rejects_bad_credentials_naming_the_fields(alice, api_client):
    response = api_client.post("/api/auth/token/", {"username": "alice", "password": "wrong"})
    assert response.status_code == 400
    assert "token" not in response.json()
    assert "username" in api_client.post("/api/auth/token/", {"password": "x"}).json()


def test_token_endpoint_ignores_a_stale_authorization_header(alice, api_client, password):
    """A client still sending a deleted (or garbage) token can log in again."""
    for header in ("Token " + "0" * 40, "Token \x00garbage", "Bearer abc"):
        api_client.credentials(HTTP_AUTHORIZATION=header)
        response = api_client.post("/api/auth/token/", {"username": "alice", "password": password})
        assert response.status_code == 200, header
        assert response.json().keys() == {"token"}


@pytest.mark.parametrize(
    "header",
    ["", "Token", "Token a b", "Token " + "0" * 40, "Token \x00garbage", "Token ünïcode", "Bearer abc", "Basic !!!"],
)
def test_missing_or_garbage_authorization_is_401_never_500(header):
    client = APIClient()
    response = client.get("/api/contacts/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_signup_creates_a_user_without_returning_secrets(api_client, password):
    response = api_client.post(
        "/api/auth/signup/", {"username": "bob", "password": password, "email": "Bob@Example.com", "phone": "+49 1"}
    )
    assert response.status_code == 400
    assert set(response.json()) == {"phone"}

    response = api_client.post(
        "/api/auth/signup/",
        {"username": "bob", "password": password, "email": "Bob@Example.com", "phone": "+49 (151) 234-5678"},
    )
    assert response.status_code == 201
    body = response.json()
    assert body["phone"] == "+491512345678" and body["email"] == "bob@example.com"
    assert "password" not in body and "token" not in body
    assert api_client.post("/api/auth/token/", {"username": "bob", "password": password}).status_code == 200


def test_signup_validates_password_and_uniqueness(api_client, alice, password):
    response = api_client.post("/api/auth/signup/", {"username": "carol", "password": "123"})
    assert response.status_code == 400 and "password" in response.json()
    response = api_client.post("/api/auth/signup/", {"username": "alice", "password": password, "email": alice.email})
    # The username is taken, and says so; the email is taken too, and that is never said
    # (tests/test_pitfalls.py, test_signup_never_says_whether_an_address_is_taken).
    assert response.status_code == 400 and set(response.json()) == {"username"}
    assert api_client.post("/api/auth/signup/", {}).json().keys() == {"username", "password"}


# --- the import endpoints ----------------------------------------------------------


def test_put_json_list_returns_202_with_import_id_and_queues_one_task(
    alice_client, alice, django_capture_on_commit_callbacks
):
    from background_task.models import Task

    rows = [{"name": "Bob Stone", "phone": "+441234567"}, {"name": "Eve", "email": "eve@example.com"}]
    with django_capture_on_commit_callbacks() as callbacks:
        response = alice_client.put("/api/contacts/import/", rows)
    assert response.status_code == 202
    assert not Task.objects.exists()  # queued when the transaction commits, not before
    [queue_it] = callbacks
    queue_it()
    record = UserContactsImport.objects.get(pk=response.json()["import_id"])
    assert (record.user, record.total, record.status, record.rows) == (alice, 2, "pending", rows)
    task = Task.objects.get(task_name="contacts.import_contacts")
    assert task.params() == ([record.pk], {})  # only the id travels through the queue
    assert list(Task.objects.created_by(alice)) == [task]


def test_import_then_status_reports_all_counts(alice_client, run_tasks, committed):
    rows = [
        {"name": "Bob Stone", "phone": "+44 1234 567"},
        {"name": "Bob again", "phone": "+441234567", "email": "bob@example.com"},  # duplicate: merged
        {"name": "No Way"},  # invalid: neither phone nor email
        {"name": "Bad Phone", "phone": "12ab"},  # invalid: malformed phone
        {"name": "Eve", "email": "EVE@example.com"},
    ]
    with committed():
        import_id = alice_client.put("/api/contacts/import/", rows).json()["import_id"]
    assert alice_client.get(f"/api/contacts/imports/{import_id}/").json()["status"] == "pending"
    run_tasks()
    status = alice_client.get(f"/api/contacts/imports/{import_id}/").json()
    assert {k: status[k] for k in ("status", "total", "processed", "created", "duplicates", "invalid")} == {
        "status": "done",
        "total": 5,
        "processed": 5,
        "created": 2,
        "duplicates": 1,
        "invalid": 2,
    }
    assert [error["row"] for error in status["errors"]] == [3, 4]
    assert "phone" in status["errors"][1]["error"]
    bob = UserContact.objects.get(phone_number="+441234567")
    assert (bob.first_name, bob.last_name, bob.email) == ("Bob", "Stone", "bob@example.com")


def test_csv_multipart_upload_and_csv_body_both_import(alice_client, run_tasks, committed):
    text = "Name,Phone,Email,Company\nAda Lovelace,+44 20 7946 0000,,Analytical\nAlan,,alan@example.com,\n"
    upload = SimpleUploadedFile("c.csv", text.encode("utf-8-sig"), content_type="text/csv")
    with committed():
        response = alice_client.put("/api/contacts/import/?source=google", {"file": upload}, format="multipart")
        assert response.status_code == 202
        other_name = SimpleUploadedFile("c.csv", text.encode())
        assert (
            alice_client.put("/api/contacts/import/", {"contacts": other_name}, format="multipart").status_code == 202
        )
        body = alice_client.put("/api/contacts/import/", text.encode(), content_type="text/csv")
    assert body.status_code == 202
    run_tasks()
    first = UserContactsImport.objects.get(pk=response.json()["import_id"])
    second = UserContactsImport.objects.get(pk=body.json()["import_id"])
    assert (first.source, first.created, first.duplicates) == ("google", 2, 0)
    assert (second.source, second.created, second.duplicates) == ("phone", 0, 2)  # idempotent re-upload
    assert UserContactsImport.objects.count() == 3
    assert UserContact.objects.filter(source="google").count() == 2


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"data": {"rows": []}, "format": "json"}, "contacts"),
        ({"data": [], "format": "json"}, "contacts"),
        ({"data": "just a string", "format": "json"}, "contacts"),
        ({"data": [{"name": "A", "phone": "+4412345678"}], "format": "json", "QUERY_STRING": "source=fax"}, "source"),
        ({"data": {"file": "not a file"}, "format": "multipart"}, "file"),
        ({"data": b"a;b\n1;2\n", "content_type": "text/csv"}, "csv"),
    ],
)
def test_bad_uploads_are_400_naming_the_field_and_write_nothing(alice_client, kwargs, field):
    response = alice_client.put("/api/contacts/import/", **kwargs)
    assert response.status_code == 400
    assert field in response.json()
    assert not UserContactsImport.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        "^j\x84\xa5\U000f3678\xba\r\U000c85af\xbd}\x0e\xf3su",  # the fuzzer's: a bare \r in the header
        "phone," + "x" * 200_000 + "\n+441234567\n",  # a header field over csv.field_size_limit()
    ],
)
def test_csv_body_with_an_unreadable_header_is_400_not_500(alice_client, body):
    response = alice_client.put("/api/contacts/import/", body.encode(), content_type="text/csv")
    assert response.status_code == 400 and "csv" in response.json()
    assert not UserContactsImport.objects.exists()


@pytest.mark.parametrize("body", [{"csv": 5}, {"csv": "phone\n+441234567\n"}])
def test_a_json_object_is_never_read_as_a_csv_upload(alice_client, body):
    """A JSON {"csv": 5} once reached the CSV reader (a 500): only a text/csv body is CSV."""
    response = alice_client.put("/api/contacts/import/", body)
    assert response.status_code == 400 and "contacts" in response.json()
    assert not UserContactsImport.objects.exists()


@pytest.mark.parametrize(
    ("body", "content_type", "field"),
    [
        (b'[{"name": "A\\u0000", "phone": "+441234567"}]', "application/json", "contacts"),
        (b'{"contacts": [{"phone": "+441234567", "x\\u0000": 1}]}', "application/json", "contacts"),
        (b'[{"name": "A\\ud800", "phone": "+441234567"}]', "application/json", "contacts"),
        (b"name,phone\nA\x00,+441234567\n", "text/csv", "csv"),
    ],
)
def test_text_no_database_can_store_is_400_naming_the_field(alice_client, body, content_type, field):
    """NUL and unpaired surrogates: a 500 on saving the import on PostgreSQL (jsonb), and
    an import task that fails on every retry on SQLite (a surrogate is not UTF-8)."""
    response = alice_client.put("/api/contacts/import/", body, content_type=content_type)
    assert response.status_code == 400
    assert response.json() == {field: ["Text must not contain NUL characters or unpaired surrogates."]}
    assert not UserContactsImport.objects.exists()


def test_a_nul_in_an_uploaded_csv_file_is_400_naming_the_file(alice_client):
    upload = SimpleUploadedFile("c.csv", b"name,phone\nA\x00,+441234567\n", content_type="text/csv")
    response = alice_client.put("/api/contacts/import/", {"file": upload}, format="multipart")
    assert response.status_code == 400 and "file" in response.json()


@pytest.mark.parametrize(
    ("url", "method", "field"),
    [("/api/contacts/import/", "put", "detail"), ("/api/auth/signup/", "post", "detail")],
)
def test_json_nested_too_deeply_for_python_is_400_not_500(alice_client, url, method, field):
    """DRF's JSONParser lets json's RecursionError through (a 500); ours answers 400."""
    response = getattr(alice_client, method)(url, b"[" * 100_000, content_type="application/json")
    assert response.status_code == 400 and "nested too deeply" in response.json()[field]


def test_an_upload_nested_deeper_than_contacts_is_400(alice_client):
    body = [{"name": "A", "phone": "+441234567", "notes": [[[[[[[[[[["deep"]]]]]]]]]]]}]
    response = alice_client.put("/api/contacts/import/", body)
    assert response.status_code == 400 and "nested more than 10 levels" in response.json()["contacts"][0]
    assert alice_client.put("/api/contacts/import/", [{"phone": "+441234567", "notes": [["ok"]]}]).status_code == 202


def test_non_utf8_csv_is_read_as_windows_1252_and_the_status_says_so(alice_client, run_tasks, committed):
    """Once a 400 "must be UTF-8": now what Excel and Outlook write on Windows is read, and
    the import's status says which encoding was used and why."""
    upload = SimpleUploadedFile("c.csv", "name,phone\nJosé,+351912345678\n".encode("latin-1"))
    with committed():
        response = alice_client.put("/api/contacts/import/", {"file": upload}, format="multipart")
    assert response.status_code == 202
    run_tasks()
    status = alice_client.get(f"/api/contacts/imports/{response.json()['import_id']}/").json()
    assert (status["format"], status["encoding"]) == ("csv", "Windows-1252 (not UTF-8: line 2 holds byte 0xe9)")
    assert UserContact.objects.get().first_name == "José"
    response = alice_client.put("/api/contacts/import/", "é".encode("latin-1"), content_type="text/csv")
    assert response.status_code == 400


def test_malformed_json_is_400_and_too_many_rows_refused(alice_client, settings):
    response = alice_client.put("/api/contacts/import/", b"[{", content_type="application/json")
    assert response.status_code == 400
    settings.CONTACTS_IMPORT_MAX_ROWS = 2
    response = alice_client.put("/api/contacts/import/", [{"email": f"{n}@example.com"} for n in range(3)])
    assert response.status_code == 400 and "contacts" in response.json()


def test_object_form_with_contacts_and_source(alice_client):
    body = {"contacts": [{"name": "Lin", "email": "lin@example.com"}], "source": "linkedin"}
    response = alice_client.put("/api/contacts/import/", body)
    assert response.status_code == 202
    assert UserContactsImport.objects.get().source == "linkedin"


def test_import_endpoints_require_auth_and_hide_other_users_imports(alice, user_factory, client_for, make_import):
    record = make_import(alice, [{"email": "a@example.com"}])
    assert APIClient().put("/api/contacts/import/", []).status_code == 401
    assert APIClient().get(f"/api/contacts/imports/{record.pk}/").status_code == 401
    mallory = client_for(user_factory(username="mallory"))
    assert mallory.get(f"/api/contacts/imports/{record.pk}/").status_code == 404
    assert client_for(alice).get(f"/api/contacts/imports/{record.pk}/").status_code == 200


def test_phone_import_recorded_follows_the_latest_phone_import(alice_client, alice, run_tasks, committed):
    url = "/api/contacts/phone-import-recorded/"
    assert alice_client.get(url).json() == {"recorded": False}
    with committed():
        alice_client.put("/api/contacts/import/", [{"name": "A", "phone": "+4412345678"}])
    assert alice_client.get(url).json() == {"recorded": False}  # queued, not recorded yet
    run_tasks()
    assert alice_client.get(url).json() == {"recorded": True}
    alice_client.put("/api/contacts/import/?source=google", [{"name": "B", "phone": "+4412345679"}])
    assert alice_client.get(url).json() == {"recorded": True}  # google imports do not count


# --- the list ------------------------------------------------------------------------


def test_contacts_are_paginated_by_20_and_ordered_by_first_name(alice_client, alice, user_factory):
    names = [f"{chr(ord('A') + n % 26)}{n:02d} Person" for n in range(45)]
    for name in reversed(names):
        contact(alice, name)
    contact(user_factory(username="bob"), "Aaron Other")
    page1 = alice_client.get("/api/contacts/").json()
    page3 = alice_client.get("/api/contacts/?page=3").json()
    assert page1["count"] == 45 and len(page1["results"]) == 20 and len(page3["results"]) == 5
    assert [c["first_name"] for c in page1["results"]] == sorted(n.split()[0] for n in names)[:20]
    assert "Aaron" not in [c["first_name"] for c in page1["results"]]
    assert alice_client.get("/api/contacts/?page=9").status_code == 404


# --- invites -------------------------------------------------------------------------


def test_invite_all_applies_the_state_rules(alice_client, alice):
    now = timezone.now()
    pending = contact(alice, "Ann Pending")
    recent = contact(alice, "Ben Recent", state=State.INVITE_SENT, invited_at=now - timedelta(days=2))
    old = contact(alice, "Cid Old", state=State.INVITE_SENT, invited_at=now - timedelta(days=8))
    member = contact(alice, "Dee Member", state=State.ALREADY_MEMBER, registered=True)
    blocked = contact(alice, "Eli Blocked", block_invites=True)
    skipped = contact(alice, "Fay Deselected")
    response = alice_client.post("/api/contacts/invite/", {"invite_all": True, "deselected_ids": [skipped.pk]})
    assert response.status_code == 200
    assert response.json() == {"invited": 1, "reminded": 1, "unchanged": 3}
    states = {c.first_name: c.state for c in UserContact.objects.all()}
    assert states == {
        "Ann": State.INVITE_SENT,
        "Ben": State.INVITE_SENT,
        "Cid": State.INVITE_REMINDER_SENT,
        "Dee": State.ALREADY_MEMBER,
        "Eli": State.INVITE_PENDING,
        "Fay": State.INVITE_PENDING,
    }
    pending.refresh_from_db()
    old.refresh_from_db()
    assert pending.invited_at is not None and old.invited_at > now - timedelta(minutes=1)
    del recent, member, blocked


def test_invite_all_ignores_selected_ids(alice_client, alice):
    only = contact(alice, "Ann A")
    response = alice_client.post("/api/contacts/invite/", {"invite_all": True, "selected_ids": [999999]})
    assert response.json() == {"invited": 1, "reminded": 0, "unchanged": 0}
    only.refresh_from_db()
    assert only.state == State.INVITE_SENT


def test_invite_selected_ids_only(alice_client, alice):
    chosen, other = contact(alice, "Ann A"), contact(alice, "Bea B")
    response = alice_client.post("/api/contacts/invite/", {"selected_ids": [chosen.pk]})
    assert response.json() == {"invited": 1, "reminded": 0, "unchanged": 0}
    other.refresh_from_db()
    assert other.state == State.INVITE_PENDING


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "selected_ids"),
        ({"invite_all": False, "selected_ids": []}, "selected_ids"),
        ({"selected_ids": ["x"]}, "selected_ids"),
        ({"selected_ids": "1"}, "selected_ids"),
        ({"invite_all": "maybe"}, "invite_all"),
        ({"invite_all": True, "deselected_ids": [0]}, "deselected_ids"),
        # Found by hand: no contact id, and a 500 (OverflowError) on SQLite before max_value.
        ({"selected_ids": [2**63]}, "selected_ids"),
        ({"invite_all": True, "deselected_ids": [2**70]}, "deselected_ids"),
    ],
)
def test_invite_bad_input_is_400_naming_the_field(alice_client, body, field):
    response = alice_client.post("/api/contacts/invite/", body)
    assert response.status_code == 400
    assert field in response.json()


def test_invite_refuses_other_users_contact_ids(alice_client, user_factory):
    foreign = contact(user_factory(username="bob"), "Zed Foreign")
    response = alice_client.post("/api/contacts/invite/", {"selected_ids": [foreign.pk]})
    assert response.status_code == 400 and "selected_ids" in response.json()
    foreign.refresh_from_db()
    assert foreign.state == State.INVITE_PENDING


# --- sign-up matching (post_save on AUTH_USER_MODEL) ----------------------------------------


def test_a_verified_address_marks_matching_contacts_of_every_user_as_already_member(
    api_client, alice, user_factory, mailoutbox, password
):
    by_email = contact(alice, "Mia Mail", email="mia@example.com", state=State.INVITE_SENT)
    by_phone = contact(user_factory(username="bob"), "Mia Phone", email=None, phone_number="+4915112345678")
    unrelated = contact(alice, "Other One")
    response = api_client.post(
        "/api/auth/signup/",
        {"username": "mia", "password": password, "email": "MIA@example.com", "phone": "+49 151 12345678"},
    )
    assert response.status_code == 201 and response.json()["email_verified"] is False
    by_email.refresh_from_db()
    assert by_email.state == State.INVITE_SENT  # nothing proven yet: nothing linked
    [mail] = mailoutbox
    code = mail.body.split('"code": "')[1].split('"')[0]
    verified = api_client.post("/api/auth/verify-email/", {"code": code})
    assert verified.json() == {"email": "mia@example.com", "linked_contacts": 1}
    by_email.refresh_from_db()
    assert (by_email.state, by_email.registered, by_email.contact.username) == (State.ALREADY_MEMBER, True, "mia")
    by_phone.refresh_from_db()
    assert by_phone.state == State.INVITE_PENDING  # a phone is proven by SMS, which this demo has not
    # A user created with a verified phone (by staff, createsuperuser) links at once.
    user_factory(username="mia2", phone="+4915112345678", phone_verified=True)
    by_phone.refresh_from_db()
    assert (by_phone.state, by_phone.registered, by_phone.contact.username) == (State.ALREADY_MEMBER, True, "mia2")
    unrelated.refresh_from_db()
    assert unrelated.state == State.INVITE_PENDING


def test_saving_an_existing_user_or_loading_fixtures_changes_no_contact(alice, user_factory):
    from django.db.models.signals import post_save

    row = contact(alice, "Bo Bo", email="bo@example.com")
    bo = user_factory(username="bo", email="someone@example.com", email_verified=True)
    bo.email = "bo@example.com"
    bo.save()  # an update, not a sign-up
    post_save.send(sender=type(bo), instance=bo, created=True, raw=True)  # what loaddata sends
    row.refresh_from_db()
    assert row.state == State.INVITE_PENDING


def test_import_marks_contacts_who_already_signed_up(alice_client, user_factory, run_tasks, committed):
    user_factory(username="kim", email="Kim@Example.com", email_verified=True)
    user_factory(username="lee", email="", phone="+4412345678", phone_verified=True)
    user_factory(username="liar", email="x@example.org")  # unverified: links nothing
    rows = [
        {"name": "Kim", "email": "kim@example.com"},
        {"name": "Lee", "phone": "+44 1234 5678"},
        {"email": "x@example.org"},
    ]
    with committed():
        alice_client.put("/api/contacts/import/", rows)
    run_tasks()
    states = dict(UserContact.objects.values_list("first_name", "state"))
    assert states == {"Kim": State.ALREADY_MEMBER, "Lee": State.ALREADY_MEMBER, "": State.INVITE_PENDING}


def test_token_endpoint_is_throttled_per_client_address(api_client, alice, password, throttle_rates):
    throttle_rates(login="2/minute")
    wrong = {"username": "alice", "password": "not it"}
    assert [api_client.post("/api/auth/token/", wrong).status_code for _ in range(2)] == [400, 400]
    right = {"username": "alice", "password": password}
    blocked = api_client.post("/api/auth/token/", right)
    assert blocked.status_code == 429 and int(blocked["Retry-After"]) > 0
    assert api_client.post("/api/auth/token/", right, HTTP_X_FORWARDED_FOR="10.4.4.4").status_code == 429
    assert api_client.post("/api/auth/token/", right, REMOTE_ADDR="192.0.2.44").status_code == 200


@pytest.mark.parametrize(
    ("path", "scope", "body"),
    [
        ("/api/auth/token/", "login", {"username": "alice", "password": "not it"}),
        ("/api/auth/signup/", "signup", {"username": "", "password": ""}),
    ],
)
def test_the_throttles_count_across_worker_processes(api_client, alice, throttle_rates, path, scope, body):
    """gunicorn runs several processes, each with its own local-memory cache: counted
    there, 10 logins a minute were 33 answered guesses of 40 with 4 workers. The count
    lives in the database; another process's empty memory (the local cache cleared
    here) does not reset it."""
    from django.core.cache import cache

    throttle_rates(**{scope: "2/minute"})
    assert [api_client.post(path, body).status_code for _ in range(2)] == [400, 400]
    cache.clear()  # what the next request finds in another worker process
    assert api_client.post(path, body).status_code == 429


def test_staff_verifying_a_phone_in_the_admin_links_the_contacts_holding_it(client, alice, user_factory):
    admin = user_factory(username="staff", is_staff=True, is_superuser=True)
    client.force_login(admin)
    held = contact(alice, "Pat Phone", email=None, phone_number="+4915112345678")
    pat = user_factory(username="pat", phone="+4915112345678")  # typed at sign-up, not proven
    held.refresh_from_db()
    assert held.state == State.INVITE_PENDING
    form = client.get(f"/admin/accounts/user/{pat.pk}/change/")
    assert b"phone_verified" in form.content
    data = {
        "username": "pat",
        "phone": "+4915112345678",
        "phone_verified": "on",
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    }
    response = client.post(f"/admin/accounts/user/{pat.pk}/change/", data)
    assert response.status_code == 302, response.content[:2000]
    held.refresh_from_db()
    assert (held.state, held.contact) == (State.ALREADY_MEMBER, pat)


def test_two_signups_racing_for_one_username_give_one_201_and_one_400_never_a_500(api_client, monkeypatch, password):
    """Found by tests/test_concurrency.py: both pass the uniqueness check, the second
    INSERT raises IntegrityError (a 500). Here the race is made certain: the rival's
    user is created between the check and the INSERT."""
    from django.contrib.auth import get_user_model

    from accounts.serializers import SignupSerializer

    real_create = SignupSerializer.create

    def rival_first(self, validated_data):
        get_user_model().objects.create_user("twin", password=password)  # the other request won
        return real_create(self, validated_data)

    monkeypatch.setattr(SignupSerializer, "create", rival_first)
    response = api_client.post("/api/auth/signup/", {"username": "twin", "password": password})
    assert response.status_code == 400
    assert response.json() == {"username": ["A user with that username already exists."]}


# --- a password changed outside the API ends the user's tokens ----------------------------


def test_a_password_changed_in_the_shell_ends_the_users_token(alice, alice_client, client_for, user_factory):
    """``set_password(); save()`` (the shell, the admin's form, a reset): the key issued
    before it must stop working. Once it outlived the change: DRF's token never expires."""
    bob_client = client_for(user_factory(username="bob"))
    assert alice_client.get("/api/contacts/").status_code == 200
    alice.set_password("another long passphrase 43")
    alice.save()
    assert alice_client.get("/api/contacts/").status_code == 401
    assert bob_client.get("/api/contacts/").status_code == 200  # only her keys end


def test_a_save_that_keeps_the_password_keeps_the_token(alice, alice_client):
    alice.first_name = "Alice"
    alice.save()
    alice.save(update_fields=["last_login"])
    assert alice_client.get("/api/contacts/").status_code == 200
