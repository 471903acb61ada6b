"""The local OpenID Connect provider (provider/) served for real, once per test run, and
the demo served by pytest-django's live server, registered with it as a client."""

import pytest
from django.conf import settings

from demo_harness.server import serve_demo
from social.servers import CALLBACK, NATIVE_REDIRECT, OTHER_APP

from .clients import PROVIDER_PASSWORD, point_at

PROVIDER_DIR = settings.BASE_DIR / "provider"


@pytest.fixture(scope="session")
def provider(live_server):
    """The provider on a free port, with the live server's callback as its one redirect URI."""
    env = {"DJANGO_SETTINGS_MODULE": "idp.settings"}  # its own settings, not the demo's
    with serve_demo(PROVIDER_DIR, server="runserver", env=env) as served:
        registered = served.manage(
            "register_client",
            "--client-id",
            settings.OIDC_CLIENT_ID,
            "--secret",
            settings.OIDC_CLIENT_SECRET,
            "--redirect-uri",
            live_server.url + CALLBACK,
            "--redirect-uri",
            NATIVE_REDIRECT,
            "--password",
            PROVIDER_PASSWORD,
        )
        assert registered.returncode == 0, registered.stderr
        # Another app at the same provider (pitfall 4): its ID tokens are signed by the same key.
        other = served.manage(
            "register_client",
            "--client-id",
            OTHER_APP[0],
            "--secret",
            OTHER_APP[1],
            "--redirect-uri",
            NATIVE_REDIRECT,
            "--password",
            PROVIDER_PASSWORD,
        )
        assert other.returncode == 0, other.stderr
        yield served


@pytest.fixture
def site(provider, live_server, settings):
    """The demo's URL, its allauth pointed at the served provider."""
    point_at(settings, provider.url + "/o")
    return live_server.url
