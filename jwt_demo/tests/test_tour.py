import io
import re

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db
JWT = re.compile(r"eyJ[\w-]{8,}\.[\w-]+\.[\w-]+")
STEPS = [
    "Log in: POST /api/token/ {username, password}",
    "A wrong password: 401",
    "Who am I? GET /api/auth/me/ with the access token",
    "Verify the access token: POST /api/token/verify/",
    "Refresh: a new access token AND a new refresh token (rotation)",
    "Log out: POST /api/token/blacklist/ {refresh}",
    "After logout, is the access token dead? (pitfalls 1 and 7)",
    "Change the password: every session ends (pitfall 4)",
    "A password set in the shell or the admin: old tokens die too",
    "Flush expired tokens: manage.py flushexpiredtokens (pitfall 3)",
    "The account API (secondary): sign up, then log in by email and by phone",
]


def test_tour_runs_green_prints_signals_and_no_token():
    out = io.StringIO()
    call_command("tour", stdout=out)
    text = out.getvalue()
    assert "Tour complete" in text
    assert re.findall(r"^Step (\d+)\. ", text, re.MULTILINE) == [str(n) for n in range(1, 12)]
    assert re.findall(r"^Step \d+\. (.*)$", text, re.MULTILINE) == STEPS  # a removed step fails
    # Every step checks a claim of its own: a ✓ between each step title and the next.
    assert all("  ✓ " in step for step in re.split(r"^Step \d+\. ", text, flags=re.MULTILINE)[1:])
    for signal in [
        "jwt_logged_in(sender='GetTokensView'",
        "jwt_login_fail(sender='GetTokensView'",
        "jwt_token_validated(sender='ValidateTokensView'",
        "jwt_access_refreshed(sender='RefreshAccessView'",
        "jwt_refresh_updated(sender='UpdateRefreshView'",
        "jwt_blacklisted(sender='BlackListTokenView'",
        "user_logged_in (Django)",
        "user_login_failed (Django)",
    ]:
        assert signal in text
    assert not JWT.search(text)  # tokens appear only as "eyJh…"
    assert "tour password" not in text


def test_tour_fails_loudly_when_a_step_does_not_do_what_it_says(monkeypatch):
    from jwt_auth import revocation

    # Break the fix: access tokens are no longer checked against the revocation list.
    monkeypatch.setattr(revocation, "is_refused", lambda token, check_user=True: False)
    with pytest.raises(CommandError, match=r"GET /api/auth/me/ -> 401 \(it answered 200\)"):
        call_command("tour", stdout=io.StringIO())


def test_tour_runs_twice_on_one_database_with_short_lines():
    outputs = []
    for _ in range(2):
        out = io.StringIO()
        call_command("tour", stdout=out)
        outputs.append(out.getvalue())
    assert all("Tour complete" in text for text in outputs)
    assert max(len(line) for text in outputs for line in text.splitlines()) < 100
    first, second = (re.search(r"username=(alice-\w+)", text).group(1) for text in outputs)
    assert first != second  # a new user per run: nothing left over from the first collides
