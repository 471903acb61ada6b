import re
from io import StringIO

import pytest
from django.core.management import call_command

# Every step, in order: the tour test fails when one goes missing.
STEPS = [
    "Migrate; two users, each logged in with a session cookie",
    "An anonymous connection to ws/chat/tour/",
    "A page on evil.example opens a connection with tour-alice's cookie (pitfall 4)",
    "tour-alice and tour-bob join ws/chat/tour/; tour-alice sends two messages",
    "tour-bob writes @tour-alice: her ws/notifications/ feed hears it",
    "The same mention, in a transaction that then fails (pitfall 2)",
    "Over the caps: a 9 KB frame, then a flood (pitfall 5)",
    "A script with no cookie: a ticket (as POST /api/auth/ticket/ issues it), then ?ticket=",
    "GET /api/rooms/tour/messages/",
]


def steps_of(text):
    return re.findall(r"^Step \d+\. (.+)$", text, re.MULTILINE)


@pytest.mark.django_db(transaction=True)  # the tour commits and rolls back for real
def test_tour_runs_every_step_and_prints_each_frame_but_no_secret():
    out = StringIO()
    call_command("tour", stdout=out)
    text = out.getvalue()
    assert "Tour complete" in text and steps_of(text) == STEPS
    assert '← tour-bob receives: {"seq": 2, "user": "tour-alice", "message": "Channels, live."}' in text
    assert "✓ closed with 4401" in text and "✓ the flood of blank messages: closed with 4429" in text
    assert '"from": "tour-bob"' in text and "✓ no notification was pushed" in text
    ticket = re.search(r"ticket (\S+)… \(only its SHA-256 is stored\)", text)
    assert ticket and len(ticket.group(1)) == 8  # masked: 8 characters of 43


def test_tour_runs_twice_on_one_database_with_short_lines_and_no_raw_log_lines(manage_py):
    # A fresh SQLite file, as `python -m demos tour` gives it: the tour migrates it first.
    for run in (1, 2):
        result = manage_py("tour")
        assert result.returncode == 0, (run, result.stdout[-2000:], result.stderr[-2000:])
        assert "Tour complete" in result.stdout and steps_of(result.stdout) == STEPS
        assert result.stderr == ""
        long_lines = [line for line in result.stdout.splitlines() if len(line) >= 100]
        assert long_lines == [], long_lines
    assert "(deleted tour-alice and tour-bob of an earlier tour)" in result.stdout
