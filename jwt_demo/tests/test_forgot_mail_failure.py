"""The reset e-mail cannot be sent (SMTP down, or not configured): forgot still answers 202.

Otherwise only a real account's address reaches the mailer, so only a real account's
address answers 500: the failure itself tells which accounts exist. The operator learns
of it from the log, which names the user id and the error, never the link.
"""

import logging
import smtplib

import pytest
from django.core.mail.backends.locmem import EmailBackend


@pytest.mark.django_db
@pytest.mark.parametrize("error", [smtplib.SMTPConnectError(421, "refused"), ConnectionRefusedError(111, "refused")])
def test_a_mailer_failure_answers_like_an_unknown_address(api_client, user_factory, monkeypatch, caplog, error):
    def fail(self, messages):
        raise error

    monkeypatch.setattr(EmailBackend, "send_messages", fail)
    user = user_factory(username="alice", email="alice@example.com")
    with caplog.at_level(logging.ERROR, logger="jwt_demo"):
        known = api_client.post("/api/auth/password/forgot/", {"email": "alice@example.com"})
        unknown = api_client.post("/api/auth/password/forgot/", {"email": "nobody@example.com"})
    assert (known.status_code, known.json()) == (unknown.status_code, unknown.json())
    assert known.status_code == 202
    logged = [record for record in caplog.records if record.name == "jwt_demo.accounts"]
    assert len(logged) == 1 and f"user id {user.pk}" in logged[0].getMessage()
    assert "token=" not in caplog.text and "reset-password?" not in caplog.text


def test_production_logs_a_server_error_on_the_console(monkeypatch):
    # Django's default LOGGING prints django.request errors only with DEBUG on (and mails
    # ADMINS): in production a 500 would leave no trace at all.
    from tests.test_throttle_and_settings import load_settings

    production = load_settings(
        monkeypatch,
        DJANGO_ENV="production",
        DJANGO_ALLOWED_HOSTS="api.example.com",
        DJANGO_SECRET_KEY="the-django-secret-key-" + "x" * 30,
        JWT_SIGNING_KEY="the-jwt-signing-key-" + "y" * 30,
    )
    request_logger = production["LOGGING"]["loggers"]["django.request"]
    assert "console" in request_logger["handlers"]
    assert request_logger["level"] == "ERROR"
