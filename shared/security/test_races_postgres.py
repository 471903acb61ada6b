"""Races on PostgreSQL, with real processes: gunicorn workers and process_tasks workers.

Each test gets a fresh database (``sec_<random>``, dropped afterwards). Without a
PostgreSQL server the tests skip locally and fail when ``CI`` is set.
"""

import re
import threading

import pytest

from demo_harness import unavailable
from demo_harness.services import postgres_reachable, scratch_postgres_database

from .api import sign_up
from .support import (
    http,
    password,
    serve,
    shell_json,
    start_worker,
    stop_worker,
    token_auth,
    wait_until,
)

PARALLEL = 20


def test_twenty_parallel_refreshes_of_one_token_exactly_one_succeeds(postgres_database):
    with serve("jwt_demo", production=True, database_url=postgres_database, workers=4) as served:
        account = sign_up("jwt_demo", served, "racer", password())
        refresh = account.tokens["refresh"]
        barrier = threading.Barrier(PARALLEL)
        answers = []

        def refresh_once():
            barrier.wait()
            response = http.post(served.url + "/api/token/refresh/", json={"refresh": refresh})
            answers.append((response.status_code, response.json()))

        threads = [threading.Thread(target=refresh_once) for _ in range(PARALLEL)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        statuses = sorted(status for status, _ in answers)
        assert statuses == [200] + [401] * (PARALLEL - 1), statuses
        # The one winner's new refresh token works; the old one stays refused.
        (winner,) = [body for status, body in answers if status == 200]
        assert http.post(served.url + "/api/token/refresh/", json={"refresh": winner["refresh"]}).status_code == 200
        assert http.post(served.url + "/api/token/refresh/", json={"refresh": refresh}).status_code == 401
        assert "Traceback" not in served.log_text()


# --- scheduler_demo --------------------------------------------------------------------------------
WORKER_ENV = {"WORKER_LOG_LEVEL": "DEBUG", "CONTACTS_IMPORT_BATCH_SIZE": "100"}
RUNNING = re.compile(r"Running contacts import #(\d+)")


def start_two_workers(served):
    """Two process_tasks workers on the default queue, both idle-polling before we return."""
    workers = [start_worker(served, "--sleep", "0.1", env=WORKER_ENV) for _ in range(2)]
    wait_until(
        lambda: all("waiting for tasks" in w.log_path.read_text(errors="replace") for w in workers),
        timeout=60,
        message="both workers to poll the queue",
    )
    return workers


def put_import(served, key, rows):
    response = http.request("PUT", served.url + "/api/contacts/import/", json=rows, headers=token_auth(key))
    assert response.status_code == 202, response.text
    return response.json()["import_id"]


def import_status(served, key, import_id):
    return http.get(f"{served.url}/api/contacts/imports/{import_id}/", headers=token_auth(key)).json()


def wait_for_imports(served, key, ids, timeout=120):
    wait_until(
        lambda: all(import_status(served, key, i)["status"] in ("done", "failed") for i in ids),
        timeout=timeout,
        interval=0.5,
        message=f"imports {ids} to finish",
    )
    return {i: import_status(served, key, i) for i in ids}


USERS_WITH_TOKENS = """
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
keys = []
for n in range(COUNT):
    user = get_user_model()(username=f"queuer{n}", email=f"queuer{n}@example.com")
    user.set_unusable_password()  # API users that never log in: no slow hashing
    user.save()
    keys.append(Token.objects.get_or_create(user=user)[0].key)
print(json.dumps(keys))
"""


def test_two_workers_on_one_queue_never_run_a_task_twice(postgres_database):
    count = 24
    with serve("scheduler_demo", production=True, database_url=postgres_database) as served:
        # One user per import: the imports are independent, so any second run of a task
        # is the queue's fault (same-user imports interfere: see the tests below).
        keys = shell_json(served, f"COUNT = {count}\n" + USERS_WITH_TOKENS)
        workers = start_two_workers(served)
        logs = []
        try:
            ids = {
                put_import(
                    served, key, [{"name": f"P{n} R{r}", "phone": f"+4477{n:03d}{r:05d}"} for r in range(300)]
                ): key
                for n, key in enumerate(keys)
            }
            statuses = {i: wait_for_imports(served, key, [i])[i] for i, key in ids.items()}
        finally:
            logs = [stop_worker(worker) for worker in workers]

        runs = [[int(n) for n in RUNNING.findall(log)] for log in logs]
        assert sorted(runs[0] + runs[1]) == sorted(ids), f"each task must run exactly once: {runs}"
        assert runs[0] and runs[1], f"both workers must have taken tasks (else there was no race): {runs}"
        assert not any("Rescheduling" in log for log in logs), logs
        assert all(s["status"] == "done" and s["created"] == 300 for s in statuses.values()), statuses
        # The library's own record agrees: one CompletedTask per import, nothing left queued.
        state = shell_json(
            served,
            "from collections import Counter\n"
            "from background_task.models import CompletedTask, Task\n"
            "done = CompletedTask.objects.filter(task_name='contacts.import_contacts')\n"
            "print(json.dumps({'completed': sorted(Counter(done.values_list('task_params', flat=True)).values()),"
            " 'attempts': sorted(set(done.values_list('attempts', flat=True))),"
            " 'queued': Task.objects.filter(task_name='contacts.import_contacts').count()}))",
        )
        assert state == {"completed": [1] * count, "attempts": [1], "queued": 0}


def contacts_file():
    """2,000 rows: phones, emails, both, neither (invalid), and repeats to merge."""
    rows = []
    for n in range(2000):
        row = {"name": f"Person {n:04d} Smith"}
        if n % 3:
            row["phone"] = f"+44 7700 9{n:05d}"
        if n % 2 == 0:
            row["email"] = f"person{n}@example.com"
        rows.append(row)
    for n in range(1500, 1700):  # the same people again, with a detail the first row lacked
        rows[n] = {"name": f"Person {n - 1500:04d} Again", "phone": f"+44 7700 9{n - 1500:05d}"}
        if (n - 1500) % 2:
            rows[n]["email"] = f"person{n - 1500}@example.com"
    return rows


CONTACTS_OF = """
from django.contrib.auth import get_user_model
rows = {}
for username in ("racer", "reference"):
    contacts = get_user_model().objects.get(username=username).contacts
    rows[username] = sorted(
        [c.first_name, c.last_name, c.phone_number or "", c.email or ""]
        for c in contacts.all()
    )
print(json.dumps(rows))
"""


@pytest.fixture(scope="module")
def same_file_twice():
    """One user PUTs the same file twice at once, two workers take one import each; then
    another user imports it alone (the reference). Returns what happened."""
    if not postgres_reachable():
        unavailable("needs PostgreSQL at POSTGRES_URL (default postgres://postgres@127.0.0.1:5432)")
    rows = contacts_file()
    with (
        scratch_postgres_database("sec") as database_url,
        serve("scheduler_demo", production=True, database_url=database_url) as served,
    ):
        racer = sign_up("scheduler_demo", served, "racer", password()).tokens["key"]
        reference = sign_up("scheduler_demo", served, "reference", password()).tokens["key"]
        workers = start_two_workers(served)
        try:
            barrier, racing = threading.Barrier(2), []

            def upload():
                barrier.wait()
                racing.append(put_import(served, racer, rows))

            threads = [threading.Thread(target=upload) for _ in range(2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            raced = wait_for_imports(served, racer, racing)
            alone = put_import(served, reference, rows)
            single = wait_for_imports(served, reference, [alone])[alone]
        finally:
            logs = [stop_worker(worker) for worker in workers]
        contacts = shell_json(served, CONTACTS_OF)
    runs = [set(map(int, RUNNING.findall(log))) for log in logs]
    assert not set(racing) <= runs[0] and not set(racing) <= runs[1], f"the two imports did not overlap: {runs}"
    return {"raced": raced, "single": single, "contacts": contacts, "logs": logs}


def test_two_concurrent_imports_of_one_file_create_no_duplicates(same_file_twice):
    contacts, single = same_file_twice["contacts"], same_file_twice["single"]
    assert all(r["status"] == "done" for r in same_file_twice["raced"].values()), same_file_twice["raced"]
    assert single["status"] == "done", single
    # Exactly the contacts one import alone makes, each once.
    assert contacts["racer"] == contacts["reference"]
    assert len(contacts["racer"]) == single["created"]
    phones = [c[2] for c in contacts["racer"] if c[2]]
    emails = [c[3] for c in contacts["racer"] if c[3]]
    assert len(phones) == len(set(phones)) and len(emails) == len(set(emails))


def test_two_concurrent_imports_of_one_file_count_right_on_the_first_attempt(same_file_twice):
    raced, single = same_file_twice["raced"], same_file_twice["single"]
    assert not any("Rescheduling" in log for log in same_file_twice["logs"])
    # Between them the two imports created each contact once, and said so.
    assert sum(r["created"] for r in raced.values()) == single["created"]
    for r in raced.values():
        assert r["created"] + r["duplicates"] + r["invalid"] == r["total"], r
