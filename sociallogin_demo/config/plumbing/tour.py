"""The tours' vocabulary: identical in every demo; not the lesson.

A demo's ``manage.py tour`` is a ``Tour``: a title and a list of short steps. Each step
calls ``step()`` (what it is about to do, and why), ``say()`` (what happened) and
``expect()`` (a claim, checked: one that does not hold stops the tour with an error).
Secrets are shown through ``mask()`` only. Lines stay under 100 characters.
"""

import logging
import textwrap
from contextlib import contextmanager

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test import override_settings

WIDTH = 96


def mask(secret, shown=8):
    """The first characters of a token or key, enough to tell two apart; never the rest."""
    return f"{secret[:shown]}…" if secret else "(none)"


def locmem_email():
    """Collect emails in django.core.mail.outbox (Django 6.1 reads MAILERS, 5.2 EMAIL_BACKEND)."""
    locmem = "django.core.mail.backends.locmem.EmailBackend"
    if hasattr(settings, "MAILERS"):
        return override_settings(MAILERS={"default": {"BACKEND": locmem}})
    return override_settings(EMAIL_BACKEND=locmem)


@contextmanager
def quiet_request_log():
    """A tour's 4xx answers are on purpose: keep Django's "Bad Request: ..." warnings
    (logger django.request) out of its output. Server errors (5xx) still show."""
    request_logger = logging.getLogger("django.request")
    level = request_logger.level
    request_logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        request_logger.setLevel(level)


class Tour(BaseCommand):
    """Runs ``steps()`` in order; a subclass sets ``title`` and defines the steps."""

    title = ""

    def steps(self):
        """The tour's steps, methods of the subclass, in the order they run."""
        raise NotImplementedError

    def handle(self, *args, **options):
        self.step_number = 0
        self.say(self.title, style="title")
        with quiet_request_log():
            for step in self.steps():
                step()
        self.say("\nTour complete: every step behaved as described.", style="success")

    def step(self, title, explanation=""):
        self.step_number += 1
        self.say(f"\nStep {self.step_number}. {title}", style="title")
        if explanation:
            self.say(f"  {explanation}")

    def say(self, text, style=None):
        # A long line wraps, indented under its start.
        body = text.lstrip("\n")
        indent = " " * (len(body) - len(body.lstrip(" ")))
        text = text[: len(text) - len(body)] + textwrap.fill(body, width=WIDTH, subsequent_indent=indent + "  ")
        styles = {"title": self.style.MIGRATE_HEADING, "success": self.style.SUCCESS, "note": self.style.WARNING}
        self.stdout.write(styles[style](text) if style else text)

    def expect(self, condition, claim):
        if not condition:
            raise CommandError(f"Step {self.step_number} did not behave as explained: {claim}")
        self.say(f"  ✓ {claim}", style="success")
