"""Each trap in chat/pitfalls.py, shown doing the harm it names, next to its fix.
(Pitfall 3, two server processes, is in test_processes.py.)"""

import contextlib

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.db import transaction
from django.test import override_settings

from chat import closing, pitfalls
from chat.groups import room_group
from chat.models import Message
from chat.services import next_seq, post_message
from tests.clients import HANDSHAKE_REFUSED, ORIGIN, closed_with, run, websocket

pytestmark = pytest.mark.django_db(transaction=True)


def test_pitfall_1_sync_orm_in_an_async_consumer_trap(alice):
    socket = websocket("/ws/chat/lobby/", user=alice, app=pitfalls.application_with_sync_orm())

    async def scenario():
        await socket.connect()
        await socket.send_json_to({"message": "hello"})
        with pytest.raises(Exception) as raised:
            await socket.receive_output(timeout=2)
        return raised.value

    error = run(scenario)
    assert type(error).__name__ == "SynchronousOnlyOperation"
    assert Message.objects.count() == 0


def test_pitfall_1_sync_orm_in_an_async_consumer_fix(alice):
    socket = websocket("/ws/chat/lobby/", user=alice)

    async def scenario():
        await socket.connect()
        await socket.send_json_to({"message": "hello"})
        frame = await socket.receive_json_from(timeout=2)
        await socket.disconnect()
        return frame

    assert run(scenario)["message"] == "hello"  # saved through database_sync_to_async
    assert Message.objects.get().text == "hello"


def listener_and_writer(alice, bob, write):
    """What bob's open connection receives while ``write`` runs, and what the table holds."""
    listener = websocket("/ws/chat/lobby/", user=bob)

    async def scenario():
        await listener.connect()
        with contextlib.suppress(ValueError):  # the writers that roll back raise
            await sync_to_async(write)(user=alice, room="lobby", text="rolled back?")
        frames = []
        while not await listener.receive_nothing(timeout=0.3):
            frames.append(await listener.receive_json_from())
        await listener.disconnect()
        return frames

    return run(scenario)


def test_pitfall_2_broadcast_before_commit_trap(alice, bob):
    frames = listener_and_writer(alice, bob, pitfalls.post_message_broadcast_before_commit)
    assert [frame["message"] for frame in frames] == ["rolled back?"]  # bob saw it ...
    assert not Message.objects.filter(id=frames[0]["id"]).exists()  # ... and it never existed


def test_pitfall_2_broadcast_before_commit_fix(alice, bob):
    def post_then_fail(**message):
        with transaction.atomic():
            post_message(**message)
            raise ValueError("a later step fails")

    assert listener_and_writer(alice, bob, post_then_fail) == []  # on_commit: never sent
    assert listener_and_writer(alice, bob, post_message)[0]["message"] == "rolled back?"  # committed: sent


def test_pitfall_4_no_origin_check_trap(alice):
    page_elsewhere = websocket(
        "/ws/chat/lobby/", user=alice, origin=b"https://evil.example", app=pitfalls.application_without_origin_check()
    )

    async def scenario():
        connected, _ = await page_elsewhere.connect()
        await page_elsewhere.send_json_to({"message": "posted by a page on evil.example, as alice"})
        frame = await page_elsewhere.receive_json_from(timeout=2)
        await page_elsewhere.disconnect()
        return connected, frame

    connected, frame = run(scenario)
    assert connected and frame["user"] == "alice"  # alice's cookie did the talking


@pytest.mark.parametrize("origin", [b"https://evil.example", b"http://testserver.evil.example", b"null", None])
def test_pitfall_4_no_origin_check_fix(alice, origin):
    assert closed_with(websocket("/ws/chat/lobby/", user=alice, origin=origin)) == HANDSHAKE_REFUSED
    this_site = websocket("/ws/chat/lobby/", user=alice, origin=ORIGIN)

    async def scenario():
        connected, _ = await this_site.connect()
        await this_site.disconnect()
        return connected

    assert run(scenario)  # the same cookie, from this site's own page


def test_pitfall_5_no_caps_trap(alice):
    flooder = websocket("/ws/chat/lobby/", user=alice, app=pitfalls.application_without_limits())

    async def scenario():
        await flooder.connect()
        for _ in range(30):
            await flooder.send_json_to({"message": "x" * 100_000})
        await flooder.receive_nothing(timeout=1)
        await flooder.disconnect()

    run(scenario)
    assert Message.objects.count() == 30  # 3 MB from one connection in a second, all stored


@override_settings(CHAT_RATE_MESSAGES=5, CHAT_RATE_SECONDS=60)
def test_pitfall_5_no_caps_fix(alice):
    socket = websocket("/ws/chat/lobby/", user=alice)

    async def scenario():
        await socket.connect()
        await socket.send_json_to({"message": "x" * 100_000})
        return (await socket.receive_output(timeout=2))["code"]

    assert run(scenario) == closing.TOO_LARGE
    assert Message.objects.count() == 0


def post_message_quietly(user, text):
    """Saved and numbered as the consumer saves it, but not broadcast: the test sends."""
    with transaction.atomic():
        return Message.objects.create(room="lobby", seq=next_seq("lobby"), user=user, text=text)


SMALL_CHANNELS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer", "CONFIG": {"capacity": 3}}}


def frames_of_a_slow_reader(alice, bob):
    """Ten messages sent to the room before bob's consumer gets a turn to read one."""
    slow_reader = websocket("/ws/chat/lobby/", user=bob)
    messages = [post_message_quietly(alice, f"m{n}") for n in range(10)]

    async def scenario():
        await slow_reader.connect()
        layer = get_channel_layer()
        for message in messages:  # ten events before the consumer gets a turn to read one
            await layer.group_send(room_group("lobby"), {"type": "chat.message", "message": message.as_frame()})
        frames = []
        while not await slow_reader.receive_nothing(timeout=0.3):
            frames.append(await slow_reader.receive_json_from())
        await slow_reader.disconnect()
        return frames

    return run(scenario)


@override_settings(CHANNEL_LAYERS=SMALL_CHANNELS)
def test_pitfall_6_a_consumer_that_falls_behind_trap(alice, bob):
    frames = frames_of_a_slow_reader(alice, bob)
    assert 3 <= len(frames) < 10  # a channel holds 3 (and the consumer one more): the rest dropped
    assert all("error" not in frame for frame in frames)  # silently


@override_settings(CHANNEL_LAYERS=SMALL_CHANNELS)
def test_pitfall_6_a_consumer_that_falls_behind_fix(alice, bob, client):
    """The client numbers what it has; at the first gap it asks the history for the rest."""
    frames = frames_of_a_slow_reader(alice, bob)
    contiguous = 0
    while contiguous < len(frames) and frames[contiguous]["seq"] == contiguous + 1:
        contiguous += 1
    client.force_login(bob)
    rest = client.get("/api/rooms/lobby/messages/", {"after": contiguous}).json()["results"]
    assert [frame["seq"] for frame in frames[:contiguous] + rest] == list(range(1, 11))
