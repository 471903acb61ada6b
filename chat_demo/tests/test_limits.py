"""What one connection may send: a frame's size, a message's length, frames per window.
Over a limit the connection is closed with a code, and nothing is stored."""

import pytest
from django.test import override_settings

from chat import closing
from chat.models import Message, Notification
from tests.clients import run, websocket

pytestmark = pytest.mark.django_db(transaction=True)


def close_code_after(socket, frames):
    async def scenario():
        await socket.connect()
        for frame in frames:
            await socket.send_to(text_data=frame)
        while True:
            output = await socket.receive_output(timeout=3)
            if output["type"] == "websocket.close":
                return output["code"]

    return run(scenario)


def test_a_frame_over_the_byte_cap_is_closed_with_4413_before_it_is_parsed(alice, settings):
    frame = '{"message": "' + "é" * (settings.CHAT_FRAME_MAX_BYTES // 2) + '"}'  # 2 bytes each
    assert len(frame) < settings.CHAT_FRAME_MAX_BYTES < len(frame.encode())
    assert close_code_after(websocket("/ws/chat/lobby/", user=alice), [frame]) == closing.TOO_LARGE
    assert Message.objects.count() == 0


def test_a_message_over_the_length_cap_is_closed_with_4413_and_not_stored(alice, settings):
    longest = "x" * settings.CHAT_MESSAGE_MAX_CHARS
    frames = [f'{{"message": "{longest}"}}', f'{{"message": "{longest}y"}}']
    assert close_code_after(websocket("/ws/chat/lobby/", user=alice), frames) == closing.TOO_LARGE
    assert list(Message.objects.values_list("text", flat=True)) == [longest]  # the one at the cap


@override_settings(CHAT_RATE_MESSAGES=5, CHAT_RATE_SECONDS=60)
def test_a_flood_is_closed_with_4429_and_only_the_allowed_frames_are_stored(alice):
    frames = [f'{{"message": "flood {n}"}}' for n in range(50)]
    assert close_code_after(websocket("/ws/chat/lobby/", user=alice), frames) == closing.TOO_MANY
    assert Message.objects.count() == 5


@override_settings(CHAT_RATE_MESSAGES=5, CHAT_RATE_SECONDS=60)
def test_malformed_frames_count_against_the_rate_too(alice):
    frames = ["not json"] * 6
    assert close_code_after(websocket("/ws/chat/lobby/", user=alice), frames) == closing.TOO_MANY


def test_a_mention_list_creates_five_notifications_at_most(alice, user_factory):
    names = [user_factory(f"user{n}").username for n in range(8)]
    socket = websocket("/ws/chat/lobby/", user=alice)

    async def scenario():
        await socket.connect()
        await socket.send_json_to({"message": " ".join(f"@{name}" for name in names)})
        await socket.receive_json_from(timeout=2)
        await socket.disconnect()

    run(scenario)
    assert sorted(Notification.objects.values_list("recipient__username", flat=True)) == names[:5]
