"""Two users in one room: each message saved, then received by both, once, in order;
and every connection that may not join is closed with a documented code."""

import secrets

import pytest
from channels.layers import get_channel_layer
from django.test import override_settings

from accounts.tickets import issue_ticket
from chat import closing
from chat.models import Message
from tests.clients import closed_with, run, websocket

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(params=["in_memory", pytest.param("redis", marks=pytest.mark.redis)])
def channel_layer(request, settings):
    """The same contract on both layers: in one process, and through Redis (channels-redis)."""
    if request.param == "redis":
        url = request.getfixturevalue("redis_url")
        prefix = f"chat_demo_test_{secrets.token_hex(4)}"  # another run may share this Redis
        host = {**settings.REDIS_HOST, "address": url}  # as config/settings.py sets it
        backend = {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [host], "prefix": prefix}}
        settings.CHANNEL_LAYERS = {"default": backend}
    return request.param


def test_two_users_in_a_room_both_receive_each_message_once_in_order(alice, bob, channel_layer):
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
    assert (
        type(get_channel_layer()).__name__
        == {"in_memory": "InMemoryChannelLayer", "redis": "RedisChannelLayer"}[channel_layer]
    )
    assert received["alice"] == received["bob"]
    assert [frame["message"] for frame in received["bob"]] == ["one", "two", "three"]
    assert {frame["user"] for frame in received["bob"]} == {"alice"}
    assert set(received["bob"][0]) == {"id", "seq", "message", "user", "sent_at"}
    saved = list(Message.objects.values_list("id", "seq", "text"))
    assert [(frame["id"], frame["seq"], frame["message"]) for frame in received["bob"]] == saved
    assert [frame["seq"] for frame in received["bob"]] == [1, 2, 3]


def test_a_room_hears_only_its_own_messages(alice, bob):
    lobby, other = websocket("/ws/chat/lobby/", user=alice), websocket("/ws/chat/other-room/", user=bob)

    async def scenario():
        await lobby.connect()
        await other.connect()
        await lobby.send_json_to({"message": "lobby only"})
        assert (await lobby.receive_json_from(timeout=2))["message"] == "lobby only"
        assert await other.receive_nothing(timeout=0.3)
        await lobby.disconnect()
        await other.disconnect()

    run(scenario)
    assert list(Message.objects.values_list("room", flat=True)) == ["lobby"]


@pytest.mark.parametrize(
    "path",
    ["/ws/chat/lobby/", "/ws/notifications/"],
)
def test_an_anonymous_connection_is_closed_with_4401(path):
    assert closed_with(websocket(path)) == closing.NOT_LOGGED_IN


@pytest.mark.parametrize("path", ["/ws/chat/Lobby/", "/ws/chat/a_b/", "/ws/chat/" + "x" * 51 + "/", "/ws/nothing/"])
def test_any_other_path_is_closed_with_4404_not_a_server_error(alice, path):
    assert closed_with(websocket(path, user=alice)) == closing.NO_SUCH_ROUTE


def test_a_disabled_user_is_closed_with_4401(alice):
    socket = websocket("/ws/chat/lobby/", user=alice)
    alice.is_active = False
    alice.save()  # the session stays, but Django's auth no longer returns the user
    assert closed_with(socket) == closing.NOT_LOGGED_IN


UNSTORABLE = [
    "[" * 4000 + "]" * 4000,  # under the byte cap, and deeper than Python 3.11's JSON parser goes
    '{"message": "a\\u0000b"}',  # PostgreSQL's text has no NUL
    '{"message": "\\ud800"}',  # half a surrogate pair: not UTF-8
]


def test_a_frame_that_is_not_a_message_gets_an_error_and_the_connection_stays_open(alice):
    socket = websocket("/ws/chat/lobby/", user=alice)

    async def scenario():
        await socket.connect()
        answers = []
        for frame in ["not json", "[1, 2]", '{"text": "hi"}', '{"message": 42}', '{"message": "   "}', *UNSTORABLE]:
            await socket.send_to(text_data=frame)
            answers.append(await socket.receive_json_from(timeout=2))
        await socket.send_json_to({"message": "still here"})
        answers.append(await socket.receive_json_from(timeout=2))
        await socket.disconnect()
        return answers

    answers = run(scenario)
    assert answers[0] == {"errors": {"detail": 'Send JSON: {"message": "..."}.'}}
    assert answers[1:4] == [{"errors": {"message": ["This field is required and must be a string."]}}] * 3
    assert answers[4] == {"errors": {"message": ["This field may not be blank."]}}
    # 4,000 levels deep: Python 3.11 and 3.12 refuse to parse it (RecursionError), 3.13 parses
    # it into a list. Either way an error frame, not a server error.
    assert answers[5] in ({"errors": {"detail": 'Send JSON: {"message": "..."}.'}}, answers[1])
    unstorable = {"errors": {"message": ["Null characters and unpaired surrogates are not allowed."]}}
    assert answers[6:8] == [unstorable, unstorable]
    assert answers[8]["message"] == "still here"
    assert Message.objects.count() == 1


def test_a_binary_frame_is_closed_with_4415(alice):
    socket = websocket("/ws/chat/lobby/", user=alice)

    async def scenario():
        await socket.connect()
        await socket.send_to(bytes_data=b'{"message": "hi"}')
        return await socket.receive_output(timeout=2)

    assert run(scenario)["code"] == closing.UNSUPPORTED
    assert Message.objects.count() == 0


def test_a_ticket_opens_one_connection_for_a_client_without_a_cookie(alice):
    ticket = issue_ticket(user=alice)
    first, second = websocket(f"/ws/chat/lobby/?ticket={ticket}"), websocket(f"/ws/chat/lobby/?ticket={ticket}")

    async def scenario():
        assert (await first.connect())[0]
        await first.send_json_to({"message": "by ticket"})
        frame = await first.receive_json_from(timeout=2)
        await first.disconnect()
        return frame

    assert run(scenario)["user"] == "alice"
    assert closed_with(second) == closing.NOT_LOGGED_IN  # spent


def test_a_ticket_is_spent_by_its_first_connection(alice):
    ticket = issue_ticket(user=alice)
    first = websocket(f"/ws/chat/lobby/?ticket={ticket}")

    async def scenario():
        connected, _ = await first.connect()
        stays_open = await first.receive_nothing(timeout=0.3)
        await first.disconnect()
        return connected and stays_open

    assert run(scenario)
    assert closed_with(websocket(f"/ws/chat/lobby/?ticket={ticket}")) == closing.NOT_LOGGED_IN


def test_an_old_or_unknown_ticket_is_closed_with_4401(alice):
    ticket = issue_ticket(user=alice)
    with override_settings(CHAT_TICKET_MAX_AGE_S=0):
        assert closed_with(websocket(f"/ws/chat/lobby/?ticket={ticket}")) == closing.NOT_LOGGED_IN
    assert closed_with(websocket("/ws/chat/lobby/?ticket=made-up")) == closing.NOT_LOGGED_IN
    assert closed_with(websocket("/ws/chat/lobby/?ticket=" + "x" * 5000)) == closing.NOT_LOGGED_IN
