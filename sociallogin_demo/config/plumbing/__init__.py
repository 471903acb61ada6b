"""Plumbing: identical in every demo; not the lesson.

Every demo has this folder byte for byte (demos/tests/test_catalog.py fails when one
copy drifts). It holds what a production Django API needs and no demo teaches:

- settings.py: development defaults, production hardening, the database URL, static
  files, email, and the settings every API here shares (imported by config/settings.py);
- openapi.py: the schema class that also documents the errors DRF answers on its own;
- parsers.py: DRF's JSON parser, with a 400 for absurdly deep nesting;
- exceptions.py: JSON (413/400) for the bodies and query strings Django refuses;
- middleware.py: a 400 for NUL bytes in a URL, a 404 naming the URL for a missing slash;
- throttling.py: the throttle for every operation that checks a password or names an account.

The lesson is in the demo's own config/settings.py and its apps.
"""
