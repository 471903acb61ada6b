import io
import os
import re
import tempfile
from contextlib import contextmanager, redirect_stderr

import pytest
from django.core.management import call_command

# The default engine's steps, in order: a step removed or renamed fails the tour's tests.
STEPS = [
    "Register the repeating tasks twice (`background_task_scheduler --register-only`)",
    "Sign up tour-alice (POST /api/auth/signup/), get a token (POST /api/auth/token/)",
    "Start a worker: `manage.py process_tasks --sleep 0.2` in a child process",
    "Upload a CSV of 3000 contacts (PUT /api/contacts/import/) and watch the worker import it",
    "A failing task: import #999999 does not exist",
    "Import what people export: each file of contacts/samples/ (PUT, multipart)",
    "The task log: CompletedTask (table background_task_completedtask) and Task",
    "Stop the worker gracefully (SIGTSTP: it finishes its task, then exits)",
    "GET /api/contacts/: paginated by 20, ordered by first name",
    "POST /api/contacts/invite/ {invite_all: true, deselected_ids: [first contact]}",
    "Invite again 8 days later: invites older than 7 days get a reminder",
    "zoe.member@example.com signs up, then proves the address with the code mailed to it",
    "Kill a worker mid-import: SIGKILL, no cleanup runs (1000 rows, batches of 10)",
    "GET /api/contacts/imports/<id>/: still running, and the status says why",
    "Start a second worker: it takes the task once the lock expires (2 s)",
]


def steps_of(text):
    """The steps' titles, an import's id shown as <id>."""
    return [re.sub(r"/\d+/", "/<id>/", title) for title in re.findall(r"^Step \d+\. (.+)$", text, re.MULTILINE)]


@contextmanager
def stderr_captured():
    """Everything written to sys.stderr or to file descriptor 2 meanwhile, by this process
    or a child (what pytest's capfd captures, for a fixture wider than one test)."""
    with tempfile.TemporaryFile(mode="w+") as captured, redirect_stderr(captured):
        saved = os.dup(2)
        os.dup2(captured.fileno(), 2)
        try:
            yield captured
        finally:
            captured.flush()
            os.dup2(saved, 2)
            os.close(saved)


@pytest.fixture(scope="module")
def two_tours(django_db_setup, django_db_blocker):
    """The tour run twice on one database, as a learner reruns it, with the API tokens
    each run left behind. A run takes seconds and three worker processes, so the tests
    below read these two runs rather than start their own."""
    from rest_framework.authtoken.models import Token

    runs = []
    with django_db_blocker.unblock(), stderr_captured() as stderr:
        for _ in range(2):
            out = io.StringIO()
            call_command("tour", stdout=out)
            runs.append((out.getvalue(), list(Token.objects.values_list("key", flat=True))))
        call_command("flush", interactive=False)  # as a transactional test cleans up after itself
        stderr.seek(0)
        return {"runs": runs, "stderr": stderr.read()}


def test_tour_runs_green_with_a_real_worker_and_prints_no_secret(two_tours):
    text, tokens = two_tours["runs"][0]
    assert "Tour complete" in text
    assert steps_of(text) == STEPS
    assert text.count("Tour complete") == 1
    assert text.startswith("scheduler_demo on background_task:")  # nothing before the title
    assert "3000/3000 done" in text
    assert "'created': 2900, 'duplicates': 60, 'invalid': 40" in text
    assert "state=already_member" in text
    assert "correct horse battery" not in text
    assert "Traceback" not in text and "attempt 1 failed with UserContactsImport.DoesNotExist" in text
    assert_the_import_survived_sigkill(text)
    assert tokens, "the tour signed nobody in"
    for token in tokens:
        assert token not in text and token[4:12] not in text


def test_the_tour_runs_twice_on_one_database_and_prints_short_lines_only(two_tours):
    """Once the second run failed: its "alice" existed already (signup 400)."""
    for run, (text, tokens) in zip(("first", "second"), two_tours["runs"], strict=True):
        assert "Tour complete" in text and "3000/3000 done" in text, run
        assert steps_of(text) == STEPS, run
        assert "'created': 2900, 'duplicates': 60, 'invalid': 40" in text, run
        assert_the_import_survived_sigkill(text)
        for sample in ("google.csv", "outlook.csv", "iphone.vcf", "android.vcf", "excel-semicolon.csv", "contacts.tsv"):
            assert sample in text, sample
        too_long = [line for line in text.splitlines() if len(line) >= 100]
        assert too_long == [], run
        assert not [line for line in text.splitlines() if line.startswith(("INFO", "WARNING", "Bad Request"))]
        assert not [token for token in tokens if token in text], run
    # The second run starts with its title, then removes the first run's rows in step 2.
    assert text.startswith("scheduler_demo on background_task:")
    assert "\n  (deleted tour-alice, tour-zoe, tour-sam and tour-kim of an earlier tour)\n" in text
    assert two_tours["stderr"] == ""  # no raw log line either


def assert_the_import_survived_sigkill(text):
    """The catalog's "an import that survives SIGKILL", step by step: killed mid-import,
    the stalled status explained, a second worker finishing it, every row once."""
    assert re.search(r"kill -9 \d+ after \d+/1000 rows: exit code -9", text)
    assert "status=running" in text and "last_progress_at=" in text
    assert "progress_note: Last progress at" in text and "MAX_RUN_TIME (2 s)" in text
    assert "Start a second worker: it takes the task once the lock expires" in text
    assert "done: {'total': 1000, 'processed': 1000, 'created': 970, 'duplicates': 20, 'invalid': 10}" in text
    assert "970 contacts in the database, 970 distinct phones: each row once" in text


@pytest.mark.parametrize("engine", ["django_tasks", "celery"])
@pytest.mark.django_db(transaction=True)
def test_tour_runs_the_same_walkthrough_on_the_other_engines(engine, request):
    if engine == "celery":
        request.getfixturevalue("redis_url")  # skips locally without Redis, fails in CI
    out = io.StringIO()
    call_command("tour", engine=engine, stdout=out)
    text = out.getvalue()
    assert "Tour complete" in text and text.startswith(f"scheduler_demo on {engine}:")
    assert text.count("Tour complete") == 1 and "Traceback" not in text
    assert "3000/3000 done" in text
    assert "'created': 2900, 'duplicates': 60, 'invalid': 40" in text
    assert "state=already_member" in text
    assert "correct horse battery" not in text
    # Celery: RETRY, or (when full jitter drew four waits of 0 s) FAILURE after every try.
    expected = {"django_tasks": r"status FAILED after 1 attempt", "celery": r"state (RETRY|FAILURE after 5 tries)"}
    assert re.search(expected[engine], text)
