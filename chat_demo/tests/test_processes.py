"""Pitfall 3, with real servers: two daphne processes on one database, a client on each.
InMemoryChannelLayer lives inside one process, so a message sent through one server never
reaches the other's clients; with channels-redis (REDIS_URL) every process shares the layer."""

import json
import secrets
from contextlib import ExitStack

import pytest
import requests
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from demo_harness import serve_demo

USER, PASSWORD = "alice", "a long chat passphrase"


def ticket(served):
    response = requests.post(
        served.url + "/api/auth/ticket/", json={"username": USER, "password": PASSWORD}, timeout=10
    )
    assert response.status_code == 201, response.text
    return response.json()["ticket"]


def room_socket(served, room):
    url = served.url.replace("http://", "ws://") + f"/ws/chat/{room}/?ticket={ticket(served)}"
    return connect(url, origin=served.url, open_timeout=10)  # a script sends the site's Origin


def heard_on_the_other_server(demo_dir, tmp_path, redis_url):
    """What a client on server B receives when a client on server A sends one message."""
    database_url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    env = {"REDIS_URL": redis_url}
    with ExitStack() as stack:
        first = stack.enter_context(
            serve_demo(demo_dir, server="daphne", database_url=database_url, env=env, superuser=(USER, PASSWORD))
        )
        second = stack.enter_context(serve_demo(demo_dir, server="daphne", database_url=database_url, env=env))
        room = f"lobby-{secrets.token_hex(4)}"  # its own: another run may share this Redis
        sender, listener = stack.enter_context(room_socket(first, room)), stack.enter_context(room_socket(second, room))
        sender.send(json.dumps({"message": "across processes"}))
        assert json.loads(sender.recv(timeout=5))["message"] == "across processes"  # its own server: yes
        try:
            return json.loads(listener.recv(timeout=2))["message"]
        except (TimeoutError, ConnectionClosed):
            return None


def test_pitfall_3_in_memory_layer_across_processes_trap(demo_dir, tmp_path):
    assert heard_on_the_other_server(demo_dir, tmp_path, redis_url="") is None


@pytest.mark.redis
def test_pitfall_3_in_memory_layer_across_processes_fix(demo_dir, tmp_path, redis_url):
    assert heard_on_the_other_server(demo_dir, tmp_path, redis_url=redis_url) == "across processes"
