"""Behaviour checks for the exercises (`python -m demos exercise list`) whose trap no other
test catches in the demo's real code."""

import logging
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework_simplejwt.tokens import AccessToken

from jwt_auth import revocation
from jwt_auth.models import RevokedToken

pytestmark = pytest.mark.django_db


def test_a_password_changed_in_the_shell_refuses_the_old_access_token(api_client, user, login, me):
    pair = login(username=user.username)
    user.set_password("a much better secret 42")  # the admin or the shell: no logout ran
    user.save()

    assert me(pair["access"]).status_code == 401
    assert api_client.post("/api/token/verify/", {"token": pair["access"]}).status_code == 401


def test_a_user_deactivated_in_the_shell_is_refused_at_once(api_client, user, login, me):
    pair = login(username=user.username)
    user.is_active = False  # the same receiver ends the sessions of a deactivated user
    user.save()

    assert me(pair["access"]).status_code == 401
    assert api_client.post("/api/token/verify/", {"token": pair["access"]}).status_code == 401


def test_a_profile_edit_in_the_shell_keeps_the_sessions(api_client, user, login, me):
    pair = login(username=user.username)
    user.first_name = "Alice"  # a profile edit in the admin: no reason to log anyone out
    user.save()

    assert me(pair["access"]).status_code == 200
    assert api_client.post("/api/token/verify/", {"token": pair["access"]}).status_code == 200


def test_the_audit_receivers_hear_a_login_and_a_logout(api_client, user, caplog, password):
    with caplog.at_level(logging.INFO, logger="jwt_demo.audit"):
        response = api_client.post("/api/token/", {"username": user.username, "password": password})
        assert response.status_code == 200
        refresh = response.json()["refresh"]
        assert api_client.post("/api/token/blacklist/", {"refresh": refresh}).status_code == 200

    lines = [record.getMessage() for record in caplog.records if record.name == "jwt_demo.audit"]
    assert [line.split()[0] for line in lines] == ["login", "logout"]
    assert f"user={user.pk}" in lines[0]
    assert refresh not in " ".join(lines)  # a jti at most, never a token


def test_flushexpiredtokens_deletes_expired_revocations_and_keeps_live_ones(api_client, user, login):
    old, recent, other = [login(username=user.username) for _ in range(3)]
    for pair in (old, recent):
        assert api_client.post("/api/token/blacklist/", {"refresh": pair["refresh"]}).status_code == 200
    # old's logout was minutes ago: its access tokens have expired, and so has its revocation,
    # while SimpleJWT keeps its refresh token's rows until that token's own exp.
    gone = timezone.now() - timedelta(seconds=1)
    RevokedToken.objects.filter(jti=AccessToken(old["access"])["rjti"]).update(expires_at=gone)
    RevokedToken.objects.create(jti="long-gone", expires_at=gone, stamp=0)
    access = AccessToken(other["access"])
    revocation.revoke(access["jti"], access["exp"])  # one access token refused on its own: no refresh token's jti

    call_command("flushexpiredtokens")  # the daily job

    kept = set(RevokedToken.objects.values_list("jti", flat=True))
    assert kept == {AccessToken(recent["access"])["rjti"], access["jti"]}
