"""Start the local OpenID Connect provider (provider/) and this site as real servers: for
the tour, each in a child process on a free port of 127.0.0.1, stopped at the end; for
`manage.py localprovider`, the provider alone, beside your `runserver`."""

import os
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

PROVIDER_DIR = Path(settings.BASE_DIR) / "provider"
CALLBACK = "/accounts/oidc/localidp/login/callback/"
NATIVE_REDIRECT = "http://127.0.0.1/native-app/callback"  # the mobile app's (never served)
OTHER_APP = ("another-app", "another-app-secret")  # another client of the provider (pitfall 4)
# The provider's users' password (alice, mallory, carol): a development default, as the
# whole provider is (provider/idp/settings.py).
DEVELOPMENT_PROVIDER_PASSWORD = "a-provider-passphrase"  # development default


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(folder, *args, env):
    done = subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, "manage.py", *args], cwd=folder, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise RuntimeError(f"manage.py {args[0]} failed in {folder.name}:\n{done.stderr}")


@contextmanager
def runserver(folder, port, env):
    process = subprocess.Popen(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=folder,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_listening(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def wait_until_listening(port, process, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server on port {port} exited with code {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listened on port {port} within {timeout} s")


def database_url():
    """A DATABASE_URL for the database this process uses (in the tests: the test
    database), so that the site served in a child process sees the same rows."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = quote(db["USER"] or "", safe="") + (":" + quote(db["PASSWORD"], safe="") if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{quote(db['NAME'], safe='')}"


def provider_env(database_url):
    """The provider's environment: its own settings and database, never this site's."""
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "idp.settings", "DATABASE_URL": database_url}


def prepare_provider(env, *, site_url, password):
    """Migrate the provider's database; register this site (its callback and the mobile
    app's redirect) and another app (pitfall 4) as clients; create the provider's users."""
    manage(PROVIDER_DIR, "migrate", "--no-input", env=env)
    clients = [
        (settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET, [site_url + CALLBACK, NATIVE_REDIRECT]),
        (*OTHER_APP, [NATIVE_REDIRECT]),
    ]
    for client_id, secret, redirect_uris in clients:
        redirects = [arg for uri in redirect_uris for arg in ("--redirect-uri", uri)]
        manage(
            PROVIDER_DIR,
            "register_client",
            *("--client-id", client_id, "--secret", secret, "--password", password),
            *redirects,
            env=env,
        )


@contextmanager
def provider_and_site(*, password):
    """(provider URL, site URL): both served, the site registered with the provider."""
    provider_port, site_port = free_port(), free_port()
    site_url = f"http://127.0.0.1:{site_port}"
    with tempfile.TemporaryDirectory(prefix="local-provider-") as tmp:
        env = provider_env(f"sqlite:///{tmp}/idp.sqlite3")
        prepare_provider(env, site_url=site_url, password=password)
        with runserver(PROVIDER_DIR, provider_port, env) as provider_url:
            site_env = {**os.environ, "OIDC_PROVIDER_URL": provider_url + "/o", "DATABASE_URL": database_url()}
            with runserver(Path(settings.BASE_DIR), site_port, site_env) as served_site:
                yield provider_url, served_site
