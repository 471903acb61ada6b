"""Helpers for the browser tests: paths, free ports, screenshots, running a demo."""

import os
import secrets
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from demo_harness import serve_demo
from demo_harness.provider import serve_with_provider

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))  # demos.catalog: the list of demos to check

DOCS_HTML = Path(os.environ.get("DOCS_HTML", REPO_ROOT / "docs" / "_build" / "html"))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = REPO_ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def artifact(name):
    """test-artifacts/<name>.png, its folder created."""
    path = ARTIFACTS / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def screenshot(page, name):
    path = artifact(name)
    page.screenshot(path=str(path), full_page=True)
    return path


@dataclass
class DemoServer:
    url: str
    username: str
    password: str
    provider_url: str = ""  # sociallogin_demo: its OpenID Connect provider
    provider_password: str = ""  # every provider user's (alice, mallory, carol)


@contextmanager
def run_demo(demo, prepare=()):
    """The demo on runserver (DEBUG serves the admin's static files), with a superuser;
    a demo that needs a server beside it (the catalog's ``serve_beside``: sociallogin_demo's
    provider) gets that too."""
    if demo.serve_beside:
        assert not prepare, "run_with_provider runs no prepare commands"
        with run_with_provider(demo) as server:
            yield server
        return
    password = secrets.token_urlsafe(16)
    with serve_demo(demo.path, server="runserver", superuser=("admin", password), prepare=prepare) as served:
        yield DemoServer(served.url, "admin", password)


@contextmanager
def run_with_provider(demo):
    """sociallogin_demo on runserver with its local provider beside it, registered as its
    client, as ``manage.py localprovider`` does by hand; the provider's users get a random
    password (demo_harness.provider)."""
    password, provider_password = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
    serving = serve_with_provider(
        demo.path, provider_password=provider_password, server="runserver", superuser=("admin", password)
    )
    with serving as (served, provider):
        yield DemoServer(served.url, "admin", password, provider.url, provider_password)
