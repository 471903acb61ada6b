"""The notification feed: a post_save receiver pushes each new Notification to its
recipient's ws/notifications/ connections, after the commit, never for a rolled-back row."""

import pytest
from asgiref.sync import sync_to_async
from django.db import transaction

from chat import closing
from chat.models import Message, Notification
from chat.services import post_message
from tests.clients import closed_with, run, websocket

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_mention_reaches_the_recipients_feed_once_it_has_committed(alice, bob):
    feed, room = websocket("/ws/notifications/", user=bob), websocket("/ws/chat/lobby/", user=alice)

    async def scenario():
        await feed.connect()
        await room.connect()
        await room.send_json_to({"message": "hi @bob and @nobody"})
        sent = await room.receive_json_from(timeout=2)
        pushed = await feed.receive_json_from(timeout=2)
        assert await feed.receive_nothing(timeout=0.2)
        await feed.disconnect()
        await room.disconnect()
        return sent, pushed

    sent, pushed = run(scenario)
    notification = Notification.objects.get()
    assert pushed == {
        "id": notification.id,
        "type": "mention",
        "room": "lobby",
        "from": "alice",
        "message_id": sent["id"],
        "message": "hi @bob and @nobody",
    }


def test_nothing_is_pushed_while_the_transaction_is_open_nor_after_it_rolls_back(alice, bob):
    feed = websocket("/ws/notifications/", user=bob)

    def write_then_fail():
        with transaction.atomic():
            post_message(user=alice, room="lobby", text="@bob you will never see this")
            raise RuntimeError("a later step fails")

    async def scenario():
        await feed.connect()
        with pytest.raises(RuntimeError):
            await sync_to_async(write_then_fail)()
        assert await feed.receive_nothing(timeout=0.3)
        await feed.disconnect()

    run(scenario)
    assert Message.objects.count() == Notification.objects.count() == 0


def test_a_notification_saved_outside_the_chat_is_pushed_too(alice, bob):
    """The receiver, not the consumer, pushes: the admin or a shell saving one notifies."""
    feed = websocket("/ws/notifications/", user=bob)
    message = Message.objects.create(room="lobby", seq=1, user=alice, text="from the admin")

    async def scenario():
        await feed.connect()
        await sync_to_async(Notification.objects.create)(recipient=bob, message=message)
        pushed = await feed.receive_json_from(timeout=2)
        await feed.disconnect()
        return pushed

    assert run(scenario)["message"] == "from the admin"


def test_nobody_is_notified_of_their_own_mention_nor_of_another_users(alice, bob, user_factory):
    carol = user_factory("carol")
    feeds = {user.username: websocket("/ws/notifications/", user=user) for user in (alice, carol)}

    async def scenario():
        for feed in feeds.values():
            await feed.connect()
        await sync_to_async(post_message)(user=alice, room="lobby", text="@alice @bob")
        for feed in feeds.values():
            assert await feed.receive_nothing(timeout=0.3)
            await feed.disconnect()

    run(scenario)
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["bob"]


def test_the_feed_takes_no_frames(bob):
    feed = websocket("/ws/notifications/", user=bob)

    async def scenario():
        await feed.connect()
        await feed.send_json_to({"message": "hello?"})
        return (await feed.receive_output(timeout=2))["code"]

    assert run(scenario) == closing.UNSUPPORTED
    assert closed_with(websocket("/ws/notifications/")) == closing.NOT_LOGGED_IN


@pytest.mark.parametrize(
    ("text", "notified"),
    [
        ("hey @bob.", ["bob"]),  # the full stop ends the sentence, not the name
        ("@nobody1 @nobody2 @nobody3 @nobody4 @nobody5 @bob", ["bob"]),  # unknown names use no place
        ("mail bob@example.com", []),  # an address is no mention
        ("@bob @bob @bob", ["bob"]),
    ],
)
def test_mentions_are_read_as_people_write_them(alice, bob, text, notified):
    post_message(user=alice, room="lobby", text=text)
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == notified
