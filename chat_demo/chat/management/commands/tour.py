"""python manage.py tour : a chat room and a notification feed, live, frame by frame.

`python -m demos tour chat_demo` runs this on a fresh SQLite database. Two users connect
to the ASGI application in this process (Channels' WebsocketCommunicator: the frames a
browser would send and receive), every frame is printed as it flows, and each claim is
checked. It can run again on the same database: it removes its earlier users first.
"""

import json

from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from accounts.tickets import issue_ticket
from chat import closing
from chat.models import Message, Notification, Room
from chat.services import post_message
from config.asgi import application
from config.plumbing.tour import Tour, mask

ROOM = "tour"
THIS_SITE = b"http://localhost:8000"
NAMES = ("tour-alice", "tour-bob")


def connection(path, *, user=None, origin=THIS_SITE):
    """A client with a browser's headers: the Origin, and the user's session cookie."""
    headers = [(b"origin", origin)]
    if user is not None:
        client = Client()
        client.force_login(user)
        headers.append((b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode()))
    return WebsocketCommunicator(application, path, headers=headers)


class Command(Tour):
    help = "A guided walkthrough of Django Channels: a chat room and a live notification feed."
    title = "chat_demo: two users in a room, every WebSocket frame printed as it flows."

    def steps(self):
        return [
            self.create_users,
            self.anonymous,
            self.other_site,
            self.chat,
            self.mention,
            self.rolled_back,
            self.limits,
            self.ticket,
            self.history,
        ]

    def show(self, arrow, who, frame):
        self.say(f"  {arrow} {who}: {json.dumps(frame, ensure_ascii=False)}")

    def create_users(self):
        self.step("Migrate; two users, each logged in with a session cookie", "As two browsers would be.")
        call_command("migrate", verbosity=0)
        User = get_user_model()
        earlier = User.objects.filter(username__in=NAMES)
        if earlier.exists():
            earlier.delete()  # their messages and notifications go with them
            self.say("  (deleted tour-alice and tour-bob of an earlier tour)")
        Room.objects.filter(name=ROOM).delete()  # message numbers start at 1 again
        self.alice, self.bob = (User.objects.create_user(name, password=None) for name in NAMES)
        self.expect(User.objects.filter(username__in=NAMES).count() == 2, "tour-alice and tour-bob exist")

    def anonymous(self):
        self.step(
            "An anonymous connection to ws/chat/tour/",
            "No session, no ticket: accepted, then closed with 4401 so the client learns why.",
        )
        code = async_to_sync(self.close_code)(connection(f"/ws/chat/{ROOM}/"))
        self.expect(code == closing.NOT_LOGGED_IN, f"closed with {closing.NOT_LOGGED_IN}")

    async def close_code(self, socket):
        connected, _ = await socket.connect()
        return (await socket.receive_output(timeout=3))["code"] if connected else "refused"

    def other_site(self):
        self.step(
            "A page on evil.example opens a connection with tour-alice's cookie (pitfall 4)",
            "The browser sends her cookie anyway; its Origin header names the page's site.",
        )
        socket = connection(f"/ws/chat/{ROOM}/", user=self.alice, origin=b"https://evil.example")
        code = async_to_sync(self.close_code)(socket)
        self.expect(code == "refused", "AllowedHostsOriginValidator refused the handshake (HTTP 403)")

    def chat(self):
        self.step(
            "tour-alice and tour-bob join ws/chat/tour/; tour-alice sends two messages",
            "Each is saved and committed first, then sent through the channel layer to the room.",
        )
        users = {"tour-alice": self.alice, "tour-bob": self.bob}
        sockets = {name: connection(f"/ws/chat/{ROOM}/", user=user) for name, user in users.items()}
        frames = async_to_sync(self.two_in_a_room)(sockets, ["Hello, Bob!", "Channels, live."])
        self.expect(frames["tour-alice"] == frames["tour-bob"], "both received each message once, in order")
        self.expect([f["seq"] for f in frames["tour-bob"]] == [1, 2], "numbered 1, 2 in this room")

    async def two_in_a_room(self, sockets, texts):
        for socket in sockets.values():
            await socket.connect()
        for text in texts:
            self.show("→", "tour-alice sends", {"message": text})
            await sockets["tour-alice"].send_json_to({"message": text})
        received = {}
        for name, socket in sockets.items():
            received[name] = [await socket.receive_json_from(timeout=3) for _ in texts]
            for frame in received[name]:
                self.show("←", f"{name} receives", {key: frame[key] for key in ("seq", "user", "message")})
            await socket.disconnect()
        return received

    def mention(self):
        self.step(
            "tour-bob writes @tour-alice: her ws/notifications/ feed hears it",
            "A post_save receiver on Notification pushes it with transaction.on_commit.",
        )
        feed = connection("/ws/notifications/", user=self.alice)
        pushed = async_to_sync(self.feed_while)(
            feed, lambda: post_message(user=self.bob, room=ROOM, text="@tour-alice hi")
        )
        self.expect([frame["from"] for frame in pushed] == ["tour-bob"], "one notification, after the commit")

    async def feed_while(self, feed, write):
        await feed.connect()
        try:
            await database_sync_to_async(write)()
        except RuntimeError as error:
            self.say(f"  (the transaction rolled back: {error})")
        pushed = []
        while not await feed.receive_nothing(timeout=0.3):
            pushed.append(await feed.receive_json_from())
            self.show("←", "tour-alice's feed", pushed[-1])
        await feed.disconnect()
        return pushed

    def rolled_back(self):
        self.step(
            "The same mention, in a transaction that then fails (pitfall 2)",
            "on_commit callbacks of a rolled-back transaction never run: nothing is pushed.",
        )

        def write_then_fail():
            with transaction.atomic():
                post_message(user=self.bob, room=ROOM, text="@tour-alice never sent")
                raise RuntimeError("a later step failed")

        feed = connection("/ws/notifications/", user=self.alice)
        pushed = async_to_sync(self.feed_while)(feed, write_then_fail)
        self.expect(pushed == [], "no notification was pushed")
        self.expect(not Message.objects.filter(text__contains="never sent").exists(), "and no message was stored")

    def limits(self):
        self.step(
            "Over the caps: a 9 KB frame, then a flood (pitfall 5)",
            f"A frame over {settings.CHAT_FRAME_MAX_BYTES} bytes: 4413; over "
            f"{settings.CHAT_RATE_MESSAGES} frames in {settings.CHAT_RATE_SECONDS} s: 4429.",
        )
        before = Message.objects.filter(room=ROOM).count()
        big_frame = ['{"message": "' + "x" * 9000 + '"}']
        big = async_to_sync(self.close_after)(connection(f"/ws/chat/{ROOM}/", user=self.bob), big_frame)
        self.expect(big == closing.TOO_LARGE, f"the big frame: closed with {closing.TOO_LARGE}")
        blanks = ['{"message": ""}'] * (settings.CHAT_RATE_MESSAGES + 1)
        flood = async_to_sync(self.close_after)(connection(f"/ws/chat/{ROOM}/", user=self.bob), blanks)
        self.expect(flood == closing.TOO_MANY, f"the flood of blank messages: closed with {closing.TOO_MANY}")
        self.expect(Message.objects.filter(room=ROOM).count() == before, "nothing was stored")

    async def close_after(self, socket, frames):
        await socket.connect()
        for frame in frames:
            await socket.send_to(text_data=frame)
        while (output := await socket.receive_output(timeout=3))["type"] != "websocket.close":
            pass  # the error answers to the blank messages
        return output["code"]

    def ticket(self):
        self.step(
            "A script with no cookie: a ticket (as POST /api/auth/ticket/ issues it), then ?ticket=",
            "The ticket opens one connection, within a minute: one read from a log is spent.",
        )
        key = issue_ticket(user=self.bob)
        self.say(f"  ticket {mask(key)} (only its SHA-256 is stored)")
        path = f"/ws/chat/{ROOM}/?ticket={key}"
        first = async_to_sync(self.connects)(WebsocketCommunicator(application, path, headers=[(b"origin", THIS_SITE)]))
        again = async_to_sync(self.close_code)(
            WebsocketCommunicator(application, path, headers=[(b"origin", THIS_SITE)])
        )
        self.expect(first and again == closing.NOT_LOGGED_IN, f"connected once; the second use: {again}")

    async def connects(self, socket):
        connected, _ = await socket.connect()
        await socket.disconnect()
        return connected

    def history(self):
        self.step("GET /api/rooms/tour/messages/", "What was sent, from the database, newest last.")
        client = Client()
        client.force_login(self.bob)
        page = client.get(f"/api/rooms/{ROOM}/messages/").json()
        for message in page["results"]:
            self.say(f"  #{message['seq']} {message['user']}: {message['message']}")
        self.expect([m["seq"] for m in page["results"]] == [1, 2, 3], "three messages: nothing refused was stored")
        self.expect(Notification.objects.filter(recipient=self.alice).count() == 1, "tour-alice has one notification")
