"""The tour runs green, checks its own outcomes and never prints a secret."""

import io
import re
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token

from tokens.management.commands import tour

TOUR_PASSWORD = "tour-only passphrase 8317"

# Every step, in order: the tour test fails when one goes missing. Each run has a user of
# its own and new keys, so step_titles() writes those as <user> and <key>.
STEPS = [
    "POST /demotoken/register/ as '<user>' (password not shown)",
    "Look at the rows the post_save receiver created",
    "GET /demotoken/secure/ without a token",
    "GET /demotoken/secure/ with a malformed header 'Token a b'",
    "GET /demotoken/secure/ with 'Authorization: Token <key>'",
    "Pitfall 2: the same request without a token, SessionAuthentication listed first",
    "POST /demotoken/logout/ with the token",
    "GET /demotoken/secure/ again with the old token <key>",
    "POST /demotoken/login/ issues a new key",
    "Pitfall 1: the same token, made 1 day, 0:00:00 old (TOKEN_LIFETIME)",
    "Pitfall 4: a password set in the shell (set_password, save) ends the key",
    "The login throttle: wrong passwords from one client address",
]


def step_titles(text):
    titles = re.findall(r"^Step \d+\. (.+)$", text, re.MULTILINE)
    return [re.sub(r"[0-9a-f]{8}…", "<key>", re.sub(r"ada-[0-9a-f]{6}", "<user>", title)) for title in titles]


def assert_short_lines_and_every_step(result):
    assert result.returncode == 0, (result.stdout[-2000:], result.stderr[-2000:])
    assert "Tour complete" in result.stdout
    assert step_titles(result.stdout) == STEPS
    assert result.stderr == ""  # no raw request log line ("Unauthorized: /demotoken/secure/")
    long_lines = [line for line in result.stdout.splitlines() if len(line) >= 100]
    assert long_lines == [], long_lines


@pytest.fixture
def known_password(monkeypatch):
    monkeypatch.setattr(tour.secrets, "token_urlsafe", lambda _n: TOUR_PASSWORD)


def test_tour_walks_through_every_step(db, known_password):
    out = io.StringIO()

    call_command("tour", stdout=out)

    text = out.getvalue()
    for expected in (
        "1. POST /demotoken/register/",
        "post_save(User, created=True)",
        "post_save(Token, created=True)",
        "post_save(PersonalDetail, created=True)",
        "is_superuser=False",
        "401 'Authentication credentials were not provided.', WWW-Authenticate: Token",
        "middleware saw 'anonymous' before the view",
        "403 and no WWW-Authenticate",
        "204; the token row is deleted",
        "401 'Invalid token.'",
        "new token",
        "ExpiringTokenAuthentication refuses it",
        "the receivers saw the hash change and deleted",
        "then 429 with Retry-After",
        "Tour complete",
    ):
        assert expected in text, expected
    assert len(re.findall(r"^Step \d+\. ", text, re.MULTILINE)) == 12
    assert step_titles(text) == STEPS
    assert [line for line in text.splitlines() if len(line) >= 100] == []
    for key in Token.objects.values_list("key", flat=True):  # none is left whole in the output
        assert key not in text
    assert TOUR_PASSWORD not in text


def test_tour_fails_loudly_when_a_step_does_not_do_what_it_says(db, settings, known_password):
    settings.TOKEN_LIFETIME = timedelta(0)  # every token is born expired: the secure call fails

    with pytest.raises(CommandError, match=r"did not behave as explained: the key opens the secure page \(200\)"):
        call_command("tour", stdout=io.StringIO())


def test_tour_runs_as_the_launcher_runs_it(manage_py):
    result = manage_py("tour")  # a child process on a fresh SQLite file

    assert result.returncode == 0, result.stderr
    assert "Tour complete" in result.stdout
    assert_short_lines_and_every_step(result)


def test_tour_runs_twice_on_one_database(manage_py):
    # manage_py uses one SQLite file per test: the second run finds the first one's rows.
    first, second = manage_py("tour"), manage_py("tour")

    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    assert "Tour complete" in second.stdout
    for result in (first, second):
        assert_short_lines_and_every_step(result)
