"""Fuzz every API demo with schemathesis against its own OpenAPI schema (`nox -s fuzz`).

    python shared/fuzz/run_fuzz.py                      # every demo below
    python shared/fuzz/run_fuzz.py jwt_demo -n 200      # one demo, 200 cases per operation
    python shared/fuzz/run_fuzz.py --seed 1234          # replay a run

For each demo: serve it with gunicorn (2 workers) on 127.0.0.1 on a fresh SQLite file,
sign a user up or in through the demo's own API, run schemathesis's generated cases
against /api/schema/ with that credential, then check in the database that nothing was
half-written. Fails on a 5xx, a response that does not match the schema (body or status
code), a traceback in the server log, or a broken invariant. The seed is fixed when the
environment variable CI is set (FUZZ_SEED overrides it) and random otherwise; it is
printed either way so that any run can be replayed.

Test-time tooling: demos never import it. Needs the demos' requirements, ../demo_harness
(pip install ./shared) and schemathesis 4 in the same environment.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import requests

from demo_harness.server import serve_demo

ROOT = Path(__file__).resolve().parents[2]
CI_SEED = 20261121
PASSWORD = "fuzzing-is-a-long-passphrase-42"
CHECKS = "not_a_server_error,response_schema_conformance,status_code_conformance"
ENV = {
    # The login throttles would turn most login cases into 429s: let the fuzzer reach the code.
    "LOGIN_THROTTLE_RATE": "100000/minute",
    "PASSWORD_THROTTLE_RATE": "100000/minute",
    "SIGNUP_THROTTLE_RATE": "100000/minute",
    "IMPORT_THROTTLE_RATE": "100000/minute",
    # schemathesis repeats a query parameter with values of every type; past 4094 bytes
    # of request line gunicorn itself answers 414, before Django sees the request. That
    # is the server's limit, not the demo's API: lift it (0 = no limit).
    "GUNICORN_CMD_ARGS": "--limit-request-line 0",
}


# --- how to get a credential for each demo ---------------------------------------------
def signals_login(url):
    """Session cookie of the superuser that serve_demo created, and the CSRF token that
    login and every write need (GET on the login URL hands out the cookie)."""
    session = requests.Session()
    session.get(f"{url}/api/auth/login/", timeout=30).raise_for_status()
    csrf = {"X-CSRFToken": session.cookies["csrftoken"]}
    body = {"username": "fuzzer", "password": PASSWORD}
    session.post(f"{url}/api/auth/login/", json=body, headers=csrf, timeout=30).raise_for_status()
    token = session.cookies["csrftoken"]  # login rotates it
    return {"Cookie": f"sessionid={session.cookies['sessionid']}; csrftoken={token}", "X-CSRFToken": token}


def tokenauth_register(url):
    """A new user through the sign-up API: its token comes back in the 201 response."""
    body = {"username": "fuzz-signup", "password": PASSWORD, "email": "fuzz-signup@example.com"}
    response = requests.post(f"{url}/demotoken/register/", json=body, timeout=30)
    response.raise_for_status()
    return {"Authorization": f"Token {response.json()['token']}"}


def jwt_signup(url):
    """A new user through the sign-up API: the access token comes back in the 201 response."""
    body = {"username": "fuzz-signup", "email": "fuzz-signup@example.com", "password": PASSWORD}
    response = requests.post(f"{url}/api/auth/signup/", json=body, timeout=30)
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['access']}"}


def scheduler_token(url):
    """A new user through the sign-up API (201, no token), then its token from /api/auth/token/."""
    body = {"username": "fuzz-signup", "email": "fuzz-signup@example.com", "password": PASSWORD}
    requests.post(f"{url}/api/auth/signup/", json=body, timeout=30).raise_for_status()
    credentials = {"username": body["username"], "password": PASSWORD}
    response = requests.post(f"{url}/api/auth/token/", json=credentials, timeout=30)
    response.raise_for_status()
    return {"Authorization": f"Token {response.json()['token']}"}


def auditlog_token(url):
    """A JWT for the (staff) superuser: the staff-only hit log and user history too."""
    response = requests.post(f"{url}/api/token/", json={"username": "fuzzer", "password": PASSWORD}, timeout=30)
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['access']}"}


def chat_login(url):
    """Session cookie of the superuser that serve_demo created, from Django's login form
    (CSRF-checked: GET it for the cookie first). No CSRF header afterwards: the only write
    in the schema, the ticket, checks a password and reads no cookie. Then one ticket, so
    that the integrity check has a stored ticket to look at."""
    session = requests.Session()
    session.get(f"{url}/login/", timeout=30).raise_for_status()
    form = {"username": "fuzzer", "password": PASSWORD, "csrfmiddlewaretoken": session.cookies["csrftoken"]}
    login = session.post(f"{url}/login/", data=form, allow_redirects=False, timeout=30)
    assert login.status_code == 302, (login.status_code, login.text[:300])
    body = {"username": "fuzzer", "password": PASSWORD}
    requests.post(f"{url}/api/auth/ticket/", json=body, timeout=30).raise_for_status()
    return {"Cookie": f"sessionid={session.cookies['sessionid']}"}


# sociallogin_demo signs people in at an OpenID Connect provider; its schema describes
# its own API (GET /api/me/, POST /api/auth/logout/), which reads only SimpleJWT's tokens
# (allauth's headless API has a schema of its own, /_allauth/openapi.json). The token is
# minted for serve_demo's superuser by the demo's own SimpleJWT (what its token strategy
# hands out after a sign-in): the sign-in itself, provider and all, is the security
# suite's and the browser suite's (shared/security/sociallogin.py, docs/e2e).
SOCIAL_TOKEN = """
from django.contrib.auth import get_user_model
from rest_framework_simplejwt.tokens import RefreshToken
print(RefreshToken.for_user(get_user_model().objects.get(username="fuzzer")).access_token)
"""


def sociallogin_token(served):
    """An access token for the superuser, from `manage.py shell` on the served database."""
    minted = served.manage("shell", "-c", SOCIAL_TOKEN)
    assert minted.returncode == 0, minted.stderr
    return {"Authorization": f"Bearer {minted.stdout.split()[-1]}"}


# --- what must hold in the database afterwards -----------------------------------------
# Each snippet runs in `manage.py shell -c` against the fuzzed database and prints
# "INTEGRITY OK" or one line per violation.
SIGNALS_INTEGRITY = """
from students.models import Student
bad = list(Student.objects.filter(personal_detail__isnull=True).values_list("pk", flat=True))
print(f"students without a PersonalDetail: {bad}" if bad else "INTEGRITY OK")
"""

TOKENAUTH_INTEGRITY = """
from django.contrib.auth import get_user_model
bad = list(get_user_model().objects.filter(personal_detail__isnull=True).values_list("pk", flat=True))
print(f"users without a PersonalDetail: {bad}" if bad else "INTEGRITY OK")
"""

JWT_INTEGRITY = """
from collections import Counter
from accounts.models import User, normalize_email_address
from accounts.phone import normalize_phone
problems = []
for user in User.objects.all():
    if user.email != normalize_email_address(user.email):
        problems.append(f"user {user.pk}: email {user.email!r} is not normalized")
    if user.phone is not None and user.phone != normalize_phone(user.phone):
        problems.append(f"user {user.pk}: phone {user.phone!r} is not E.164")
    if user.phone == "":
        problems.append(f"user {user.pk}: empty phone instead of NULL")
emails = Counter(email.lower() for email in User.objects.values_list("email", flat=True))
phones = Counter(phone for phone in User.objects.values_list("phone", flat=True) if phone)
problems += [f"email used {n} times: {e!r}" for e, n in emails.items() if n > 1]
problems += [f"phone used {n} times: {p!r}" for p, n in phones.items() if n > 1]
print("\\n".join(problems) if problems else "INTEGRITY OK")
"""

SCHEDULER_INTEGRITY = """
from collections import Counter
from background_task.models import Task
from background_task.tasks import autodiscover, tasks
from contacts.models import UserContact, UserContactsImport
# No worker runs while the server is fuzzed: every accepted import is still pending.
# Run the queue now with the worker's own loop, so the fuzzed uploads go through the
# import task and the counters below mean something.
autodiscover()
while tasks.run_next_task():
    pass
failed = Task.objects.exclude(last_error="")
problems = [f"task {task.task_name} failed: {task.last_error.strip().splitlines()[-1]}" for task in failed]
for record in UserContactsImport.objects.defer("rows"):
    counted = record.created + record.duplicates + record.invalid
    if record.status != "done":
        problems.append(f"import {record.pk} is {record.status}")
    if record.processed != counted or record.processed > record.total:
        problems.append(f"import {record.pk}: processed {record.processed}, total {record.total}, counted {counted}")
phones = Counter(UserContact.objects.exclude(phone_number=None).values_list("user_id", "phone_number"))
emails = UserContact.objects.exclude(email=None).values_list("user_id", "email")
emails = Counter((user, email.lower()) for user, email in emails)
problems += [f"user {user}: phone {phone!r} on {n} contacts" for (user, phone), n in phones.items() if n > 1]
problems += [f"user {user}: email {email!r} on {n} contacts" for (user, email), n in emails.items() if n > 1]
counts = f"{UserContactsImport.objects.count()} imports run, {UserContact.objects.count()} contacts"
print("\\n".join(problems) if problems else f"INTEGRITY OK ({counts})")
"""

AUDITLOG_INTEGRITY = """
from auditlog.models import LogEntry
from notes.models import Note
entries = LogEntry.objects.get_for_model(Note).filter(action=LogEntry.Action.CREATE)
created = {str(pk) for pk in entries.values_list("object_id", flat=True)}
bad = [pk for pk in Note.objects.values_list("pk", flat=True) if str(pk) not in created]
print(f"notes without a CREATE entry: {bad}" if bad else "INTEGRITY OK")
"""

CHAT_INTEGRITY = """
import re
from accounts.models import ConnectionTicket
from chat.models import Message, Notification
dangling = Notification.objects.exclude(message_id__in=Message.objects.values("id"))
problems = [f"notification {pk} points at no message" for pk in dangling.values_list("pk", flat=True)]
# Only a SHA-256 of each ticket is stored: a copy of the table must open no connection.
hashes = list(ConnectionTicket.objects.values_list("pk", "key_hash"))
problems += [f"ticket {pk} is not stored as a hash" for pk, h in hashes if not re.fullmatch("[0-9a-f]{64}", h)]
if not hashes:
    problems.append("no ticket stored: chat_login's ticket is gone")
counts = f"tickets stored: {len(hashes)}, messages: {Message.objects.count()}"
print("\\n".join(problems) if problems else f"INTEGRITY OK ({counts})")
"""


SOCIALLOGIN_INTEGRITY = """
from allauth.socialaccount.models import SocialAccount, SocialToken
from django.contrib.auth import get_user_model
# No sign-in happens: the fuzzed requests created, linked and stored no account or token.
users = list(get_user_model().objects.values_list("username", flat=True))
problems = [f"users {users}, expected only the fuzzer"] if users != ["fuzzer"] else []
problems += [f"{SocialAccount.objects.count()} social accounts"] if SocialAccount.objects.exists() else []
problems += [f"{SocialToken.objects.count()} provider tokens stored"] if SocialToken.objects.exists() else []
print("\\n".join(problems) if problems else "INTEGRITY OK")
"""


@dataclass
class Target:
    login: object  # url -> headers (served -> headers with served_login)
    integrity: str
    superuser: bool = False
    # Operations that end the credential (logout): fuzzed last, in a run of their own.
    last: list = field(default_factory=list)
    served_login: bool = False  # login takes the ServedDemo (its manage.py), not its URL


TARGETS = {
    "signals_demo": Target(signals_login, SIGNALS_INTEGRITY, superuser=True, last=["/api/auth/logout/"]),
    "tokenauth_demo": Target(tokenauth_register, TOKENAUTH_INTEGRITY, last=["/demotoken/logout/"]),
    "jwt_demo": Target(jwt_signup, JWT_INTEGRITY),
    # Imports are queued for a worker (the default engine, background_task) that the
    # server does not run; SCHEDULER_INTEGRITY runs the queue after the fuzzing.
    "scheduler_demo": Target(scheduler_token, SCHEDULER_INTEGRITY),
    "auditlog_demo": Target(auditlog_token, AUDITLOG_INTEGRITY, superuser=True),
    # No sign-up endpoint: the superuser logs in with the browser's form.
    "chat_demo": Target(chat_login, CHAT_INTEGRITY, superuser=True),
    # Its sign-in needs the provider; its API needs only the JWT. The sign-out blacklists
    # the refresh token in its body, never the access token the fuzzer sends.
    "sociallogin_demo": Target(sociallogin_token, SOCIALLOGIN_INTEGRITY, superuser=True, served_login=True),
}


def schemathesis_run(url, headers, seed, max_examples, workdir, name, filters):
    """One `schemathesis run`; returns (exit code, {operation: {phase: cases}})."""
    events = workdir / f"{name}-events.ndjson"
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "run",
        f"{url}/api/schema/?format=json",
        "--checks",
        CHECKS,
        "--max-examples",
        str(max_examples),
        "--seed",
        str(seed),
        # One worker: schemathesis 4.32's threads can trip over CPython's ast.parse
        # ("AST constructor recursion depth mismatch"); the server still runs 2 workers.
        "--workers",
        "1",
        # A field with a regex and a length limit (signals_demo's mobileno) makes
        # Hypothesis discard many drafts; that is slow generation, not a failure.
        "--suppress-health-check",
        "filter_too_much",
        "--report",
        "ndjson",
        "--report-ndjson-path",
        str(events),
        *filters,
    ]
    hidden = []
    for header, value in headers.items():
        command += ["--header", f"{header}: {value}"]
        hidden.append(f"{header}: {value}")
    print("$", " ".join("'<credential>'" if part in hidden else part for part in command), flush=True)
    # In the scratch directory: Hypothesis and schemathesis leave their caches in the cwd.
    code = subprocess.run(command, cwd=workdir).returncode
    return code, cases_per_operation(events)


def cases_per_operation(events):
    """Read the NDJSON event stream: test cases per operation and phase."""
    counts = {}
    if not events.exists():
        return counts
    for line in events.read_text().splitlines():
        event = json.loads(line)
        finished = event.get("ScenarioFinished")
        if not finished or "cases" not in finished["recorder"]:
            continue
        label = finished["recorder"]["label"]
        phases = counts.setdefault(label, {})
        phases[finished["phase"]] = phases.get(finished["phase"], 0) + len(finished["recorder"]["cases"])
    return counts


def fuzz_demo(name, seed, max_examples):
    target = TARGETS[name]
    print(f"\n=== {name}: seed {seed}, {max_examples} cases per operation", flush=True)
    superuser = ("fuzzer", PASSWORD) if target.superuser else None
    failures = []
    with (
        tempfile.TemporaryDirectory(prefix=f"fuzz-{name}-") as tmp,
        serve_demo(ROOT / name, server="gunicorn", workers=2, superuser=superuser, env=ENV) as served,
    ):
        workdir = Path(tmp)
        headers = target.login(served) if target.served_login else target.login(served.url)
        exclude = [arg for path in target.last for arg in ("--exclude-path", path)]
        code, counts = schemathesis_run(served.url, headers, seed, max_examples, workdir, "main", exclude)
        if code:
            failures.append(f"schemathesis exited with {code}")
        if target.last:
            include = [arg for path in target.last for arg in ("--include-path", path)]
            code, last_counts = schemathesis_run(served.url, headers, seed, max_examples, workdir, "last", include)
            for operation, phases in last_counts.items():
                for phase, cases in phases.items():
                    counts.setdefault(operation, {})[phase] = counts.get(operation, {}).get(phase, 0) + cases
            if code:
                failures.append(f"schemathesis (credential-ending operations) exited with {code}")
        check = served.manage("shell", "-c", target.integrity)
        verdict = (check.stdout.strip().splitlines() or ["(no output)"])[-1]
        if check.returncode or "INTEGRITY OK" not in check.stdout:
            failures.append(f"integrity check failed: {check.stdout.strip()} {check.stderr.strip()}")
        if "Traceback" in served.log_text():
            failures.append("the server log holds a traceback:\n" + served.log_text()[-4000:])
    print(f"--- {name}: test cases per operation (fuzzing phase / all phases)")
    total = 0
    for operation, phases in sorted(counts.items()):
        fuzzed, every = phases.get("fuzzing", 0), sum(phases.values())
        total += every
        # Hypothesis stops early when it runs out of distinct inputs (an operation with no
        # body and no parameters has exactly one) or keeps drawing duplicates.
        note = "" if fuzzed >= max_examples or "fuzzing" not in phases else "  (Hypothesis stopped early)"
        print(f"{fuzzed:6d} / {every:6d}  {operation}{note}")
    print(f"{total:15d}  in all, over {len(counts)} operations; integrity: {verdict}")
    return failures, counts


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("demos", nargs="*", metavar="DEMO", help=f"default: {' '.join(TARGETS)}")
    parser.add_argument("-n", "--max-examples", type=int, default=100)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args(argv)
    unknown = set(args.demos) - set(TARGETS)
    if unknown:
        parser.error(f"unknown demo(s) {sorted(unknown)}; known: {', '.join(TARGETS)}")
    if args.seed is not None:
        seed = args.seed
    elif os.environ.get("CI"):
        seed = int(os.environ.get("FUZZ_SEED", CI_SEED))
    else:
        seed = random.randrange(2**31)
    print(f"fuzz seed: {seed} (replay with --seed {seed})", flush=True)
    all_failures = {}
    for name in args.demos or list(TARGETS):
        failures, _counts = fuzz_demo(name, seed, args.max_examples)
        if failures:
            all_failures[name] = failures
    for name, failures in all_failures.items():
        print(f"\nFAILED {name}:", *failures, sep="\n  ")
    print(f"\nfuzz seed: {seed}; {'FAILED: ' + ', '.join(all_failures) if all_failures else 'all demos passed'}")
    return 1 if all_failures else 0


if __name__ == "__main__":
    sys.exit(main())
