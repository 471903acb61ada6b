"""chat_demo in two browsers: a message typed on one page appears on the other, once.

Served by chat_demo's ``manage.py runserver`` (support.run_demo), which is daphne's:
daphne comes first in INSTALLED_APPS, so its runserver serves ASGI, WebSockets included,
and under DEBUG the static files. Plain ``daphne config.asgi:application`` serves no
static files in development: the page would load without chat.js, its only script.
"""

import json
import secrets

import pytest
from playwright.sync_api import expect
from support import screenshot

from demos.catalog import get_demo

PASSWORDS = {"alice": secrets.token_urlsafe(16), "bob": secrets.token_urlsafe(16)}
CREATE_USERS = f"""
import json
from django.contrib.auth import get_user_model
for username, password in json.loads({json.dumps(PASSWORDS)!r}).items():
    get_user_model().objects.create_user(username=username, password=password)
"""


@pytest.fixture
def chat_server(demo_server):
    with demo_server(get_demo("chat_demo"), prepare=(("shell", "-c", CREATE_USERS),)) as server:
        yield server


@pytest.fixture
def lobby(browser, chat_server):
    """lobby(username) -> a page logged in as that user in #lobby, in a browser context of
    its own (its own cookies, so its own session), connected to the room's WebSocket."""
    contexts = []

    def enter(username):
        contexts.append(context := browser.new_context(viewport={"width": 1280, "height": 900}))
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{chat_server.url}/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORDS[username])
        page.click("button[type=submit]")
        page.wait_for_url(f"{chat_server.url}/chat/lobby/")  # LOGIN_REDIRECT_URL
        # Connected: the consumer joined the room's group before it accepted the connection.
        expect(page.locator("#status")).to_have_text("connected")
        return page

    yield enter
    for context in contexts:
        context.close()


def test_a_message_sent_on_one_page_appears_once_on_the_other(lobby):
    one, two = lobby("alice"), lobby("bob")

    one.fill("#text", "hello from one")
    one.click("#send button")

    # Each page shows the frame the server broadcast (the sender's too), never a copy it kept.
    for page in (one, two):
        expect(page.locator("#messages li")).to_have_text(["alice: hello from one"])
    # Frames on one connection arrive in order: a duplicate of the first message would be
    # on page two before a later message is. Once the later one is there, the first is
    # still shown exactly once.
    two.fill("#text", "hello from two")
    two.click("#send button")
    expect(two.locator("#messages li")).to_have_text(["alice: hello from one", "bob: hello from two"])
    screenshot(two, "chat_demo/two-pages")
