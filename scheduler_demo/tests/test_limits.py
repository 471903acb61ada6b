"""Bounded work: every body, list and string a client sends has a documented limit.

A body over its endpoint's limit is refused from its Content-Length, before a parser reads
a byte of it (``Request._parse`` is never called, and memory stays flat); a list over its
cap or a string over its length is a 400 naming the field, never a 500.
"""

import io
import json
import tracemalloc
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.request import Request

from contacts.models import UserContactsImport
from demo_harness.plugin import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

# (method, url, body, content type, the endpoint's limit in bytes)
WRITE_ENDPOINTS = [
    ("put", "/api/contacts/import/", b'[{"phone": "+441234567"}]', "application/json", 16 * 1024 * 1024),
    ("put", "/api/contacts/import/", b"phone\n+441234567\n", "text/csv", 16 * 1024 * 1024),
    ("post", "/api/contacts/invite/", b'{"invite_all": true}', "application/json", 512 * 1024),
    ("post", "/api/auth/signup/", b'{"username": "x"}', "application/json", 256 * 1024),
    ("post", "/api/auth/token/", b'{"username": "x"}', "application/json", 256 * 1024),
    ("post", "/api/auth/verify-email/", b'{"token": "x"}', "application/json", 256 * 1024),
]


def never_parse(*args, **kwargs):
    raise AssertionError("the body was parsed")


@pytest.mark.parametrize(("method", "url", "body", "content_type", "limit"), WRITE_ENDPOINTS)
def test_a_body_over_the_limit_is_refused_before_parsing(alice_client, method, url, body, content_type, limit):
    # The client declares one byte over the limit; the parser must never be asked to read it.
    with mock.patch.object(Request, "_parse", never_parse):
        response = getattr(alice_client, method)(url, body, content_type=content_type, CONTENT_LENGTH=str(limit + 1))
    assert response.status_code == 400
    assert response.json() == {
        "detail": f"The request body is {limit + 1} bytes; this endpoint accepts at most {limit} bytes."
    }
    assert not UserContactsImport.objects.exists()


def test_a_multipart_file_over_the_limit_is_refused_before_parsing(alice_client, settings):
    settings.CONTACTS_IMPORT_MAX_BYTES = 1000
    upload = SimpleUploadedFile("big.csv", b"phone\n" + b"+441234567\n" * 200, content_type="text/csv")
    with mock.patch.object(Request, "_parse", never_parse):
        response = alice_client.put("/api/contacts/import/", {"file": upload}, format="multipart")
    assert response.status_code == 400 and "at most 1000 bytes" in response.json()["detail"]


def test_a_real_oversized_csv_is_refused_unread_and_costs_no_memory(alice_client, settings):
    """The 17 MB body is really there, behind the WSGI input: refusing it reads none of it."""
    body = io.BytesIO(b"name,phone\n" + b"Some Body,+44 20 7946 0958\n" * 650_000)
    size = len(body.getvalue())
    assert size > settings.CONTACTS_IMPORT_MAX_BYTES
    tracemalloc.start()
    try:
        response = alice_client.generic(
            "PUT", "/api/contacts/import/", content_type="text/csv", CONTENT_LENGTH=str(size), **{"wsgi.input": body}
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 400 and "at most" in response.json()["detail"]
    assert body.tell() == 0, "the server read the body"
    assert peak < 1024 * 1024, f"refusing the upload allocated {peak} bytes"


def test_an_anonymous_oversized_upload_is_still_a_401():
    from rest_framework.test import APIClient

    response = APIClient().put("/api/contacts/import/", b"[]", content_type="application/json", CONTENT_LENGTH="9" * 12)
    assert response.status_code == 401


@pytest.mark.parametrize("ids", [10_001, 250_001])
def test_an_invite_with_too_many_ids_is_400_not_500(alice_client, ids):
    """250,001 ids were 'too many SQL variables' on SQLite: a 500."""
    body = json.dumps({"selected_ids": list(range(1, ids + 1))})
    response = alice_client.post("/api/contacts/invite/", body, content_type="application/json")
    assert response.status_code == 400
    if len(body) <= 512 * 1024:
        assert response.json() == {"selected_ids": ["Ensure this field has no more than 10000 elements."]}
    else:
        assert "at most 524288 bytes" in response.json()["detail"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"username": "long", "password": "x" * 257}, "password"),
        ({"username": "long", "password": DEFAULT_PASSWORD, "phone": "1" * 33}, "phone"),
        ({"username": "u" * 151, "password": DEFAULT_PASSWORD}, "username"),
    ],
)
def test_signup_strings_over_their_max_length_are_400_naming_the_field(api_client, body, field):
    response = api_client.post("/api/auth/signup/", body)
    assert response.status_code == 400 and field in response.json()


def test_a_token_request_over_max_length_is_400_naming_the_field(api_client):
    response = api_client.post("/api/auth/token/", {"username": "x" * 151, "password": "y" * 257})
    assert response.status_code == 400 and set(response.json()) == {"username", "password"}


def request_bodies(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            for media, content in operation.get("requestBody", {}).get("content", {}).items():
                yield f"{method.upper()} {path} {media}", content["schema"]


def unbounded(schema, components, where="", seen=()):
    """Every array without maxItems and every string without maxLength, by location."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        return [] if name in seen else unbounded(components[name], components, where, (*seen, name))
    found = []
    for key in ("oneOf", "anyOf", "allOf"):
        for option in schema.get(key, ()):
            found += unbounded(option, components, where, seen)
    if schema.get("type") == "array":
        found += [] if "maxItems" in schema else [where]
        found += unbounded(schema.get("items", {}), components, where + "[]", seen)
    if schema.get("type") == "string" and schema.get("format") != "binary" and "maxLength" not in schema:
        found.append(where)
    for name, prop in schema.get("properties", {}).items():
        found += unbounded(prop, components, f"{where}.{name}", seen)
    return found


def test_every_list_and_string_a_client_sends_is_bounded_in_the_schema(openapi_schema):
    components = openapi_schema["components"]["schemas"]
    missing = [
        f"{where}{spot}" for where, body in request_bodies(openapi_schema) for spot in unbounded(body, components)
    ]
    assert missing == []


def test_an_invite_is_json_only_so_its_id_lists_never_meet_the_form_field_limit(alice_client, caplog):
    """A form-encoded invite of 1,001 ids was a 400 with a traceback in the server log
    (TooManyFieldsSent); the schema offered forms. Found by fuzzing."""
    form = "&".join(["selected_ids=1"] * 1001)
    response = alice_client.post("/api/contacts/invite/", form, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    assert not [record for record in caplog.records if record.exc_info]


def test_the_schema_offers_the_invite_as_json_only(openapi_schema):
    content = openapi_schema["paths"]["/api/contacts/invite/"]["post"]["requestBody"]["content"]
    assert list(content) == ["application/json"]
