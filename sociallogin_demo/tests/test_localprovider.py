"""`manage.py localprovider`, as a learner runs it beside `runserver`: the provider answers
where OIDC_PROVIDER_URL says, this site registered as its client, its users created."""

import io
import os
import signal
import threading
import time
from pathlib import Path

import pytest
import requests
from django.core.management import call_command

from demo_harness import free_port
from social.dance import native_id_token
from social.servers import DEVELOPMENT_PROVIDER_PASSWORD, NATIVE_REDIRECT

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds its child in /proc (Linux)")


def children_of_this_process():
    """{pid: command line} of this process's children (the provider's runserver)."""
    children = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            command = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, IndexError, ValueError):
            continue  # a process that ended while we looked
        if parent == os.getpid():
            children[int(stat.parent.name)] = command
    return children


def wait_for(url, timeout=60):
    deadline = time.monotonic() + timeout
    while True:
        try:
            return requests.get(url, timeout=2)
        except requests.ConnectionError:
            assert time.monotonic() < deadline, f"{url} did not answer within {timeout} s"
            time.sleep(0.2)


def test_localprovider_serves_the_provider_with_this_site_registered(tmp_path, settings, monkeypatch):
    port = free_port()
    settings.OIDC_PROVIDER_URL = f"http://127.0.0.1:{port}/o"  # the port it serves on by default
    monkeypatch.setenv("PROVIDER_DATABASE_URL", f"sqlite:///{tmp_path / 'idp.sqlite3'}")
    out = io.StringIO()
    command = threading.Thread(target=call_command, args=("localprovider",), kwargs={"stdout": out})
    command.start()
    try:
        discovery = wait_for(settings.OIDC_PROVIDER_URL + "/.well-known/openid-configuration")
        assert discovery.json()["issuer"] == settings.OIDC_PROVIDER_URL
        # carol signs in at the provider for this site's client: both were created.
        id_token = native_id_token(
            requests.Session(),
            settings.OIDC_PROVIDER_URL,
            client_id=settings.OIDC_CLIENT_ID,
            secret=settings.OIDC_CLIENT_SECRET,
            redirect_uri=NATIVE_REDIRECT,
            username="carol",
            password=DEVELOPMENT_PROVIDER_PASSWORD,
        )
        assert id_token.count(".") == 2
    finally:
        for pid, line in children_of_this_process().items():
            if f"127.0.0.1:{port}" in line:
                os.kill(pid, signal.SIGTERM)  # as Ctrl+C ends it
        command.join(timeout=30)
    assert not command.is_alive()
    assert f"Local provider on {settings.OIDC_PROVIDER_URL} for http://127.0.0.1:8000" in out.getvalue()
    assert DEVELOPMENT_PROVIDER_PASSWORD not in out.getvalue()
