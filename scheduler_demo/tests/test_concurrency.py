"""The write endpoints under parallel requests, over a real server (gunicorn, 2 workers) on
SQLite: no 5xx, and exactly the rows the answers promised.

SQLite has one writer at a time. With WAL, ``transaction_mode: IMMEDIATE`` and a timeout
(config/settings.py), a second writer waits for the lock instead of failing halfway with
"database is locked" (a 500).
"""

import email
import email.policy
import json
from functools import partial

import pytest
import requests
from django.conf import settings

from demo_harness.concurrency import all_at_once, assert_no_server_error
from demo_harness.server import serve_demo

PARALLEL = 8
SAMPLES = settings.BASE_DIR / "contacts" / "samples"


def call(url, method="POST", body=None, token=None, content_type="application/json"):
    """One request: (status, the JSON answer), or (status, the text) for an error."""
    headers = {"Content-Type": content_type} | ({"Authorization": f"Token {token}"} if token else {})
    payload = {"json": body} if content_type == "application/json" and body is not None else {"data": body}
    response = requests.request(method, url, headers=headers, timeout=60, **payload)
    if not response.ok:
        return response.status_code, response.text
    return response.status_code, response.json() if response.content else None


def in_parallel(function, arguments):
    """``function(argument)`` for each argument, all released at the same instant."""
    return all_at_once([partial(function, argument) for argument in arguments])


def shell(served, code):
    done = served.manage("shell", "-c", code)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def mailbox(tmp_path_factory):
    return tmp_path_factory.mktemp("mail")  # development mode writes each mail to a file here


@pytest.fixture(scope="module")
def served(mailbox):
    env = {
        "SIGNUP_THROTTLE_RATE": "10000/minute",
        "IMPORT_THROTTLE_RATE": "10000/minute",
        "LOGIN_THROTTLE_RATE": "10000/minute",
        "EMAIL_FILE_PATH": str(mailbox),
    }
    with serve_demo(settings.BASE_DIR, workers=2, env=env) as served:
        yield served


def sign_up(served, username, password, email=""):
    return call(served.url + "/api/auth/signup/", body={"username": username, "password": password, "email": email})


def token_for(served, username, password):
    assert sign_up(served, username, password)[0] == 201
    status, body = call(served.url + "/api/auth/token/", body={"username": username, "password": password})
    assert status == 200, body
    return body["token"]


def test_parallel_signups_create_exactly_the_users_they_answer_201_for(served, password):
    names = [f"racer{n}" for n in range(PARALLEL)] + ["twin"] * 4  # four try the same username
    answers = in_parallel(lambda name: sign_up(served, name, password, f"{name}@example.com"), names)
    statuses = [status for status, _ in answers]
    assert not [answer for answer in answers if answer[0] >= 500], answers
    assert_no_server_error(statuses, served)
    assert statuses[:PARALLEL] == [201] * PARALLEL
    assert sorted(statuses[PARALLEL:]) == [201, 400, 400, 400]
    query = f"get_user_model().objects.filter(username__in={sorted(set(names))!r}).values_list('username', flat=True)"
    users = shell(
        served, f"import json; from django.contrib.auth import get_user_model; print(json.dumps(sorted({query})))"
    )
    assert users == sorted(set(names))


def test_parallel_uploads_store_every_import_whole(served, password):
    token = token_for(served, "uploader", password)
    files = ["google.csv", "outlook.csv", "iphone.vcf", "android.vcf"]
    bodies = [(SAMPLES / name).read_bytes() for name in files] * 2
    json_rows = [[{"name": f"J{n} R{r}", "phone": f"+4477009{n:02d}{r:03d}"} for r in range(300)] for n in range(4)]
    uploads = [(body, "text/csv") for body in bodies] + [(rows, "application/json") for rows in json_rows]

    def put(upload):
        body, content_type = upload
        return call(served.url + "/api/contacts/import/", "PUT", body, token, content_type)

    answers = in_parallel(put, uploads)
    assert [status for status, _ in answers] == [202] * len(uploads), answers
    assert_no_server_error([status for status, _ in answers], served)
    totals = shell(
        served,
        "import json; from contacts.models import UserContactsImport as I; "
        "imports = I.objects.filter(user__username='uploader'); "
        "print(json.dumps({r.pk: [r.total, len(r.rows), r.status] for r in imports}))",
    )
    expected = [5, 4, 3, 4] * 2 + [300] * 4  # the contacts in each file, every one stored
    assert sorted(totals[str(body["import_id"])][0] for _, body in answers) == sorted(expected)
    assert all(total == stored and status == "pending" for total, stored, status in totals.values())


def test_parallel_invites_invite_each_contact_once(served, password):
    token = token_for(served, "inviter", password)
    shell(
        served,
        "import json; from contacts.models import UserContact; from django.contrib.auth import get_user_model; "
        "u = get_user_model().objects.get(username='inviter'); "
        "UserContact.objects.bulk_create([UserContact(user=u, source='phone', phone_number=f'+4477001{n:05d}')"
        " for n in range(200)]); print(json.dumps(1))",
    )
    answers = in_parallel(
        lambda _: call(served.url + "/api/contacts/invite/", body={"invite_all": True}, token=token), range(PARALLEL)
    )
    assert [status for status, _ in answers] == [200] * PARALLEL, answers
    assert_no_server_error([status for status, _ in answers], served)
    assert sum(body["invited"] for _, body in answers) == 200  # each pending contact invited exactly once
    assert all(body["invited"] + body["unchanged"] == 200 for _, body in answers)


def test_parallel_logins_of_one_user_get_the_same_token(served, password):
    assert sign_up(served, "loginer", password)[0] == 201
    body = {"username": "loginer", "password": password}
    answers = in_parallel(lambda _: call(served.url + "/api/auth/token/", body=body), range(PARALLEL))
    assert [status for status, _ in answers] == [200] * PARALLEL, answers
    assert_no_server_error([status for status, _ in answers], served)
    assert len({answer["token"] for _, answer in answers}) == 1  # one token per user, created once


def test_parallel_verifications_of_one_code_verify_once_and_link_once(served, mailbox, password):
    owner = token_for(served, "holder", password)
    contact = {"name": "Vera", "email": "vera@example.com"}
    shell(
        served,
        "import json; from contacts.models import UserContact; from django.contrib.auth import get_user_model; "
        "UserContact.objects.create(user=get_user_model().objects.get(username='holder'), source='phone',"
        f" first_name={contact['name']!r}, email={contact['email']!r}); print(json.dumps(1))",
    )
    assert sign_up(served, "vera", password, contact["email"])[0] == 201
    [mail] = [path for path in mailbox.iterdir() if contact["email"] in path.read_text()]
    # Read as a mail client would: Django 6.1 sends long lines as quoted-printable.
    message = email.message_from_string(mail.read_text().split("\n---")[0], policy=email.policy.default)
    code = message.get_content().split('"code": "')[1].split('"')[0]
    answers = in_parallel(lambda _: call(served.url + "/api/auth/verify-email/", body={"code": code}), range(PARALLEL))
    assert [status for status, _ in answers] == [200] * PARALLEL, answers
    assert_no_server_error([status for status, _ in answers], served)
    assert sum(answer["linked_contacts"] for _, answer in answers) == 1  # the writes took turns
    status, page = call(served.url + "/api/contacts/", "GET", token=owner)
    assert status == 200 and page["results"][0]["state"] == "already_member"
