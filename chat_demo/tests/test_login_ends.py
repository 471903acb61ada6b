"""An open WebSocket ends with the login that opened it: a logout closes that session's
connections, a disabled, deleted or re-passworded account all of its connections (4401).
Each trigger runs in the test's own thread, as a request or the admin would run it."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from chat import closing
from config.asgi import application
from tests.clients import ORIGIN, run

pytestmark = pytest.mark.django_db(transaction=True)


def browser(user):
    """A logged-in browser: its test client, and a room connection with its cookie."""
    client = Client()
    client.force_login(user)
    headers = [(b"origin", ORIGIN), (b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode())]
    return client, WebsocketCommunicator(application, "/ws/chat/lobby/", headers=headers)


def outputs_after(sockets, trigger):
    """What each open connection gets once ``trigger`` has run: a close code, or "open"."""

    async def scenario():
        for socket in sockets:
            assert (await socket.connect())[0]
        await sync_to_async(trigger)()
        outcomes = []
        for socket in sockets:
            if await socket.receive_nothing(timeout=0.5):
                outcomes.append("open")
                await socket.disconnect()
            else:
                outcomes.append((await socket.receive_output())["code"])
        return outcomes

    return run(scenario)


def test_a_logout_closes_that_sessions_connections_only(alice):
    (laptop, laptop_socket), (_, phone_socket) = browser(alice), browser(alice)
    outcomes = outputs_after([laptop_socket, phone_socket], lambda: laptop.post("/logout/"))
    assert outcomes == [closing.NOT_LOGGED_IN, "open"]  # the phone's session is another one


@pytest.mark.parametrize("change", ["disabled", "new password", "deleted"])
def test_an_ended_account_closes_every_one_of_its_connections(alice, bob, change):
    sockets = [browser(alice)[1], browser(alice)[1], browser(bob)[1]]

    def end_account():
        if change == "disabled":
            alice.is_active = False
            alice.save()
        elif change == "new password":
            alice.set_password("a brand new passphrase")
            alice.save()
        else:
            alice.delete()

    assert outputs_after(sockets, end_account) == [closing.NOT_LOGGED_IN, closing.NOT_LOGGED_IN, "open"]


def test_saving_a_user_without_a_new_password_closes_nothing(alice):
    def rename():
        alice.first_name = "Alice"
        alice.save()

    assert outputs_after([browser(alice)[1]], rename) == ["open"]
