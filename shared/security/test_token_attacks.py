"""Forged, stale and garbage credentials against real servers over real HTTP.

Every attack must get a 401 (a 400 for a malformed request body; a 403 where a session
cookie is the credential, as DRF's SessionAuthentication answers), never a 5xx, and no
response may echo the credential it was sent. JWTs are forged with PyJWT using the
demo's own signing key, read from the running demo (so a forgery fails only for the
reason the test names, not because of a wrong key).
"""

import time
from dataclasses import dataclass

import pytest

from .api import READ_PATH, Account, sign_up
from .support import (
    alg_none,
    bearer,
    claims,
    http,
    known_bug,
    raw_request,
    resign,
    shell,
    sign_by_hand,
    signing_key,
    tamper,
    token_auth,
)

JWT_DEMOS = ["jwt_demo", "auditlog_demo", "sociallogin_demo"]
REFRESH_PATH = "/api/token/refresh/"
# Where each JWT demo refreshes, the body's field, and its answer to a refresh token it
# refuses: SimpleJWT's own view says 401; allauth's headless refresh (sociallogin_demo's
# token strategy returns None) says 400, an invalid input, in allauth's JSON envelope.
REFRESH = {
    "jwt_demo": (REFRESH_PATH, "refresh", 401),
    "auditlog_demo": (REFRESH_PATH, "refresh", 401),
    "sociallogin_demo": ("/_allauth/app/v1/tokens/refresh", "refresh_token", 400),
}


def assert_refused(response, *credentials, status=401):
    """The answer to an attack: ``status``, never a 5xx, never the credential echoed."""
    body = response.text
    assert response.status_code == status, (response.status_code, body[:500])
    if status == 401:
        assert response.headers.get("WWW-Authenticate"), "a 401 must say how to authenticate"
    for credential in credentials:
        if len(credential) >= 8:
            assert credential not in body, "the response echoes the credential"
            for part in credential.split(".")[1:]:  # a JWT's claims and signature
                assert len(part) < 8 or part not in body, "the response echoes part of the token"


# --- JWT demos --------------------------------------------------------------------------------
@dataclass
class JwtTarget:
    name: str
    url: str
    key: str
    victim: Account
    staff_id: int | None = None

    def read(self, token):
        return http.get(self.url + READ_PATH[self.name], headers=bearer(token))

    @property
    def refresh_path(self):
        return REFRESH[self.name][0]

    @property
    def refused_refresh(self):
        """The status of a refused refresh token at this demo's refresh endpoint."""
        return REFRESH[self.name][2]

    def refresh(self, token, **kwargs):
        return http.post(self.url + self.refresh_path, json={REFRESH[self.name][1]: token}, **kwargs)


@pytest.fixture(scope="module", params=JWT_DEMOS)
def target(request, server):
    served = server(request.param)
    victim = sign_up(request.param, served, f"victim-{int(time.time() * 1000)}", "a long victim passphrase 42")
    return JwtTarget(request.param, served.url, signing_key(served), victim)


def test_a_valid_access_token_is_accepted(target):
    # The baseline: the attacks below differ from this request only by the forgery.
    assert target.read(target.victim.tokens["access"]).status_code == 200


NOW = int(time.time())


def someone_else(token):
    """A user id that is not the token's own."""
    return 2 if str(claims(token)["user_id"]) == "1" else 1


FORGED_ACCESS = {
    "alg-none": lambda t, key: alg_none(t),
    "alg-None": lambda t, key: alg_none(t, alg="None"),
    "alg-NONE": lambda t, key: alg_none(t, alg="NONE"),
    "wrong-key": lambda t, key: resign(t, "not-the-signing-key-" + "x" * 40),
    "empty-key": lambda t, key: sign_by_hand(t, ""),
    "hs384-with-the-right-key": lambda t, key: resign(t, key, algorithm="HS384"),
    "tampered-user-id": lambda t, key: tamper(t, user_id=someone_else(t)),
    "tampered-exp": lambda t, key: tamper(t, exp=NOW + 10 * 365 * 86400),
    "signature-stripped": lambda t, key: t.rsplit(".", 1)[0] + ".",
    "signature-truncated": lambda t, key: t[:-6],
    "expired": lambda t, key: resign(t, key, exp=NOW - 60, iat=NOW - 3600),
    "nbf-in-the-future": lambda t, key: resign(t, key, nbf=NOW + 3600),
    "iat-only-no-exp": lambda t, key: resign(t, key, exp=None),
    "no-user-id": lambda t, key: resign(t, key, user_id=None),
    "unknown-user-id": lambda t, key: resign(t, key, user_id=987654321),
    "wrong-token-type": lambda t, key: resign(t, key, token_type="refresh"),
}


@pytest.mark.parametrize("forgery", list(FORGED_ACCESS))
def test_forged_access_token_is_a_401(target, forgery):
    token = FORGED_ACCESS[forgery](target.victim.tokens["access"], target.key)
    assert_refused(target.read(token), token)


def test_refresh_token_used_as_access_token_is_a_401(target):
    refresh = target.victim.tokens["refresh"]
    assert_refused(target.read(refresh), refresh)


FORGED_REFRESH = {
    "alg-none": lambda t, key: alg_none(t),
    "wrong-key": lambda t, key: resign(t, "not-the-signing-key-" + "x" * 40),
    "tampered-user-id": lambda t, key: tamper(t, user_id=someone_else(t)),
    "expired": lambda t, key: resign(t, key, exp=NOW - 60, iat=NOW - 86400),
    "nbf-in-the-future": lambda t, key: resign(t, key, nbf=NOW + 3600),
    "access-token-as-refresh": lambda t, key: None,  # replaced below
    "garbage": lambda t, key: "not.a.jwt",
}


@pytest.mark.parametrize("forgery", list(FORGED_REFRESH))
def test_forged_refresh_token_is_a_401(target, forgery):
    if forgery == "access-token-as-refresh":
        token = target.victim.tokens["access"]
    else:
        token = FORGED_REFRESH[forgery](target.victim.tokens["refresh"], target.key)
    assert_refused(target.refresh(token), token, status=target.refused_refresh)


# FIELD stands for the demo's field name ("refresh", or allauth's "refresh_token").
MALFORMED_BODIES = {
    "empty-object": {"json": {}},
    "empty-string": {"json": {"FIELD": ""}},
    "null": {"json": {"FIELD": None}},
    "list-value": {"json": {"FIELD": ["a", "b"]}},
    "object-value": {"json": {"FIELD": {"token": "x"}}},
    "list-body": {"json": ["FIELD"]},
    "broken-json": {"data": b'{"FIELD": ', "headers": {"Content-Type": "application/json"}},
    "not-utf8-json": {"data": b'{"FIELD": "\xff\xfe"}', "headers": {"Content-Type": "application/json"}},
}


def with_field(value, field):
    """A MALFORMED_BODIES value with FIELD replaced by the demo's field name."""
    if isinstance(value, bytes):
        return value.replace(b"FIELD", field.encode())
    if isinstance(value, str):
        return field if value == "FIELD" else value
    if isinstance(value, dict):
        return {with_field(key, field): item for key, item in value.items()}
    if isinstance(value, list):
        return [with_field(item, field) for item in value]
    return value


@pytest.mark.parametrize("body", list(MALFORMED_BODIES))
def test_malformed_refresh_body_is_a_400(target, body):
    kwargs = {key: with_field(value, REFRESH[target.name][1]) for key, value in MALFORMED_BODIES[body].items()}
    kwargs["headers"] = MALFORMED_BODIES[body].get("headers", {})
    response = http.post(target.url + target.refresh_path, **kwargs)
    assert_refused(response, status=400)
    assert isinstance(response.json(), dict)


@pytest.fixture(scope="module")
def gone_users(target, server):
    """Two signed-in users; then one is deleted and the other deactivated."""
    served = server(target.name)
    stamp = int(time.time() * 1000)
    deleted = sign_up(target.name, served, f"deleted-{stamp}", "a long deleted passphrase 42")
    inactive = sign_up(target.name, served, f"inactive-{stamp}", "a long inactive passphrase 42")
    shell(
        served,
        "from django.contrib.auth import get_user_model\n"
        "User = get_user_model()\n"
        f"User.objects.get(username={deleted.username!r}).delete()\n"
        f"User.objects.filter(username={inactive.username!r}).update(is_active=False)\n",
    )
    return {"deleted": deleted, "deactivated": inactive}


@pytest.mark.parametrize("who", ["deleted", "deactivated"])
def test_access_token_of_a_deleted_or_deactivated_user_is_a_401(target, gone_users, who):
    access = gone_users[who].tokens["access"]
    assert_refused(target.read(access), access)


# (demo, who) -> reason, for a refresh of a gone user's token that is a server error.
GONE_USER_REFRESH_500: dict[tuple[str, str], str] = {}


@pytest.mark.parametrize("who", ["deleted", "deactivated"])
def test_refresh_token_of_a_deleted_or_deactivated_user_is_a_401(request, target, gone_users, who):
    known_bug(request, (target.name, who) in GONE_USER_REFRESH_500, GONE_USER_REFRESH_500.get((target.name, who)))
    refresh = gone_users[who].tokens["refresh"]
    assert_refused(target.refresh(refresh), refresh, status=target.refused_refresh)


# --- jwt_demo only: rotation and blacklist ------------------------------------------------------
@pytest.fixture(scope="module")
def jwt_demo(server):
    return server("jwt_demo")


def test_rotated_refresh_token_reused_is_a_401(jwt_demo):
    account = sign_up("jwt_demo", jwt_demo, f"rotated-{int(time.time() * 1000)}", "a long rotated passphrase 42")
    first = http.post(jwt_demo.url + REFRESH_PATH, json={"refresh": account.tokens["refresh"]})
    assert first.status_code == 200 and first.json()["refresh"] != account.tokens["refresh"]

    again = http.post(jwt_demo.url + REFRESH_PATH, json={"refresh": account.tokens["refresh"]})

    assert_refused(again, account.tokens["refresh"])
    # ...and the access token minted from the rotated-away refresh token is revoked too.
    old_access = account.tokens["access"]
    assert_refused(http.get(jwt_demo.url + "/api/auth/me/", headers=bearer(old_access)))


def test_blacklisted_refresh_token_reused_is_a_401(jwt_demo):
    account = sign_up("jwt_demo", jwt_demo, f"loggedout-{int(time.time() * 1000)}", "a long logout passphrase 42")
    refresh = account.tokens["refresh"]
    logout = http.post(jwt_demo.url + "/api/token/blacklist/", json={"refresh": refresh})
    assert logout.status_code == 200

    assert_refused(http.post(jwt_demo.url + REFRESH_PATH, json={"refresh": refresh}), refresh)
    access = account.tokens["access"]
    assert_refused(http.get(jwt_demo.url + "/api/auth/me/", headers=bearer(access)), access)


def test_sociallogin_refresh_token_after_sign_out_is_refused(server):
    # The app signs out at the demo's own endpoint (SimpleJWT's blacklist); allauth's
    # refresh, through the demo's token strategy, must then refuse the token: a 400.
    served = server("sociallogin_demo")
    account = sign_up("sociallogin_demo", served, f"signedout-{int(time.time() * 1000)}", "unused")
    path, field, refused = REFRESH["sociallogin_demo"]
    refresh = account.tokens["refresh"]
    assert http.post(served.url + path, json={field: refresh}).status_code == 200  # the baseline
    assert http.post(served.url + "/api/auth/logout/", json={"refresh": refresh}).status_code == 200

    assert_refused(http.post(served.url + path, json={field: refresh}), refresh, status=refused)


def test_jwt_claims_hold_no_secret(target):
    # Signed, not encrypted: anyone holding a token reads its claims.
    payload = claims(target.victim.tokens["access"])
    assert target.victim.password not in str(payload)
    assert not {"password", "email", "phone"} & set(payload)


# --- DRF token demos -----------------------------------------------------------------------------
DRF_TOKEN_DEMOS = ["tokenauth_demo", "scheduler_demo"]


@pytest.fixture(scope="module", params=DRF_TOKEN_DEMOS)
def token_target(request, server):
    served = server(request.param)
    stamp = int(time.time() * 1000)
    accounts = {
        who: sign_up(request.param, served, f"{who}-{stamp}", f"a long {who} passphrase 42")
        for who in ("victim", "deleted", "deactivated", "expired")
    }
    shell(
        served,
        "from datetime import timedelta\n"
        "from django.contrib.auth import get_user_model\n"
        "from django.utils import timezone\n"
        "from rest_framework.authtoken.models import Token\n"
        "User = get_user_model()\n"
        f"User.objects.get(username={accounts['deleted'].username!r}).delete()\n"
        f"User.objects.filter(username={accounts['deactivated'].username!r}).update(is_active=False)\n"
        # Two days old: past tokenauth_demo's TOKEN_LIFETIME (one day by default).
        f"Token.objects.filter(key={accounts['expired'].tokens['key']!r})"
        ".update(created=timezone.now() - timedelta(days=2))\n",
    )
    return request.param, served, accounts


def read_with(token_target, headers):
    name, served, _ = token_target
    return http.get(served.url + READ_PATH[name], headers=headers)


def test_a_valid_drf_token_is_accepted(token_target):
    assert read_with(token_target, token_target[2]["victim"].headers).status_code == 200


@pytest.mark.parametrize("who", ["deleted", "deactivated"])
def test_drf_token_of_a_deleted_or_deactivated_user_is_a_401(token_target, who):
    key = token_target[2][who].tokens["key"]
    assert_refused(read_with(token_target, token_auth(key)), key)


# Only tokenauth_demo's tokens expire; scheduler_demo uses DRF's plain, never-expiring token.
@pytest.mark.parametrize("token_target", ["tokenauth_demo"], indirect=True)
def test_expired_drf_token_is_a_401(token_target):
    key = token_target[2]["expired"].tokens["key"]
    assert_refused(read_with(token_target, token_auth(key)), key)


@pytest.mark.parametrize(
    "forgery",
    ["unknown-key", "uppercased-key", "truncated-key", "key-plus-one", "sql-ish", "bearer-scheme"],
)
def test_forged_drf_token_is_a_401(token_target, forgery):
    key = token_target[2]["victim"].tokens["key"]
    header = {
        "unknown-key": f"Token {'0123456789abcdef' * 2}01234567",
        "uppercased-key": f"Token {key.upper()}",
        "truncated-key": f"Token {key[:-1]}",
        "key-plus-one": f"Token {key}0",
        "sql-ish": "Token ' OR '1'='1' --",
        "bearer-scheme": f"Bearer {key}",
    }[forgery]
    assert_refused(read_with(token_target, {"Authorization": header}), header.split(" ", 1)[1])


# --- garbage Authorization headers, as raw bytes on a socket, against every token demo -----------
SCHEME = {
    "jwt_demo": b"Bearer",
    "auditlog_demo": b"Bearer",
    "tokenauth_demo": b"Token",
    "scheduler_demo": b"Token",
    "sociallogin_demo": b"Bearer",
}
TOKEN_DEMOS = ["jwt_demo", "auditlog_demo", "tokenauth_demo", "scheduler_demo", "sociallogin_demo"]
# (id, header value, expected status). S is the demo's scheme. gunicorn itself answers
# 400 to bytes that HTTP/1.1 forbids in a header value (NUL, other control characters).
GARBAGE = [
    ("empty", b"", 401),
    ("spaces", b"   ", 401),
    ("scheme-only", b"S", 401),
    ("scheme-and-space", b"S ", 401),
    ("two-parts", b"S a b", 401),
    ("many-parts", b"S " + b"a " * 500, 401),
    ("other-scheme", b"Basic YWxpY2U6c2VjcmV0", 401),
    ("lowercase-garbage", b"s garbage-garbage-garbage", 401),
    ("dots", b"S ...", 401),
    ("three-empty-segments", b"S a..b", 401),
    ("base64-junk", b"S eyJhbGciOiJub25lIn0.eyJ1c2VyX2lkIjoxfQ.e30", 401),
    ("invalid-utf8", b"S \xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8", 401),
    ("latin1", b"S caf\xe9caf\xe9caf\xe9", 401),
    ("utf8-non-ascii", "S clé-ünïcødé-€-中文".encode(), 401),
    ("overlong-utf8", b"S \xc0\xaf\xc0\xaf\xe0\x80\xaf", 401),
    ("only-high-bytes", b"\x80\x81\x82\x83\x84\x85\x86\x87", 401),
    ("oversized-6kb", b"S " + b"A" * 6000, 401),
    ("nul-byte", b"S abc\x00defghijk", 400),
    ("control-chars", b"S \x01\x02\x03\x7fabcdefgh", 400),
]


@pytest.mark.parametrize("demo", TOKEN_DEMOS)
@pytest.mark.parametrize(("case", "value", "status"), GARBAGE, ids=[case for case, _, _ in GARBAGE])
def test_garbage_authorization_header_over_a_socket(server, demo, case, value, status):
    served = server(demo)
    value = value.replace(b"S", SCHEME[demo], 1) if value.startswith(b"S") else value

    response = raw_request(served.url, READ_PATH[demo], [b"Authorization: " + value])

    assert response.status == status, (case, response.status, response.body[:300])
    credential = value.partition(b" ")[2]
    if len(credential) >= 8:
        assert credential not in response.body and credential not in response.head


@pytest.mark.parametrize("demo", TOKEN_DEMOS)
def test_header_over_the_servers_limit_is_refused_by_gunicorn(server, demo):
    # gunicorn refuses a header line over 8190 bytes before Django runs: a 4xx, no echo.
    served = server(demo)
    credential = b"B" * 20000
    response = raw_request(served.url, READ_PATH[demo], [b"Authorization: " + SCHEME[demo] + b" " + credential])
    assert 400 <= response.status < 500, response.status
    assert credential[:100] not in response.body


# --- every token or session demo: a password changed outside the API -------------------------
# (demo -> reason) for a demo whose tokens survive a password change; the test is then a
# strict xfail naming the cause, and turns red the day the demo is fixed.
SURVIVES_A_PASSWORD_CHANGE: dict[str, str] = {}
# The session cookie is the only credential: Django keeps a hash of the password in the
# session and ends it when they no longer match; DRF's SessionAuthentication then says 403.
SESSION_DEMOS = ["chat_demo"]


@pytest.mark.parametrize("demo", JWT_DEMOS + DRF_TOKEN_DEMOS + SESSION_DEMOS)
def test_a_password_changed_outside_the_api_ends_every_token(request, server, demo):
    """The shell, the admin's form and a reset all end in ``set_password(); save()``: the
    credentials issued before it must stop working, whatever path changed the password."""
    known_bug(request, demo in SURVIVES_A_PASSWORD_CHANGE, SURVIVES_A_PASSWORD_CHANGE.get(demo))
    served = server(demo)
    account = sign_up(demo, served, f"changed-{int(time.time() * 1000)}", "a long changed passphrase 42")
    assert http.get(served.url + READ_PATH[demo], headers=account.headers).status_code == 200
    shell(
        served,
        "from django.contrib.auth import get_user_model\n"
        f"user = get_user_model().objects.get(username={account.username!r})\n"
        "user.set_password('another long passphrase 43')\n"
        "user.save()\n",
    )
    credential = account.tokens.get("access") or account.tokens.get("key") or account.tokens["sessionid"]
    status = 403 if demo in SESSION_DEMOS else 401
    assert_refused(http.get(served.url + READ_PATH[demo], headers=account.headers), credential, status=status)
    if "refresh" in account.tokens:
        path, field, refused = REFRESH[demo]
        refresh = account.tokens["refresh"]
        assert_refused(http.post(served.url + path, json={field: refresh}), refresh, status=refused)
