"""Every missing, unknown or malformed Authorization header is a 401, never a 500.

The in-process tests pass headers the way a WSGI server hands them to Django: as str
decoded from latin-1. The live-server test sends the same raw bytes over a real socket.
"""

import http.client
import json
from urllib.parse import urlparse

import pytest
from django.contrib.auth import get_user_model
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

UNKNOWN_KEY = "0123456789abcdef" * 2 + "01234567"

# (id, raw header bytes); KEY is replaced by a real, valid key.
BAD_HEADERS = [
    ("empty", b""),
    ("spaces-only", b"   "),
    ("keyword-only", b"Token"),
    ("keyword-and-space", b"Token "),
    ("two-parts", b"Token a b"),
    ("valid-key-plus-extra", b"Token KEY extra"),
    ("bearer-scheme", b"Bearer x"),
    ("bearer-with-valid-key", b"Bearer KEY"),
    ("basic-scheme", b"Basic YWxpY2U6Y29ycmVjdCBob3JzZSBiYXR0ZXJ5"),
    ("key-without-keyword", b"KEY"),
    ("keyword-glued-to-key", b"TokenKEY"),
    ("unknown-key", b"Token " + UNKNOWN_KEY.encode()),
    ("short-key", b"Token abc"),
    ("uppercased-key", b"Token UPPERKEY"),
    ("truncated-key", b"Token TRUNCATEDKEY"),
    ("sql-ish", b"Token ' OR '1'='1"),
    ("invalid-utf8", b"Token \xff\xfe\xfd"),
    ("latin1-byte", b"Token caf\xe9"),
    ("utf8-non-ascii", "Token clé-ünïcødé-€".encode()),
    ("nul-byte", b"Token abc\x00def"),
    ("control-chars", b"Token \x01\x02\x7f"),
    ("very-long", b"Token " + b"a" * 8000),
    ("very-long-hex", b"Token " + b"ab" * 4000),
    ("many-parts", b"Token " + b"a " * 500),
]


def raw_header(template, key):
    return (
        template.replace(b"UPPERKEY", key.upper().encode())
        .replace(b"TRUNCATEDKEY", key[:-1].encode())
        .replace(b"KEY", key.encode())
    )


@pytest.mark.parametrize("path", ["/demotoken/secure/", "/demotoken/logout/"])
@pytest.mark.parametrize("template", [h for _, h in BAD_HEADERS], ids=[name for name, _ in BAD_HEADERS])
def test_bad_authorization_header_is_a_401_in_process(api_client, key, path, template):
    header = raw_header(template, key).decode("latin-1")  # what WSGI gives Django

    response = api_client.post(path, HTTP_AUTHORIZATION=header)

    assert response.status_code == 401, response.content
    assert response["WWW-Authenticate"] == "Token"
    assert set(response.json()) == {"detail"}
    assert Token.objects.filter(key=key).exists()  # nothing was logged out


def test_header_that_is_not_latin1_is_a_401(api_client, key):
    # Only possible in-process (a real server always hands over latin-1 text); DRF's
    # get_authorization_header would raise UnicodeEncodeError, a 500.
    response = api_client.get("/demotoken/secure/", HTTP_AUTHORIZATION="Token \u20ac\u4e2d")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_keyword_is_case_insensitive_and_tabs_separate(api_client, key):
    # Not malformed: DRF accepts "token" and any whitespace between keyword and key.
    for header in (f"token {key}", f"TOKEN {key}", f"Token\t{key}", f"  Token   {key}  "):
        assert api_client.get("/demotoken/secure/", HTTP_AUTHORIZATION=header).status_code == 200, header


@pytest.mark.postgres
def test_plain_drf_token_authentication_crashes_on_a_nul_byte_with_postgresql(db):
    # Why StrictTokenAuthentication checks the key's shape before querying: PostgreSQL
    # refuses NUL in text, so DRF's class turns "Token a\x00b" into a DataError (500).
    from django.db import DataError, transaction

    with pytest.raises(DataError), transaction.atomic():
        TokenAuthentication().authenticate_credentials("a\x00b")


def http_request(live_server, method, path, headers, body=None):
    url = urlparse(live_server.url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    try:
        connection.putrequest(method, path)
        for name, value in headers.items():
            connection.putheader(name, value)  # bytes go on the wire unchanged
        if body is not None:
            connection.putheader("Content-Type", "application/json")
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_every_bad_header_is_a_401_over_real_http(live_server, password):
    get_user_model().objects.create_user(username="alice", password=password)
    key = Token.objects.get(user__username="alice").key

    status, headers, _ = http_request(live_server, "GET", "/demotoken/secure/", {"Authorization": f"Token {key}"})
    assert status == 200  # the server and the key work

    status, headers, _ = http_request(live_server, "GET", "/demotoken/secure/", {})
    assert (status, headers.get("WWW-Authenticate")) == (401, "Token")

    results = {}
    for name, template in BAD_HEADERS:
        for method in ("GET", "POST"):
            status, headers, body = http_request(
                live_server, method, "/demotoken/secure/", {"Authorization": raw_header(template, key)}
            )
            results[f"{method} {name}"] = (status, headers.get("WWW-Authenticate"))
    assert results == {label: (401, "Token") for label in results}
    assert Token.objects.get(user__username="alice").key == key


@pytest.mark.django_db(transaction=True)
def test_full_flow_over_real_http(live_server, password):
    def call(method, path, key=None, body=None):
        headers = {"Authorization": f"Token {key}"} if key else {}
        return http_request(live_server, method, path, headers, body)

    credentials = json.dumps({"username": "zoe", "password": password}).encode()
    status, _, body = call("POST", "/demotoken/register/", body=credentials)
    assert status == 201
    key = json.loads(body)["token"]
    assert call("GET", "/demotoken/secure/", key)[0] == 200
    assert call("POST", "/demotoken/logout/", key)[0] == 204
    assert call("GET", "/demotoken/secure/", key)[0] == 401
    status, _, body = call("POST", "/demotoken/login/", body=credentials)
    assert status == 200
    assert json.loads(body)["token"] != key
