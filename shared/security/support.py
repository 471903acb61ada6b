"""Helpers for the black-box security suite: serve a demo, talk to it, forge tokens, search.

Test-time tooling only: no demo imports it. Every demo runs in its own child process
(``demo_harness.serve_demo``), so one pytest process can attack all of them.
"""

import base64
import json
import os
import secrets
import socket
import sqlite3
import string
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import jwt
import requests

from demo_harness import run_manage, serve_demo

ROOT = Path(__file__).resolve().parents[2]
DEMOS = [
    "signals_demo",
    "tokenauth_demo",
    "jwt_demo",
    "auditlog_demo",
    "scheduler_demo",
    "chat_demo",
    "sociallogin_demo",  # served with its OpenID Connect provider beside it (sociallogin.py)
]
# Production mode over plain HTTP on loopback stands behind an imaginary TLS proxy.
HTTPS = {"X-Forwarded-Proto": "https"}
# The login throttles would get in the way of tests that log in many times.
NO_THROTTLE = {
    "LOGIN_THROTTLE_RATE": "100000/minute",
    "PASSWORD_THROTTLE_RATE": "100000/minute",
    "SIGNUP_THROTTLE_RATE": "100000/minute",
    "IMPORT_THROTTLE_RATE": "100000/minute",
    "LOGIN_ACCOUNT_THROTTLE_RATE": "100000/minute",
    "FORGOT_ACCOUNT_THROTTLE_RATE": "100000/minute",
}
TIMEOUT = 30


def demo_dir(name):
    return ROOT / name


def password():
    """A random, strong password made of letters and digits (no URL or JSON escaping)."""
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(24))


# --- serving -----------------------------------------------------------------------------
# Loud logging for the secret-leak tests: everything Django and the demo log, at DEBUG,
# on the console (captured by serve_demo), except the SQL log (its parameters hold the
# token keys a query looks up by design; it is never on in production).
VERBOSE_SETTINGS = """
from config.settings import *  # noqa: F401,F403  (the demo's own settings, then louder logging)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "DEBUG"},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "django.template": {"level": "INFO"},
        "django.utils.autoreload": {"level": "INFO"},
    },
}
"""


@contextmanager
def serve(name, *, verbose=False, env=None, **kwargs):
    """``serve_demo`` for one demo; ``verbose=True`` logs everything at DEBUG (see above),
    gunicorn's access log included. sociallogin_demo comes with its provider served
    beside it and registered (``sociallogin.serve_social``)."""
    env = dict(env or {})
    with tempfile.TemporaryDirectory(prefix="security-settings-") as overlay:
        if verbose:
            Path(overlay, "security_verbose_settings.py").write_text(VERBOSE_SETTINGS)
            env.update(
                PYTHONPATH=os.pathsep.join(filter(None, [overlay, os.environ.get("PYTHONPATH")])),
                DJANGO_SETTINGS_MODULE="security_verbose_settings",
                DEMO_LOG_LEVEL="DEBUG",
                WORKER_LOG_LEVEL="DEBUG",
                GUNICORN_CMD_ARGS="--access-logfile - --error-logfile - --log-level debug",
            )
        if name == "sociallogin_demo":  # signs in through a provider: serve that too
            from .sociallogin import serve_social

            with serve_social(demo_dir(name), password(), env=env, **kwargs) as served:
                yield served
        else:
            with serve_demo(demo_dir(name), env=env, **kwargs) as served:
                yield served


def shell(served, code, timeout=120):
    """``manage.py shell -c CODE`` against the served database; returns stdout."""
    done = run_manage(served.demo_dir, "shell", "-c", code, env=served.env, timeout=timeout)
    if done.returncode:
        raise RuntimeError(f"manage.py shell failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def shell_json(served, code):
    """Run CODE, which must ``print(json.dumps(...))`` last; return that value."""
    lines = [line for line in shell(served, "import json\n" + code).splitlines() if line.strip()]
    return json.loads(lines[-1])


def sqlite_path(served):
    url = served.env["DATABASE_URL"]
    assert url.startswith("sqlite:///"), url
    return Path(url.removeprefix("sqlite:///"))


# --- HTTP --------------------------------------------------------------------------------
@dataclass
class Exchange:
    method: str
    path: str
    status: int
    headers: dict
    text: str
    issued: set = field(default_factory=set)  # labels of the secrets this response hands out

    def everything(self):
        return "\n".join([f"{k}: {v}" for k, v in self.headers.items()] + [self.text])


class Client:
    """requests.Session that records every response (for the leak tests)."""

    def __init__(self, base_url, headers=None):
        self.base_url = base_url
        self.session = requests.Session()
        self.session.headers.update({**HTTPS, **(headers or {})})
        self.exchanges = []

    def request(self, method, path, *, issues=(), **kwargs):
        kwargs.setdefault("timeout", TIMEOUT)
        kwargs.setdefault("allow_redirects", False)
        response = self.session.request(method, self.base_url + path, **kwargs)
        self.exchanges.append(
            Exchange(method, path, response.status_code, dict(response.headers), response.text, set(issues))
        )
        return response

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.request("POST", path, **kwargs)


class _Http:
    """requests with the suite's defaults: the HTTPS proxy header (production mode needs
    it, development mode ignores it), a timeout, and redirects shown, not followed."""

    def request(self, method, url, headers=None, **kwargs):
        kwargs.setdefault("timeout", TIMEOUT)
        kwargs.setdefault("allow_redirects", False)
        return requests.request(method, url, headers={**HTTPS, **(headers or {})}, **kwargs)

    def get(self, url, **kwargs):
        return self.request("GET", url, **kwargs)

    def post(self, url, **kwargs):
        return self.request("POST", url, **kwargs)


http = _Http()


def same_origin(base_url):
    """What a browser sends with a same-site POST over HTTPS: Django's CSRF check compares
    the Origin (and, over HTTPS, the Referer) with the host."""
    origin = "https://" + urlparse(base_url).netloc
    return {"Origin": origin, "Referer": origin + "/"}


def csrf_headers(base_url, login_path):
    """A session login checks CSRF (signals_demo's API, chat_demo's form): GET the login URL
    for the csrftoken cookie, then send it back as the cookie and the X-CSRFToken header,
    from the same origin."""
    token = http.get(base_url + login_path).cookies["csrftoken"]
    return {"Cookie": f"csrftoken={token}", "X-CSRFToken": token, **same_origin(base_url)}


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def token_auth(key):
    return {"Authorization": f"Token {key}"}


@dataclass
class RawResponse:
    status: int
    head: bytes
    body: bytes


def raw_request(base_url, path, header_lines, method="GET", body=b""):
    """Send bytes exactly as given (no client-side validation or encoding) over a socket."""
    parsed = urlparse(base_url)
    lines = [
        f"{method} {path} HTTP/1.1".encode(),
        f"Host: {parsed.hostname}:{parsed.port}".encode(),
        b"Connection: close",
        b"X-Forwarded-Proto: https",
        f"Content-Length: {len(body)}".encode(),
        *header_lines,
    ]
    payload = b"\r\n".join(lines) + b"\r\n\r\n" + body
    with socket.create_connection((parsed.hostname, parsed.port), timeout=TIMEOUT) as sock:
        sock.sendall(payload)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    data = b"".join(chunks)
    head, _, rest = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1]) if head.startswith(b"HTTP/") else 0
    return RawResponse(status, head, rest)


# --- JWTs ----------------------------------------------------------------------------------
def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def claims(token):
    return jwt.decode(token, options={"verify_signature": False})


def resign(token, key, *, algorithm="HS256", **changes):
    """The token's claims with ``changes`` (None deletes a claim), signed with ``key``."""
    payload = {**claims(token), **changes}
    payload = {name: value for name, value in payload.items() if value is not None}
    return jwt.encode(payload, key, algorithm=algorithm)


def alg_none(token, alg="none", **changes):
    """The classic forgery: header ``alg: none`` and no signature."""
    payload = {**claims(token), **changes}
    header = {"alg": alg, "typ": "JWT"}
    return f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(payload).encode())}."


def sign_by_hand(token, key):
    """HS256 with any key, even an empty one (PyJWT refuses to sign with that)."""
    import hashlib
    import hmac

    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    payload = b64url(json.dumps(claims(token)).encode())
    signature = hmac.new(key.encode(), f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{b64url(signature)}"


def tamper(token, **changes):
    """Change claims and keep the original signature (which no longer matches)."""
    header, _, signature = token.split(".")
    payload = {**claims(token), **changes}
    return f"{header}.{b64url(json.dumps(payload).encode())}.{signature}"


def signing_key(served):
    return shell(
        served, "from rest_framework_simplejwt.settings import api_settings; print(api_settings.SIGNING_KEY)"
    ).splitlines()[-1]


# --- searching for secrets -------------------------------------------------------------------
def needles(label, secret):
    """What counts as a leak of ``secret``: the value, and for random secrets any 12
    characters of it (a token shown as more than its first 4 characters is a leak)."""
    parts = secret.split(".")
    if len(parts) == 3 and secret.startswith("eyJ"):  # a JWT: header and claims are not secret
        return [(label, secret), (f"{label} (signature)", parts[2])]
    found = [(label, secret)]
    found += [(f"{label} [{i}:{i + 12}]", secret[i : i + 12]) for i in range(0, len(secret) - 11)]
    return found


def search(text, secrets_by_label):
    """Labels of the secrets found in ``text``."""
    hits = set()
    for label, secret in secrets_by_label.items():
        for _, needle in needles(label, secret):
            if needle in text:
                hits.add(label)
                break
    return hits


def search_sqlite(path, secrets_by_label, allowed=()):
    """Every (table, column, label) where a secret is stored; ``allowed`` lists
    (table, column, label) triples that hold a secret by design (a token table)."""
    hits = []
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            columns = [row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')]
            for row in connection.execute(f'SELECT * FROM "{table}"'):  # noqa: S608 (names from the schema)
                for column, value in zip(columns, row, strict=True):
                    if value is None or isinstance(value, int | float):
                        continue
                    text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
                    for label in search(text, secrets_by_label):
                        if (table, column, label) not in allowed:
                            hits.append((table, column, label))
    finally:
        connection.close()
    return sorted(set(hits))


# --- worker processes ---------------------------------------------------------------------------
def start_worker(served, *args, env=None):
    """``manage.py process_tasks ARGS`` in the background (stop it with ``stop_worker``)."""
    log = tempfile.NamedTemporaryFile(prefix="worker-", suffix=".log", delete=False)  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "manage.py", "process_tasks", *args],
        cwd=served.demo_dir,
        env={**os.environ, **served.env, "PYTHONUNBUFFERED": "1", **(env or {})},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    process.log_path = Path(log.name)
    log.close()
    return process


def stop_worker(process):
    """Stop a worker and return everything it printed."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    text = process.log_path.read_text(errors="replace")
    process.log_path.unlink(missing_ok=True)
    return text


def wait_until(condition, timeout=60.0, interval=0.2, message="condition"):
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {message}")
        time.sleep(interval)
    return result


def known_bug(request, condition, reason):
    """Mark the running test as a known demo bug (strict xfail) when ``condition`` holds:
    the test stays as it is and starts failing the day the demo is fixed (XPASS strict)."""
    if condition:
        import pytest

        request.applymarker(pytest.mark.xfail(strict=True, reason=reason))
