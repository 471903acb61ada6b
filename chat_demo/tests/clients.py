"""WebSocket clients of the ASGI application, in the test's own process."""

from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.test import Client

from config.asgi import application

ORIGIN = b"http://testserver"  # this site (ALLOWED_HOSTS has "testserver" in development)


def session_cookie(user):
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def websocket(path, *, user=None, origin=ORIGIN, app=application):
    """A client of the ASGI application, in this process: the browser's headers, the
    session cookie of ``user`` when given."""
    headers = [(b"origin", origin)] if origin else []
    if user is not None:
        headers.append((b"cookie", f"sessionid={session_cookie(user)}".encode()))
    return WebsocketCommunicator(app, path, headers=headers)


def run(scenario):
    """Run an async scenario from a (sync) test: database access is the test's own."""
    return async_to_sync(scenario)()


HANDSHAKE_REFUSED = "handshake refused"  # before any consumer runs: HTTP 403 over a real server


def closed_with(socket):
    """The close code the server ends ``socket``'s connection with, right after it opens."""

    async def scenario():
        connected, _ = await socket.connect(timeout=3)
        if not connected:
            return HANDSHAKE_REFUSED
        return (await socket.receive_output(timeout=3))["code"]

    return run(scenario)
