"""The settings of every Django process a demo's test suite starts: a served demo, a
``manage.py`` command, a task worker, a tour. They are the demo's own settings, production
mode included when ``DJANGO_ENV`` asks for it, with one change: passwords are hashed with
the fast test hasher, as in the test process itself (``plugin.FAST_TEST_HASHERS``).

Why: PBKDF2 at Django's real cost takes a fifth of a second of CPU per password, and the
served, tour and walkthrough tests sign up and log in often enough that hashing was half
of a suite's CPU. No test here is about the hasher's cost. The black-box sessions
(``shared/security``, fuzz, e2e, bench) start their servers outside a demo's suite, so
they keep the demo's real hasher.

The plugin points ``DJANGO_SETTINGS_MODULE`` here for child processes; a test that sets
its own settings module for a child (a trap's settings, say) keeps it.
"""

from config.settings import *  # noqa: F403  (the demo's settings, unchanged)
from demo_harness.hashing import FAST_TEST_HASHERS

PASSWORD_HASHERS = FAST_TEST_HASHERS
