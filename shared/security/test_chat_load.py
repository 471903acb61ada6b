"""Load on chat_demo's WebSocket side: 200 clients in one room, every message to every one.

chat_demo runs in production mode under daphne (one process, the in-memory channel layer,
SQLite) on 127.0.0.1; the clients run in this process (the websockets library), all on
one ticket each. One of them sends 20 messages, 50 ms apart; each of the 200 must receive
all 20, in order. The latency of a delivery is from the send to its receipt; the figures
go to bench-results/chat-load.json for the benchmark session (``pytest shared/security -m load``).
"""

import asyncio
import json
import platform
import statistics
import time

import pytest
from websockets.asyncio.client import connect

from demo_harness import serve_demo

from .support import ROOT

CLIENTS, MESSAGES, PAUSE_S = 200, 20, 0.05
RESULTS = ROOT / "bench-results" / "chat-load.json"
TICKETS = f"""
import json
from django.contrib.auth import get_user_model
from accounts.tickets import issue_ticket
user = get_user_model().objects.create_user("load", password=None)
print(json.dumps([issue_ticket(user=user) for _ in range({CLIENTS})]))
"""


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


async def room_under_load(base_url, tickets):
    """Every client's (message, receipt time) list, and the send time of each message."""
    url = base_url.replace("http://", "ws://") + "/ws/chat/load/?ticket="
    sockets = [await connect(url + ticket, origin=base_url, open_timeout=30) for ticket in tickets]
    received = [[] for _ in sockets]

    async def listen(frames, socket):
        while len(frames) < MESSAGES:
            frames.append((json.loads(await socket.recv())["message"], time.perf_counter()))

    listeners = [asyncio.create_task(listen(frames, socket)) for frames, socket in zip(received, sockets, strict=True)]
    sent_at = {}
    for n in range(MESSAGES):
        sent_at[f"load {n}"] = time.perf_counter()
        await sockets[0].send(json.dumps({"message": f"load {n}"}))
        await asyncio.sleep(PAUSE_S)
    await asyncio.wait_for(asyncio.gather(*listeners), timeout=120)
    for socket in sockets:
        await socket.close()
    return received, sent_at


@pytest.mark.load
def test_two_hundred_clients_in_one_room_each_receive_every_message_in_order():
    env = {"CHAT_RATE_MESSAGES": str(MESSAGES)}  # the one sender's 20 within the window
    with serve_demo(ROOT / "chat_demo", server="daphne", production=True, env=env) as served:
        made = served.manage("shell", "-c", TICKETS)
        assert made.returncode == 0, made.stderr
        received, sent_at = asyncio.run(room_under_load(served.url, json.loads(made.stdout.splitlines()[-1])))
    expected = [f"load {n}" for n in range(MESSAGES)]
    assert all([text for text, _ in frames] == expected for frames in received)  # all, once, in order
    latencies = [at - sent_at[text] for frames in received for text, at in frames]
    RESULTS.parent.mkdir(exist_ok=True)
    figures = {
        "server": "daphne, 1 process, production settings, in-memory channel layer, SQLite",
        "clients": CLIENTS,
        "messages": MESSAGES,
        "pause_ms": round(PAUSE_S * 1000),
        "delivered": len(latencies),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
        "python": platform.python_version(),
    }
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n")
