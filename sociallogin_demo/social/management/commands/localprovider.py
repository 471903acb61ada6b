"""python manage.py localprovider : the local OpenID Connect provider (provider/), served
where OIDC_PROVIDER_URL says (127.0.0.1:9100) beside your `python manage.py runserver`,
this site registered as its client.

It stands in for Google while you try the demo by hand: open http://127.0.0.1:8000/ and
follow "Local identity provider", then "Continue". Its users are alice (verified address),
mallory (claims bob@example.com, never verified) and carol; their password is
DEVELOPMENT_PROVIDER_PASSWORD in social/servers.py. Ctrl+C stops it.
"""

import contextlib
import os
import subprocess
import sys
from urllib.parse import urlparse

from django.conf import settings
from django.core.management.base import BaseCommand

from social.servers import DEVELOPMENT_PROVIDER_PASSWORD, PROVIDER_DIR, prepare_provider, provider_env


class Command(BaseCommand):
    help = "Serve the local OpenID Connect provider where OIDC_PROVIDER_URL says, this site as its client."

    def add_arguments(self, parser):
        port = urlparse(settings.OIDC_PROVIDER_URL).port  # where this site looks for it
        parser.add_argument("--port", type=int, default=port, help=f"default {port}, from OIDC_PROVIDER_URL")
        parser.add_argument("--site", default="http://127.0.0.1:8000", help="this site's URL, for its callback")

    def handle(self, *args, port, site, **options):
        # Its own database (provider/idp.sqlite3 by default), never this site's.
        database_url = os.environ.get("PROVIDER_DATABASE_URL", f"sqlite:///{PROVIDER_DIR / 'idp.sqlite3'}")
        env = provider_env(database_url)
        prepare_provider(env, site_url=site, password=DEVELOPMENT_PROVIDER_PASSWORD)
        self.stdout.write(f"Local provider on http://127.0.0.1:{port}/o for {site}; users alice, mallory, carol.")
        command = [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]
        with contextlib.suppress(KeyboardInterrupt):  # Ctrl+C stops the provider too: nothing to add
            subprocess.run(command, cwd=PROVIDER_DIR, env=env, check=False)  # noqa: S603 - our own manage.py
