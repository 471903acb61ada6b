"""Receivers for Django's non-model signals: auth, request/response, database, test.

Imported by ActivityConfig.ready(); each ``@receiver`` connects at import time.
"""

import functools
import logging

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.signals import got_request_exception, request_finished, request_started, setting_changed
from django.db.backends.signals import connection_created
from django.dispatch import receiver
from django.test.signals import template_rendered

from .models import record

logger = logging.getLogger("signals_demo")
FAILED_LOGIN_SUMMARY = "user_login_failed (what was typed is not recorded)"


# --- auth ----------------------------------------------------------------------------
@receiver(user_logged_in)
def on_logged_in(sender, request, user, **kwargs):
    # Never log user.password (the signals tutorial prints it): even the hash is a secret.
    record("user_logged_in", sender, f"user_logged_in {user.get_username()!r}")


@receiver(user_logged_out)
def on_logged_out(sender, request, user, **kwargs):
    # user is None when nobody was logged in: logout() still sends the signal.
    who = repr(user.get_username()) if user else "anonymous (no one was logged in)"
    record("user_logged_out", sender, f"user_logged_out {who}")


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    # Record THAT a login failed, never WHAT was typed. authenticate() masks "password",
    # but the username box often holds a password typed one field too early, and a value
    # masked by length or prefix still leaks part of it. So no credential, in any form.
    record("user_login_failed", sender, FAILED_LOGIN_SUMMARY)


# --- request / response --------------------------------------------------------------
@receiver(request_started)
def on_request_started(sender, environ, **kwargs):
    # No request object yet: only the WSGI environ. Django itself uses this signal to
    # reset the query log and close stale database connections.
    logger.debug("request_started %s %s", environ.get("REQUEST_METHOD"), environ.get("PATH_INFO"))


@receiver(request_finished)
def on_request_finished(sender, **kwargs):
    # Sent when the response is closed, after its content was sent to the client.
    logger.debug("request_finished")


@receiver(got_request_exception)
def on_request_exception(sender, request, **kwargs):
    # Sent while Django turns an unhandled exception into a 500. A good place to report
    # the error; never echo request data that may hold secrets.
    path = getattr(request, "path", "?")
    record("got_request_exception", sender, f"got_request_exception on {path}")


# --- database ------------------------------------------------------------------------
@receiver(connection_created)
def on_connection_created(sender, connection, **kwargs):
    # Per-connection set-up belongs here: it runs for every new connection, in every
    # process and thread. We cap how long one PostgreSQL statement may run.
    timeout_ms = getattr(settings, "DATABASE_STATEMENT_TIMEOUT_MS", None)
    if connection.vendor == "postgresql" and timeout_ms:
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = %s", [int(timeout_ms)])


# --- settings and templates (sent by Django's test tools) -----------------------------
@functools.cache
def feed_limit():
    """The feed size, read once and cached: cheap, but a cache that must be cleared."""
    return settings.ACTIVITY_FEED_LIMIT


@receiver(setting_changed)
def on_setting_changed(sender, setting, value, enter, **kwargs):
    # override_settings() sends this on enter and on exit; Django clears its own caches
    # the same way (e.g. the password hashers).
    if setting == "ACTIVITY_FEED_LIMIT":
        feed_limit.cache_clear()


@receiver(template_rendered)
def on_template_rendered(sender, template, context, **kwargs):
    # Only sent under Django's test instrumentation (the test runner, pytest-django):
    # it is how the test client collects response.templates. Never fires in production.
    logger.debug("template_rendered %s", template.name)
