"""Two users in one room: each message saved, then received by both, once, in order."""

import pytest

from chat import closing
from chat.models import Message
from tests.conftest import run, websocket

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_users_in_a_room_both_receive_each_message_once_in_order(alice, bob):
    alice_socket, bob_socket = websocket("/ws/chat/lobby/", user=alice), websocket("/ws/chat/lobby/", user=bob)

    async def scenario():
        assert (await alice_socket.connect())[0] and (await bob_socket.connect())[0]
        for text in ["one", "two", "three"]:
            await alice_socket.send_json_to({"message": text})
        received = {}
        for name, socket in [("alice", alice_socket), ("bob", bob_socket)]:
            received[name] = [await socket.receive_json_from(timeout=2) for _ in range(3)]
            assert await socket.receive_nothing(timeout=0.2)  # each message once
            await socket.disconnect()
        return received

    received = run(scenario)
    assert received["alice"] == received["bob"]
    assert [frame["message"] for frame in received["bob"]] == ["one", "two", "three"]
    assert {frame["user"] for frame in received["bob"]} == {"alice"}
    saved = list(Message.objects.values_list("id", "text"))
    assert [(frame["id"], frame["message"]) for frame in received["bob"]] == saved


def test_an_anonymous_connection_is_closed_with_4401(db):
    socket = websocket("/ws/chat/lobby/")

    async def scenario():
        connected, _ = await socket.connect()
        closed = await socket.receive_output(timeout=2)
        return connected, closed

    connected, closed = run(scenario)
    assert closed == {"type": "websocket.close", "code": closing.NOT_LOGGED_IN, "reason": ""} or closed["code"] == 4401
