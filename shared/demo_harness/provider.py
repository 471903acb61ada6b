"""A demo that signs people in through an OpenID Connect provider (sociallogin_demo), served
for black-box tests: the local provider in its ``provider/`` folder, then the site pointed
at it, then the site registered as the provider's client.

    with serve_with_provider(DEMO_DIR, provider_password="...") as (site, provider):
        requests.get(site.url + "/accounts/login/")

``manage.py register_client`` (the provider's own command) also creates the provider's
users, alice, mallory and carol, all with ``provider_password``.
"""

from contextlib import contextmanager
from pathlib import Path

from .server import serve_demo

PROVIDER_SETTINGS = {"DJANGO_SETTINGS_MODULE": "idp.settings"}  # its own, not the site's
CALLBACK = "/accounts/oidc/localidp/login/callback/"
NATIVE_REDIRECT = "http://127.0.0.1/native-app/callback"  # a mobile app's (never served)
CLIENT_SETTINGS = "from django.conf import settings; print(settings.OIDC_CLIENT_ID); print(settings.OIDC_CLIENT_SECRET)"


@contextmanager
def serve_provider(demo_dir):
    """The demo's provider/ on runserver, on a new database."""
    with serve_demo(Path(demo_dir) / "provider", server="runserver", env=PROVIDER_SETTINGS) as provider:
        yield provider


def register_client(provider, *, client_id, secret, password, redirect_uris):
    """A client of the served provider (exact redirect URIs), and the provider's users."""
    # --name=value: a random password may begin with "-", which argparse reads as an option.
    options = [f"--client-id={client_id}", f"--secret={secret}", f"--password={password}"]
    registered = provider.manage("register_client", *options, *(f"--redirect-uri={uri}" for uri in redirect_uris))
    if registered.returncode:
        raise RuntimeError(f"register_client failed:\n{registered.stdout}\n{registered.stderr}")


@contextmanager
def serve_with_provider(demo_dir, *, provider_password, env=None, **serve_options):
    """(site, provider): both served, the site (``serve_demo`` with ``serve_options``)
    registered with its callback over http and https (the callback a TLS proxy in front
    of a production site sees) and the mobile app's redirect. ``site.client_id`` and
    ``site.client_secret`` are the site's credentials at the provider."""
    with serve_provider(demo_dir) as provider:
        site_env = {**(env or {}), "OIDC_PROVIDER_URL": provider.url + "/o"}
        with serve_demo(demo_dir, env=site_env, **serve_options) as site:
            read = site.manage("shell", "-c", CLIENT_SETTINGS)
            if read.returncode:
                raise RuntimeError(f"reading the client settings failed:\n{read.stderr}")
            site.client_id, site.client_secret = client_id, secret = read.stdout.splitlines()[-2:]
            callbacks = [site.url + CALLBACK, site.url.replace("http://", "https://", 1) + CALLBACK]
            register_client(
                provider,
                client_id=client_id,
                secret=secret,
                password=provider_password,
                redirect_uris=[*callbacks, NATIVE_REDIRECT],
            )
            yield site, provider
