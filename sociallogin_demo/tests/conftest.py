"""The local OpenID Connect provider (provider/) served for real, once per test run, and
the demo served by pytest-django's live server, registered with it as a client."""

import pytest
from django.conf import settings

from demo_harness.provider import register_client, serve_provider
from social.servers import CALLBACK, NATIVE_REDIRECT, OTHER_APP

from .clients import PROVIDER_PASSWORD, point_at


@pytest.fixture(scope="session")
def provider(live_server):
    """The provider on a free port, with the live server's callback and the mobile app's
    redirect registered, and another app at the same provider (pitfall 4): its ID tokens
    are signed by the same key."""
    with serve_provider(settings.BASE_DIR) as served:
        register_client(
            served,
            client_id=settings.OIDC_CLIENT_ID,
            secret=settings.OIDC_CLIENT_SECRET,
            password=PROVIDER_PASSWORD,
            redirect_uris=[live_server.url + CALLBACK, NATIVE_REDIRECT],
        )
        other_id, other_secret = OTHER_APP
        register_client(
            served, client_id=other_id, secret=other_secret, password=PROVIDER_PASSWORD, redirect_uris=[NATIVE_REDIRECT]
        )
        yield served


@pytest.fixture
def site(provider, live_server, settings):
    """The demo's URL, its allauth pointed at the served provider."""
    point_at(settings, provider.url + "/o")
    return live_server.url
