#!/usr/bin/env python
"""The local OpenID Connect provider: a stand-in for Google, served next to the demo."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "idp.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
