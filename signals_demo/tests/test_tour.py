import re
from io import StringIO

import pytest
from django.core.management import call_command

# Every step, in order: the tour test fails when one goes missing.
STEPS = [
    "Migrate the database",
    "POST /api/students/",
    "PATCH /api/students/<id>/",
    "Enroll in two courses",
    "Bulk-create three students (pitfall 1)",
    "DELETE /api/students/<id>/",
    "PUT /api/students/<id>/picture/, twice (pitfall 6)",
    "Log in: a forged POST, a wrong password, the right one; then log out",
    "A rollback after an email (pitfall 2)",
    "GET /api/events/",
]


def steps_of(text):
    return re.findall(r"^Step \d+\. (.+)$", text, re.MULTILINE)


@pytest.mark.django_db(transaction=True)  # the tour commits and rolls back for real
def test_tour_runs_every_step_and_prints_signals_but_no_secret():
    out = StringIO()
    call_command("tour", stdout=out)
    text = out.getvalue()
    assert "Tour complete" in text
    assert steps_of(text) == STEPS
    assert text.count("✓") >= 15
    for expected in (
        "signal: post_save(Student) created=True",
        "signal: m2m_changed(Student_courses) action=post_add",
        "signal: student_enrolled(Student)",
        "signal: user_login_failed(django.contrib.auth) credentials=<password, username: not shown>",
        "(no signal printed above: that is the trap)",
        "signal: pre_save(PersonalDetail) update_fields=None, raw=False",
        "✓ 200; the replaced file is gone",
        "✓ 403 without the CSRF token; 400, 200, 204 with it",
        "emails sent: ['New student: Ghost']",
        "user_login_failed (what was typed is not recorded)",
    ):
        assert expected in text


def test_tour_runs_twice_on_one_database_with_short_lines_and_no_raw_log_lines(manage_py):
    # manage_py: a child process in development mode (DEBUG on, Django's console logging),
    # the same SQLite file for both runs.
    for run in (1, 2):
        result = manage_py("tour")
        assert result.returncode == 0, (run, result.stdout[-2000:], result.stderr[-2000:])
        assert "Tour complete" in result.stdout and steps_of(result.stdout) == STEPS
        assert result.stderr == ""  # no "Bad Request: /api/auth/login/", no "Forbidden: ..."
        long_lines = [line for line in result.stdout.splitlines() if len(line) >= 100]
        assert long_lines == [], long_lines


def test_tour_runs_again_within_the_minute_whatever_the_login_throttle_counted(manage_py):
    # The login throttle counts attempts per client address in the database, shared by
    # every process: each run logs in from an address of its own, so earlier runs' two
    # attempts (a wrong password, the right one) never add up to a 429.
    for run in (1, 2):
        result = manage_py("tour", env={"LOGIN_THROTTLE_RATE": "3/minute"})
        assert result.returncode == 0, (run, result.stdout[-2000:], result.stderr[-2000:])
